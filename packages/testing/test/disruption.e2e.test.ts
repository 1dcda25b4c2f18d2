/**
 * End-to-end runs of disruption and clean-up on a whole test cluster: a
 * drain held back by a PodDisruptionBudget until replacements are ready,
 * and a Foreground deletion that leaves nothing behind.
 */
import { Deployment, Pod, ReplicaSet } from '@keelson/api';
import { type DrainProgress, drainNode } from '@keelson/workloads';
import { describe, expect, it } from 'vitest';
import { clustersClosedAfterEach, isReady, live } from './support';

const cluster = clustersClosedAfterEach();

const IMAGES = { 'api:1': { pullMs: 1_000, behaviour: { startupMs: 8_000 } } };

const API = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec:
  replicas: 4
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
        - name: api
          image: 'api:1'
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { httpGet: { path: /ready, port: http }, periodSeconds: 1 }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: api }
spec:
  minAvailable: 3
  selector: { matchLabels: { app: api } }
`;

describe('disruption end to end', () => {
  it('a drain is held back by the budget until a replacement is ready, and never breaks it', async () => {
    const c = await cluster({ nodes: 2, seed: 8, images: IMAGES });
    await c.apply(API);
    await c.waitFor(async () => live(await c.list(Pod)).filter(isReady).length === 4, { timeout: '2m' });
    await c.settle();
    const pods = live(await c.list(Pod));
    const target = 'node-1';
    const onTarget = pods.filter((p) => p.spec.nodeName === target).length;
    expect(onTarget).toBeGreaterThanOrEqual(2);
    await c.addNode({ name: 'node-3' });
    const from = c.store.revision;
    const progress: DrainProgress[] = [];
    let drained = false;
    const drain = drainNode(c.store, target, { onProgress: (event) => progress.push(event) }).then((summary) => {
      drained = true;
      return summary;
    });
    await c.waitFor(() => drained, { timeout: '5m', description: 'the drain to finish' });
    const summary = await drain;
    expect(summary.evicted).toHaveLength(onTarget);
    // At least one eviction was refused (429) while the budget allowed no disruption.
    expect(progress.some((e) => e.type === 'retrying')).toBe(true);
    const after = live(await c.list(Pod));
    expect(after.filter((p) => p.spec.nodeName === target)).toEqual([]);
    await c.waitFor(async () => live(await c.list(Pod)).filter(isReady).length === 4, { timeout: '1m' });
    // The budget held at every revision: never fewer than 3 ready pods.
    for (let revision = from; revision <= c.store.revision; revision++) {
      const ready = live((await (await c.store.at(revision)).list(Pod)).items).filter(isReady);
      expect(ready.length, `ready pods at revision ${revision}`).toBeGreaterThanOrEqual(3);
    }
  });

  it('a Foreground delete removes the Deployment only after its ReplicaSets and pods, leaving no orphan', async () => {
    const c = await cluster({ nodes: 2, seed: 6, images: IMAGES });
    await c.apply(API);
    await c.waitFor(async () => live(await c.list(Pod)).filter(isReady).length === 4, { timeout: '2m' });
    const from = c.store.revision;
    const deleting = await c.delete(Deployment, 'api', { propagationPolicy: 'Foreground' });
    expect(deleting.metadata.finalizers).toContain('foregroundDeletion');
    await c.waitFor(async () => (await c.list(Deployment)).length === 0, {
      timeout: '5m',
      description: 'the deployment gone',
    });
    // The revision that removed the Deployment: by then its ReplicaSets and pods were gone.
    let removedAt: number | undefined;
    for await (const entry of c.log.read({ from })) {
      if (entry.type === 'apps/deployments' && entry.tombstone) removedAt = entry.revision;
    }
    expect(removedAt).toBeDefined();
    const atRemoval = await c.store.at(removedAt ?? 0);
    expect((await atRemoval.list(ReplicaSet)).items).toEqual([]);
    expect((await atRemoval.list(Pod)).items).toEqual([]);
    const justBefore = await c.store.at((removedAt ?? 1) - 1);
    expect((await justBefore.list(Deployment)).items).toHaveLength(1);
    expect(await c.list(ReplicaSet)).toEqual([]);
    expect(await c.list(Pod)).toEqual([]);
  });
});
