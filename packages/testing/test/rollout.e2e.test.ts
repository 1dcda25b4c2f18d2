/**
 * End-to-end runs of the Deployment machinery on a whole test cluster: the
 * rolling-update invariants checked at every revision of the log, a node
 * lost mid-rollout, and a crash-looping release caught by its progress
 * deadline and rolled back.
 */
import { Deployment, getCondition, Pod, ReplicaSet } from '@keelson/api';
import type { Store } from '@keelson/core';
import { rollback, rolloutStatus } from '@keelson/workloads';
import { describe, expect, it } from 'vitest';
import type { TestCluster } from '../src/index';
import { clustersClosedAfterEach, isReady, live } from './support';

const cluster = clustersClosedAfterEach();

const IMAGES = {
  'web:1.0': { pullMs: 2_000, behaviour: { startupMs: 4_000 } },
  'web:1.1': { pullMs: 2_000, behaviour: { startupMs: 4_000 } },
  // Exits before it ever answers its readiness probe.
  'web:broken': { behaviour: { startupMs: 10_000, exitAfterMs: 2_000, exitCode: 1 } },
};

function web(image: string, extra = '') {
  return `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 6
  ${extra}
  selector: { matchLabels: { app: web } }
  strategy: { rollingUpdate: { maxSurge: 2, maxUnavailable: 1 } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: app
          image: ${image}
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { httpGet: { path: /ready, port: http }, periodSeconds: 2 }
`;
}

const imageOf = (p: Pod) => p.spec.containers[0]?.image;

async function rolledOut(c: TestCluster): Promise<boolean> {
  return (await rolloutStatus(c.store, { name: 'web' })).done;
}

/** Pods (not being deleted) and ready pods at every revision from `from` to the store's head. */
async function walkLog(store: Store, from: number): Promise<{ revision: number; pods: number; ready: number }[]> {
  const seen: { revision: number; pods: number; ready: number }[] = [];
  for (let revision = from; revision <= store.revision; revision++) {
    const view = await store.at(revision);
    const pods = live((await view.list(Pod)).items);
    seen.push({ revision, pods: pods.length, ready: pods.filter(isReady).length });
  }
  return seen;
}

describe('rolling updates end to end', () => {
  it('never drops below replicas − maxUnavailable ready pods nor exceeds replicas + maxSurge pods, at any revision', async () => {
    const c = await cluster({ nodes: 3, seed: 11, images: IMAGES });
    await c.apply(web('web:1.0'));
    await c.waitFor(rolledOut, { timeout: '3m', description: 'web:1.0 rolled out' });
    await c.waitFor(async () => live(await c.list(Pod)).filter(isReady).length === 6, { timeout: '1m' });
    const from = c.store.revision;
    await c.apply(web('web:1.1'));
    await c.waitFor(rolledOut, { timeout: '5m', description: 'web:1.1 rolled out' });
    const pods = live(await c.list(Pod));
    expect(pods.map(imageOf)).toEqual(Array(6).fill('web:1.1'));
    const revisions = await walkLog(c.store, from);
    expect(revisions.length).toBeGreaterThan(50);
    const worst = {
      fewestReady: Math.min(...revisions.map((r) => r.ready)),
      mostPods: Math.max(...revisions.map((r) => r.pods)),
    };
    expect(worst.fewestReady).toBeGreaterThanOrEqual(6 - 1);
    expect(worst.mostPods).toBeLessThanOrEqual(6 + 2);
    // The surge was used: the rollout did not just replace pods one by one.
    expect(worst.mostPods).toBeGreaterThan(6);
    const sets = await c.list(ReplicaSet);
    expect(sets.map((rs) => [rs.spec.template.spec.containers[0]?.image, rs.spec.replicas]).sort()).toEqual([
      ['web:1.0', 0],
      ['web:1.1', 6],
    ]);
  });

  it('finishes a rollout that loses a node midway, with every pod on the nodes left', async () => {
    const c = await cluster({ nodes: 3, seed: 5, images: IMAGES });
    await c.apply(web('web:1.0'));
    await c.waitFor(rolledOut, { timeout: '3m' });
    await c.apply(web('web:1.1'));
    // Mid-rollout: some new pods exist, the old ones are not all gone.
    await c.waitFor(async () => live(await c.list(Pod)).some((p) => imageOf(p) === 'web:1.1'), { timeout: '1m' });
    expect(await rolledOut(c)).toBe(false);
    const lost = 'node-2';
    await c.faults.stopNode(lost);
    await c.waitFor(
      async () => {
        const pods = live(await c.list(Pod));
        return (
          (await rolledOut(c)) &&
          pods.length === 6 &&
          pods.every((p) => isReady(p) && p.spec.nodeName !== lost && imageOf(p) === 'web:1.1')
        );
      },
      { timeout: '15m', description: 'web:1.1 on the nodes left' },
    );
    const d = await c.get(Deployment, 'web', 'default');
    expect(d.status).toMatchObject({ updatedReplicas: 6, availableReplicas: 6 });
  });

  it('a crash-looping release exceeds its progress deadline; rollback restores the old template', async () => {
    const c = await cluster({ nodes: 3, seed: 2, images: IMAGES });
    await c.apply(web('web:1.0', 'progressDeadlineSeconds: 60'));
    await c.waitFor(rolledOut, { timeout: '3m' });
    await c.apply(web('web:broken', 'progressDeadlineSeconds: 60'));
    await c.waitFor(
      async () =>
        getCondition((await c.get(Deployment, 'web', 'default')).status?.conditions, 'Progressing')?.reason ===
        'ProgressDeadlineExceeded',
      { timeout: '5m', description: 'ProgressDeadlineExceeded' },
    );
    const stalled = await c.get(Deployment, 'web', 'default');
    expect(getCondition(stalled.status?.conditions, 'Progressing')).toMatchObject({ status: 'False' });
    // The old pods kept serving: only maxUnavailable of them were taken down.
    expect(live(await c.list(Pod)).filter((p) => imageOf(p) === 'web:1.0' && isReady(p)).length).toBe(5);
    const status = await rolloutStatus(c.store, { name: 'web' });
    // What `kubectl rollout status` fails with.
    expect(status.done).toBe(false);
    expect(status.error?.message).toBe('deployment "web" exceeded its progress deadline');
    await rollback(c.store, { name: 'web' });
    await c.waitFor(rolledOut, { timeout: '3m', description: 'rolled back' });
    const back = await c.get(Deployment, 'web', 'default');
    expect(back.spec.template.spec.containers[0]?.image).toBe('web:1.0');
    await c.waitFor(
      async () => {
        const pods = live(await c.list(Pod));
        return pods.length === 6 && pods.every((p) => imageOf(p) === 'web:1.0' && isReady(p));
      },
      { timeout: '2m' },
    );
    expect(getCondition(back.status?.conditions, 'Progressing')?.status).toBe('True');
  });
});
