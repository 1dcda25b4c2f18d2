import { DaemonSet, Node, Pod } from '@keelson/api';
import { isKeelsonError } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { controllerRefTo } from '../shared/index';
import { addReadyNode, startWorkloads, type WorkloadHarness } from '../testSupport';
import { cordonNode, uncordonNode } from './cordon';
import { disruptionController } from './disruptionController';
import { type DrainProgress, type DrainSummary, drainNode } from './drainNode';
import { DrainRefusedError, DrainTimeoutError } from './errors';
import { createBudget, createPod, createWebReplicaSet } from './testFixtures';

let h: WorkloadHarness;
afterEach(() => h?.stop());

const exists = async (name: string) => {
  try {
    await h.store.get(Pod, name, { namespace: 'default' });
    return true;
  } catch (error) {
    if (isKeelsonError(error, 'NotFound')) return false;
    throw error;
  }
};

async function cluster() {
  h = await startWorkloads([disruptionController()]);
  await addReadyNode(h.store, 'node-1');
  await addReadyNode(h.store, 'node-2');
}

const unschedulable = async (name: string) => (await h.store.get(Node, name)).spec.unschedulable ?? false;

describe('cordonNode / uncordonNode', () => {
  it('sets and clears spec.unschedulable, idempotently', async () => {
    await cluster();
    await cordonNode(h.store, 'node-1');
    const again = await cordonNode(h.store, 'node-1');
    expect(again.spec.unschedulable).toBe(true);
    expect(await unschedulable('node-2')).toBe(false);
    await uncordonNode(h.store, 'node-1');
    expect(await unschedulable('node-1')).toBe(false);
    await expect(cordonNode(h.store, 'node-9')).rejects.toThrow(/not found/);
  });
});

describe('drainNode', () => {
  it('waits for the budget: each eviction goes only once a replacement is ready elsewhere', async () => {
    await cluster();
    const rs = await createWebReplicaSet(h.store, 2);
    for (const i of [0, 1]) await createPod(h.store, `web-${i}`, { owner: rs, node: 'node-1' });
    await createBudget(h.store, { minAvailable: 2 });
    await h.advance();
    const events: DrainProgress[] = [];
    let summary: DrainSummary | undefined;
    const drain = drainNode(h.store, 'node-1', { gracePeriodSeconds: 0, onProgress: (e) => events.push(e) }).then(
      (s) => {
        summary = s;
      },
    );
    await h.advance(15_000);
    expect(await unschedulable('node-1')).toBe(true);
    expect(summary).toBeUndefined();
    expect([await exists('web-0'), await exists('web-1')]).toEqual([true, true]);
    expect(events.filter((e) => e.type === 'retrying').length).toBeGreaterThanOrEqual(4);

    // What the ReplicaSet controller and a kubelet would do: a replacement on node-2, Ready.
    await createPod(h.store, 'web-2', { owner: rs, node: 'node-2' });
    await h.advance(5_000);
    await h.advance(1_000);
    const left = [await exists('web-0'), await exists('web-1')];
    expect(left.filter(Boolean)).toHaveLength(1);
    expect(summary).toBeUndefined();

    await createPod(h.store, 'web-3', { owner: rs, node: 'node-2' });
    await h.advance(5_000);
    await h.advance(1_000);
    await drain;
    expect(summary?.evicted).toEqual(['default/web-0', 'default/web-1']);
    expect(summary?.skipped).toEqual([]);
    expect([await exists('web-0'), await exists('web-1'), await exists('web-2'), await exists('web-3')]).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });

  it('refuses pods that declare no controller unless forced, evicting nothing', async () => {
    await cluster();
    const rs = await createWebReplicaSet(h.store, 1);
    await createPod(h.store, 'web-0', { owner: rs, node: 'node-1' });
    await createPod(h.store, 'bare', { node: 'node-1', labels: { app: 'bare' } });
    await h.advance();
    const error = await drainNode(h.store, 'node-1', { gracePeriodSeconds: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DrainRefusedError);
    expect((error as Error).message).toBe(
      'cannot delete Pods declare no controller (use --force to override): default/bare',
    );
    expect([await exists('web-0'), await exists('bare')]).toEqual([true, true]);
    expect(await unschedulable('node-1')).toBe(true);

    const forced = await drainNode(h.store, 'node-1', { gracePeriodSeconds: 0, force: true });
    expect(forced.evicted).toEqual(['default/bare', 'default/web-0']);
    expect(forced.warnings).toEqual([{ pod: 'default/bare', message: 'deleting Pods that declare no controller' }]);
  });

  it('leaves DaemonSet and mirror pods, refuses emptyDir without deleteEmptyDirData', async () => {
    await cluster();
    const ds = await h.store.create(DaemonSet, {
      metadata: { name: 'agent', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'agent' }] } },
      },
    });
    const agent = await createPod(h.store, 'agent-x', { node: 'node-1', labels: { app: 'agent' } });
    await h.store.patch(
      Pod,
      agent.metadata.name,
      (d) => ({ ...d, metadata: { ...d.metadata, ownerReferences: [controllerRefTo(ds)] } }),
      { namespace: 'default' },
    );
    const mirror = await createPod(h.store, 'static-x', { node: 'node-1', labels: { tier: 'static' } });
    await h.store.patch(
      Pod,
      mirror.metadata.name,
      (d) => ({ ...d, metadata: { ...d.metadata, annotations: { 'kubernetes.io/config.mirror': 'abc' } } }),
      { namespace: 'default' },
    );
    const rs = await createWebReplicaSet(h.store, 1);
    await createPod(h.store, 'scratch', { owner: rs, node: 'node-1', emptyDir: true });

    await expect(drainNode(h.store, 'node-1', { gracePeriodSeconds: 0 })).rejects.toThrow(
      'cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch',
    );
    await expect(drainNode(h.store, 'node-1', { ignoreDaemonSets: false, deleteEmptyDirData: true })).rejects.toThrow(
      'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/agent-x',
    );
    const summary = await drainNode(h.store, 'node-1', { gracePeriodSeconds: 0, deleteEmptyDirData: true });
    expect(summary.evicted).toEqual(['default/scratch']);
    expect(summary.skipped).toEqual([
      { pod: 'default/agent-x', reason: 'ignoring DaemonSet-managed Pods' },
      { pod: 'default/static-x', reason: 'mirror pod' },
    ]);
    expect([await exists('agent-x'), await exists('static-x')]).toEqual([true, true]);
  });

  it('gives up at the timeout, naming the pods left', async () => {
    await cluster();
    const rs = await createWebReplicaSet(h.store, 1);
    await createPod(h.store, 'web-0', { owner: rs, node: 'node-1' });
    await createBudget(h.store, { minAvailable: 1 });
    await h.advance();
    let error: unknown;
    const drain = drainNode(h.store, 'node-1', { timeout: 30_000 }).catch((e: unknown) => {
      error = e;
    });
    await h.advance(40_000);
    await drain;
    expect(error).toBeInstanceOf(DrainTimeoutError);
    expect((error as DrainTimeoutError).pods).toEqual(['default/web-0']);
    expect((error as DrainTimeoutError).status).toBe(504);
    expect(await exists('web-0')).toBe(true);
  });

  it('waits for graceful deletions to finish', async () => {
    await cluster();
    const rs = await createWebReplicaSet(h.store, 1);
    await createPod(h.store, 'web-0', { owner: rs, node: 'node-1' });
    let done = false;
    const drain = drainNode(h.store, 'node-1').then(() => {
      done = true;
    });
    await h.advance(10_000);
    expect(done).toBe(false); // terminating for its 30 s grace period; no kubelet removes it here
    await h.store.delete(Pod, 'web-0', { namespace: 'default', gracePeriodSeconds: 0 });
    await h.advance(1_000);
    await drain;
    expect(done).toBe(true);
  });
});
