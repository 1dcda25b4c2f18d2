import { builtinAdmission, builtinTypes, ensureSystemNamespaces, getCondition, StorageClass } from '@keelson/api';
import { createRandom, VirtualClock } from '@keelson/clock';
import { createStore } from '@keelson/core';
import { createImageRegistry, createMockRuntime } from '@keelson/runtime-mock';
import { describe, expect, it } from 'vitest';
import { runningContainers } from './snippets/readme/cri';
import { oneNode } from './snippets/readme/nodeAgent';
import { provisionAClaim } from './snippets/readme/storage';
import { nodeLoss } from './snippets/readme/testing';

const WEB = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
`;

describe('package README examples', () => {
  it('@keelson/cri: lists the running containers of a runtime', async () => {
    const clock = new VirtualClock(0);
    const runtime = createMockRuntime({ clock, registry: createImageRegistry(), seed: 1 });
    expect(await runningContainers(runtime)).toEqual([]);
  });

  it('@keelson/node-agent: one agent registers a Ready node', async () => {
    const node = await oneNode();
    expect(getCondition(node.status?.conditions, 'Ready')?.status).toBe('True');
    expect(node.status?.capacity).toMatchObject({ cpu: '4', memory: '8Gi' });
  });

  it('@keelson/testing: pods of a lost node come back on the others', async () => {
    const pods = await nodeLoss(WEB);
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.spec.nodeName !== 'node-1')).toBe(true);
  });

  it('@keelson/storage: a claim of a class gets a provisioned volume', async () => {
    const clock = new VirtualClock(0);
    const store = await createStore({
      types: builtinTypes,
      admission: builtinAdmission(),
      clock,
      random: createRandom(1, 'docs'),
    });
    await ensureSystemNamespaces(store);
    await store.create(StorageClass, { metadata: { name: 'fast' }, provisioner: 'mock.csi.keelson.dev' });
    const claim = await provisionAClaim(store, clock);
    expect(claim.status?.phase).toBe('Bound');
    expect(claim.spec.volumeName).toBe(`pvc-${claim.metadata.uid}`);
  });
});
