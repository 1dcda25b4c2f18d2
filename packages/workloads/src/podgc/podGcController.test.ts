import { getCondition, Node, Pod } from '@keelson/api';
import { isKeelsonError, type Store } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorkloads, type WorkloadHarness } from '../testSupport';
import { DELETION_BY_POD_GC_REASON, POD_GC_QUARANTINE_MS, podGcController } from './podGcController';

const podSpec = { containers: [{ name: 'c', image: 'nginx' }] };

async function exists(store: Store, name: string): Promise<boolean> {
  try {
    await store.get(Pod, name, { namespace: 'default' });
    return true;
  } catch (error) {
    if (isKeelsonError(error, 'NotFound')) return false;
    throw error;
  }
}

async function runningOn(store: Store, name: string, nodeName: string): Promise<Pod> {
  const pod = await store.create(Pod, { metadata: { name, namespace: 'default' }, spec: { ...podSpec, nodeName } });
  return store.updateStatus<Pod>({ ...pod, status: { phase: 'Running' } });
}

describe('podGcController', () => {
  let h: WorkloadHarness;
  afterEach(async () => {
    expect(h.errors).toEqual([]);
    await h.stop();
  });

  it('collects the pods of a deleted node after the 40 s quarantine, marked Failed with DisruptionTarget', async () => {
    h = await startWorkloads([podGcController()]);
    await h.store.create(Node, { metadata: { name: 'node-a' }, spec: {} });
    await h.store.create(Node, { metadata: { name: 'node-b' }, spec: {} });
    await runningOn(h.store, 'on-a', 'node-a');
    await runningOn(h.store, 'on-b', 'node-b');
    await h.advance(1_000);
    await h.store.delete(Node, 'node-a');
    const seen: Pod[] = [];
    const watch = h.store.watch(Pod).subscribe((event) => {
      if (event.type === 'MODIFIED') seen.push(event.object as Pod);
    });
    await h.advance(POD_GC_QUARANTINE_MS - 2_000);
    expect(await exists(h.store, 'on-a')).toBe(true);
    await h.advance(3_000);
    watch.unsubscribe();
    expect(await exists(h.store, 'on-a')).toBe(false);
    expect(await exists(h.store, 'on-b')).toBe(true);
    const failed = seen.find((pod) => pod.metadata.name === 'on-a' && pod.status?.phase === 'Failed');
    expect(getCondition(failed?.status?.conditions, 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: DELETION_BY_POD_GC_REASON,
      message: 'PodGC: node no longer exists',
    });
    expect(h.logs.filter((l) => l.message === 'PodGC is force deleting Pod').map((l) => l.fields)).toEqual([
      {
        component: 'controller-manager',
        controller: 'pod-garbage-collector',
        name: 'node-a', // the request: the collector reconciles nodes
        pod: 'default/on-a',
        node: 'node-a',
      },
    ]);
  });

  it('keeps the pods of a node that comes back within the quarantine', async () => {
    h = await startWorkloads([podGcController()]);
    await h.store.create(Node, { metadata: { name: 'node-a' }, spec: {} });
    await runningOn(h.store, 'on-a', 'node-a');
    await h.advance(1_000);
    await h.store.delete(Node, 'node-a');
    await h.advance(10_000);
    await h.store.create(Node, { metadata: { name: 'node-a' }, spec: {} });
    await h.advance(2 * POD_GC_QUARANTINE_MS);
    expect((await h.store.get(Pod, 'on-a', { namespace: 'default' })).status?.phase).toBe('Running');
  });

  it('collects a pod bound to a node that never existed', async () => {
    h = await startWorkloads([podGcController({ quarantineMs: 5_000 })]);
    await runningOn(h.store, 'stray', 'no-such-node');
    await h.advance(4_000);
    expect(await exists(h.store, 'stray')).toBe(true);
    await h.advance(2_000);
    expect(await exists(h.store, 'stray')).toBe(false);
  });

  it('refuses a negative quarantine', () => {
    h = { errors: [], stop: async () => undefined } as unknown as WorkloadHarness;
    expect(() => podGcController({ quarantineMs: -1 })).toThrow(/quarantineMs must be a number of milliseconds ≥ 0/);
  });
});
