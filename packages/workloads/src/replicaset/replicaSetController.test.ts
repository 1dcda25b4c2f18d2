import { Event, getCondition, Namespace, Pod, ReplicaSet } from '@keelson/api';
import type { Store } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { setPodStatus, startWorkloads, type WorkloadHarness } from '../testSupport';
import { POD_DELETION_COST_ANNOTATION, podsToDelete } from './ranking';
import { replicaSetController } from './replicaSetController';

let harness: WorkloadHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start() {
  harness = await startWorkloads([replicaSetController()]);
  return harness;
}

function createRs(store: Store, replicas: number, extra: { minReadySeconds?: number } = {}) {
  return store.create(ReplicaSet, {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      ...extra,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
    },
  });
}

async function pods(store: Store): Promise<Pod[]> {
  return (await store.list(Pod, { namespace: 'default' })).items.filter((p) => !p.metadata.deletionTimestamp);
}

async function rs(store: Store): Promise<ReplicaSet> {
  return store.get(ReplicaSet, 'web', { namespace: 'default' });
}

describe('replicaSetController', () => {
  it('creates spec.replicas pods owned by the ReplicaSet and replaces one that is deleted', async () => {
    const { store, advance } = await start();
    const owner = await createRs(store, 3);
    await advance();
    const created = await pods(store);
    expect(created).toHaveLength(3);
    for (const pod of created) {
      expect(pod.metadata.name.startsWith('web-')).toBe(true);
      expect(pod.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'ReplicaSet', name: 'web', uid: owner.metadata.uid, controller: true }),
      ]);
    }
    await store.delete(Pod, created[0]?.metadata.name ?? '', { namespace: 'default', gracePeriodSeconds: 0 });
    await advance();
    const after = await pods(store);
    expect(after).toHaveLength(3);
    expect(after.map((p) => p.metadata.name)).not.toContain(created[0]?.metadata.name);
    const events = (await store.list(Event, { namespace: 'default' })).items.map((e) => e.reason);
    expect(events.filter((r) => r === 'SuccessfulCreate').length).toBeGreaterThanOrEqual(1);
  });

  it('scales down by deleting unready pods first, then the cheapest by pod-deletion-cost', async () => {
    const { store, advance } = await start();
    await createRs(store, 4);
    await advance();
    const [a, b, c, d] = (await pods(store)).sort((x, y) => x.metadata.name.localeCompare(y.metadata.name));
    for (const pod of [a, b, c]) if (pod) await setPodStatus(store, pod, { ready: true });
    await store.patch(
      Pod,
      b?.metadata.name ?? '',
      (draft) => {
        draft.metadata.annotations = { [POD_DELETION_COST_ANNOTATION]: '-100' };
        return draft;
      },
      { namespace: 'default' },
    );
    await store.patch(ReplicaSet, 'web', (draft) => ({ ...draft, spec: { ...draft.spec, replicas: 2 } }), {
      namespace: 'default',
    });
    await advance();
    const left = (await pods(store)).map((p) => p.metadata.name).sort();
    expect(left).toEqual([a?.metadata.name, c?.metadata.name].sort());
    expect(d).toBeDefined();
  });

  it('adopts a matching orphan instead of creating, and releases a pod whose labels stop matching', async () => {
    const { store, advance } = await start();
    await store.create(Pod, {
      metadata: { name: 'orphan', namespace: 'default', labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', image: 'nginx' }] },
    });
    const owner = await createRs(store, 2);
    await advance();
    const now = await pods(store);
    expect(now).toHaveLength(2);
    const orphan = now.find((p) => p.metadata.name === 'orphan');
    expect(orphan?.metadata.ownerReferences?.[0]?.uid).toBe(owner.metadata.uid);

    await store.patch(
      Pod,
      'orphan',
      (draft) => {
        draft.metadata.labels = { app: 'other' };
        return draft;
      },
      { namespace: 'default' },
    );
    await advance();
    const released = await store.get(Pod, 'orphan', { namespace: 'default' });
    expect(released.metadata.ownerReferences ?? []).toEqual([]);
    expect((await pods(store)).filter((p) => p.metadata.labels?.app === 'web')).toHaveLength(2);
  });

  it('reports replicas, ready and available counts, with minReadySeconds on the clock', async () => {
    const { store, advance } = await start();
    await createRs(store, 2, { minReadySeconds: 30 });
    await advance();
    for (const pod of await pods(store)) await setPodStatus(store, pod, { ready: true });
    await advance();
    let status = (await rs(store)).status;
    expect(status).toMatchObject({ replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 0 });
    expect(status?.observedGeneration).toBe((await rs(store)).metadata.generation);
    await advance(30_000);
    status = (await rs(store)).status;
    expect(status?.availableReplicas).toBe(2);
  });

  it('does not create twice while its own creates are not yet observed (expectations)', async () => {
    const { store, advance, manager } = await start();
    await createRs(store, 5);
    await advance();
    await advance(1_000);
    expect(await pods(store)).toHaveLength(5);
    expect(manager.stats()['replicaset-controller']?.reconciles).toBeGreaterThan(1);
  });
});

describe('podsToDelete', () => {
  const pod = (name: string, extra: Partial<{ node: string; phase: string; ready: boolean; created: string }>) =>
    ({
      metadata: { name, namespace: 'default', uid: name, creationTimestamp: extra.created ?? '2026-01-01T00:00:00Z' },
      spec: { containers: [], ...(extra.node ? { nodeName: extra.node } : {}) },
      status: {
        phase: extra.phase ?? 'Running',
        conditions: [{ type: 'Ready', status: extra.ready ? 'True' : 'False' }],
      },
    }) as unknown as Pod;

  it('ranks unassigned < pending < not ready < crowded node < newer', () => {
    const pods = [
      pod('ready-alone', { node: 'n1', ready: true }),
      pod('ready-crowded-old', { node: 'n2', ready: true }),
      pod('ready-crowded-new', { node: 'n2', ready: true, created: '2026-01-02T00:00:00Z' }),
      pod('unready', { node: 'n3', ready: false }),
      pod('pending', { node: 'n3', phase: 'Pending' }),
      pod('unassigned', { phase: 'Pending' }),
    ];
    expect(podsToDelete(pods, 6).map((p) => p.metadata.name)).toEqual([
      'unassigned',
      'pending',
      'unready',
      'ready-crowded-new',
      'ready-crowded-old',
      'ready-alone',
    ]);
  });
  it('scales through the scale subresource: an autoscaling/v1 Scale with the selector as text', async () => {
    const { store, advance } = await start();
    await createRs(store, 2);
    await advance();
    const scale = await store.getScale(ReplicaSet, 'web', { namespace: 'default' });
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 2 }, status: { replicas: 2, selector: 'app=web' } });
    await store.updateScale(ReplicaSet, 'web', { spec: { replicas: 4 } }, { namespace: 'default' });
    await advance();
    expect(await pods(store)).toHaveLength(4);
    expect((await store.getScale(ReplicaSet, 'web', { namespace: 'default' })).status.replicas).toBe(4);
  });
  it('reports ReplicaFailure FailedCreate when pods cannot be created, and clears it once they can', async () => {
    const { store, advance } = await start();
    await store.create(Namespace, { metadata: { name: 'doomed' } });
    await store.create(ReplicaSet, {
      metadata: { name: 'web', namespace: 'doomed' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
      },
    });
    await advance();
    // A terminating namespace (its finalizer keeps it) refuses new pods.
    await store.delete(Namespace, 'doomed');
    await store.patch(
      ReplicaSet,
      'web',
      (d) => {
        d.spec.replicas = 2;
        return d;
      },
      { namespace: 'doomed' },
    );
    await advance();
    const failing = await store.get(ReplicaSet, 'web', { namespace: 'doomed' });
    expect(getCondition(failing.status?.conditions, 'ReplicaFailure')).toMatchObject({
      status: 'True',
      reason: 'FailedCreate',
    });
    expect(getCondition(failing.status?.conditions, 'ReplicaFailure')?.message).toContain('doomed');
    expect((await store.list(Pod, { namespace: 'doomed' })).items).toHaveLength(0);
    // Back to 0 replicas: nothing to create, and the failure is gone.
    await store.patch(
      ReplicaSet,
      'web',
      (d) => {
        d.spec.replicas = 0;
        return d;
      },
      { namespace: 'doomed' },
    );
    await advance(60_000);
    const recovered = await store.get(ReplicaSet, 'web', { namespace: 'doomed' });
    expect(getCondition(recovered.status?.conditions, 'ReplicaFailure')).toBeUndefined();
  });
});
