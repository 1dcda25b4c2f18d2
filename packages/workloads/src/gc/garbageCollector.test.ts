import { Deployment, Node, Pod, ReplicaSet } from '@keelson/api';
import { isKeelsonError, type KubeObject, type OwnerReference, type Store } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { deploymentController } from '../deployment/index';
import { startWorkloads, type WorkloadHarness } from '../testSupport';
import { garbageCollectorController } from './garbageCollectorController';

const labels = { app: 'web' };
const template = { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

function refTo(owner: KubeObject, block = true): OwnerReference {
  const { name, uid } = owner.metadata;
  return { apiVersion: owner.apiVersion, kind: owner.kind, name, uid, controller: true, blockOwnerDeletion: block };
}

const deployment = (store: Store, name: string) =>
  store.create(Deployment, {
    metadata: { name, namespace: 'default' },
    spec: { selector: { matchLabels: labels }, template },
  });
const replicaSet = (store: Store, name: string, owners: OwnerReference[] = []) =>
  store.create(ReplicaSet, {
    metadata: { name, namespace: 'default', ownerReferences: owners },
    spec: { replicas: 0, selector: { matchLabels: labels }, template },
  });
const pod = (store: Store, name: string, owners: OwnerReference[]) =>
  store.create(Pod, { metadata: { name, namespace: 'default', labels, ownerReferences: owners }, spec: template.spec });

async function exists(store: Store, type: typeof Pod | typeof ReplicaSet | typeof Deployment, name: string) {
  try {
    return await store.get(type as typeof Pod, name, { namespace: 'default' });
  } catch (error) {
    if (isKeelsonError(error, 'NotFound')) return undefined;
    throw error;
  }
}

describe('garbageCollectorController', () => {
  let h: WorkloadHarness;
  afterEach(async () => {
    expect(h.errors).toEqual([]);
    await h.stop();
  });

  it('Background: deletes the dependents of a deleted owner', async () => {
    h = await startWorkloads([garbageCollectorController()]);
    const rs = await replicaSet(h.store, 'web');
    await pod(h.store, 'web-a', [refTo(rs)]);
    await pod(h.store, 'web-b', [refTo(rs)]);
    await pod(h.store, 'other', []);
    await h.advance();
    expect(await exists(h.store, Pod, 'web-a')).toBeDefined();
    await h.store.delete(ReplicaSet, 'web', { namespace: 'default' });
    await h.advance();
    expect(await exists(h.store, Pod, 'web-a')).toBeUndefined();
    expect(await exists(h.store, Pod, 'web-b')).toBeUndefined();
    expect(await exists(h.store, Pod, 'other')).toBeDefined();
  });

  it('Background: a dependent created after its owner is gone is collected', async () => {
    h = await startWorkloads([garbageCollectorController()]);
    const rs = await replicaSet(h.store, 'web');
    await h.store.delete(ReplicaSet, 'web', { namespace: 'default' });
    await pod(h.store, 'late', [refTo(rs)]);
    await h.advance();
    expect(await exists(h.store, Pod, 'late')).toBeUndefined();
  });

  it('Foreground: the owner stays until its blocking dependents are gone, down a 3-level chain', async () => {
    h = await startWorkloads([garbageCollectorController()]);
    const d = await deployment(h.store, 'web');
    const rs = await replicaSet(h.store, 'web-1', [refTo(d)]);
    await pod(h.store, 'web-1-a', [refTo(rs)]);
    // A finalizer someone else holds keeps one pod, and so the whole chain, waiting.
    const held = await pod(h.store, 'web-1-b', [refTo(rs)]);
    await h.store.update({ ...held, metadata: { ...held.metadata, finalizers: ['example.dev/hold'] } });
    await h.advance();
    await h.store.delete(Deployment, 'web', { namespace: 'default', propagationPolicy: 'Foreground' });
    await h.advance();
    const waiting = await exists(h.store, Deployment, 'web');
    expect(waiting?.metadata.deletionTimestamp).toBeDefined();
    expect(waiting?.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect((await exists(h.store, ReplicaSet, 'web-1'))?.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(await exists(h.store, Pod, 'web-1-a')).toBeUndefined();
    const last = await h.store.get(Pod, 'web-1-b', { namespace: 'default' });
    await h.store.update({ ...last, metadata: { ...last.metadata, finalizers: [] } });
    await h.advance();
    expect(await exists(h.store, Pod, 'web-1-b')).toBeUndefined();
    expect(await exists(h.store, ReplicaSet, 'web-1')).toBeUndefined();
    expect(await exists(h.store, Deployment, 'web')).toBeUndefined();
  });

  it('Foreground: dependents that do not block are not waited for', async () => {
    h = await startWorkloads([garbageCollectorController()]);
    const rs = await replicaSet(h.store, 'web');
    const held = await pod(h.store, 'loose', [refTo(rs, false)]);
    await h.store.update({ ...held, metadata: { ...held.metadata, finalizers: ['example.dev/hold'] } });
    await h.advance();
    await h.store.delete(ReplicaSet, 'web', { namespace: 'default', propagationPolicy: 'Foreground' });
    await h.advance();
    expect(await exists(h.store, ReplicaSet, 'web')).toBeUndefined();
    expect((await exists(h.store, Pod, 'loose'))?.metadata.deletionTimestamp).toBeDefined();
  });

  it('Orphan: dependents keep running without the owner reference', async () => {
    h = await startWorkloads([garbageCollectorController()]);
    const rs = await replicaSet(h.store, 'web');
    await pod(h.store, 'web-a', [refTo(rs)]);
    await h.advance();
    await h.store.delete(ReplicaSet, 'web', { namespace: 'default', propagationPolicy: 'Orphan' });
    await h.advance();
    expect(await exists(h.store, ReplicaSet, 'web')).toBeUndefined();
    const orphan = await exists(h.store, Pod, 'web-a');
    expect(orphan?.metadata.deletionTimestamp).toBeUndefined();
    expect(orphan?.metadata.ownerReferences).toBeUndefined();
  });

  it('a recreated owner with the same name but another uid does not keep old dependents', async () => {
    h = await startWorkloads([garbageCollectorController()]);
    const old = await replicaSet(h.store, 'web');
    await h.store.delete(ReplicaSet, 'web', { namespace: 'default' });
    await replicaSet(h.store, 'web');
    await pod(h.store, 'web-a', [refTo(old)]);
    await h.advance();
    expect(await exists(h.store, Pod, 'web-a')).toBeUndefined();
    expect(await exists(h.store, ReplicaSet, 'web')).toBeDefined();
  });

  it('a dependent with two owners survives losing one, without the dangling reference', async () => {
    h = await startWorkloads([garbageCollectorController()]);
    const a = await replicaSet(h.store, 'a');
    const b = await replicaSet(h.store, 'b');
    await pod(h.store, 'shared', [refTo(a), { ...refTo(b), controller: false }]);
    await h.advance();
    await h.store.delete(ReplicaSet, 'a', { namespace: 'default' });
    await h.advance();
    const survivor = await exists(h.store, Pod, 'shared');
    expect(survivor?.metadata.deletionTimestamp).toBeUndefined();
    expect(survivor?.metadata.ownerReferences?.map((ref) => ref.name)).toEqual(['b']);
  });

  it('a cluster-scoped owner collects its namespaced dependents', async () => {
    h = await startWorkloads([garbageCollectorController()]);
    const node = await h.store.create(Node, { metadata: { name: 'n1' } });
    await pod(h.store, 'mirror', [refTo(node, false)]);
    await h.advance();
    expect(await exists(h.store, Pod, 'mirror')).toBeDefined();
    await h.store.delete(Node, 'n1');
    await h.advance();
    expect(await exists(h.store, Pod, 'mirror')).toBeUndefined();
  });

  it('never deletes for an owner of a kind the store does not serve', async () => {
    h = await startWorkloads([garbageCollectorController()]);
    const rs = await replicaSet(h.store, 'web');
    const unknown = { apiVersion: 'example.dev/v1', kind: 'Website', name: 'site', uid: 'no-such-uid' };
    await pod(h.store, 'kept', [unknown, { ...refTo(rs), controller: false }]);
    await h.advance();
    await h.store.delete(ReplicaSet, 'web', { namespace: 'default' });
    await h.advance();
    const kept = await exists(h.store, Pod, 'kept');
    expect(kept?.metadata.deletionTimestamp).toBeUndefined();
    expect(kept?.metadata.ownerReferences).toHaveLength(2);
  });

  it('collects the ReplicaSets a Deployment controller made once the Deployment is deleted', async () => {
    h = await startWorkloads([deploymentController(), garbageCollectorController()]);
    await deployment(h.store, 'web');
    await h.advance(1000);
    const made = (await h.store.list(ReplicaSet, { namespace: 'default' })).items;
    expect(made).toHaveLength(1);
    await h.store.delete(Deployment, 'web', { namespace: 'default' });
    await h.advance(1000);
    expect((await h.store.list(ReplicaSet, { namespace: 'default' })).items).toEqual([]);
  });
});
