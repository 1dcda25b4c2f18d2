import { createRandom, VirtualClock } from '@keelson/clock';
import { createStore, isKeelsonError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { builtinTypes } from '../builtinTypes';
import { PersistentVolumeClaim } from '../kinds/persistentVolumeClaim';
import { StorageClass } from '../kinds/storageClass';
import { rejection } from '../kinds/testStore';
import { builtinAdmission, ensureSystemNamespaces } from './index';

async function apiStore() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store = await createStore({
    types: builtinTypes,
    admission: builtinAdmission(),
    clock,
    random: createRandom(5, 'storage-admission'),
    logger: { warn: () => undefined },
  });
  await ensureSystemNamespaces(store);
  return { store, clock };
}

const DEFAULT = { 'storageclass.kubernetes.io/is-default-class': 'true' };
const claim = (name: string, storageClassName?: string) => ({
  metadata: { name, namespace: 'default' },
  spec: {
    accessModes: ['ReadWriteOnce' as const],
    resources: { requests: { storage: '1Gi' } },
    ...(storageClassName === undefined ? {} : { storageClassName }),
  },
});

describe('DefaultStorageClass', () => {
  it('gives a claim without a class the newest default class, and leaves named classes (even "") alone', async () => {
    const { store, clock } = await apiStore();
    expect((await store.create(PersistentVolumeClaim, claim('before'))).spec.storageClassName).toBeUndefined();
    await store.create(StorageClass, { metadata: { name: 'old', annotations: DEFAULT }, provisioner: 'a.example.dev' });
    await store.create(StorageClass, { metadata: { name: 'plain' }, provisioner: 'a.example.dev' });
    expect((await store.create(PersistentVolumeClaim, claim('one'))).spec.storageClassName).toBe('old');
    await clock.advance(5_000);
    await store.create(StorageClass, { metadata: { name: 'new', annotations: DEFAULT }, provisioner: 'a.example.dev' });
    expect((await store.create(PersistentVolumeClaim, claim('two'))).spec.storageClassName).toBe('new');
    expect((await store.create(PersistentVolumeClaim, claim('none', ''))).spec.storageClassName).toBe('');
    expect((await store.create(PersistentVolumeClaim, claim('named', 'plain'))).spec.storageClassName).toBe('plain');
  });
});

describe('PersistentVolumeClaimResize', () => {
  async function boundClaim(storageClassName: string, allowVolumeExpansion?: boolean) {
    const { store } = await apiStore();
    await store.create(StorageClass, {
      metadata: { name: storageClassName },
      provisioner: 'a.example.dev',
      ...(allowVolumeExpansion === undefined ? {} : { allowVolumeExpansion }),
    });
    const created = await store.create(PersistentVolumeClaim, claim('data', storageClassName));
    const named = await store.update({ ...created, spec: { ...created.spec, volumeName: 'pv-1' } });
    const bound = await store.updateStatus({
      ...named,
      status: { phase: 'Bound' as const, capacity: { storage: '1Gi' } },
    });
    return { store, bound };
  }
  const grow = (c: PersistentVolumeClaim) => ({
    ...c,
    spec: { ...c.spec, resources: { requests: { storage: '2Gi' } } },
  });

  it('lets a bound claim of an expandable class grow', async () => {
    const { store, bound } = await boundClaim('fast', true);
    expect((await store.update(grow(bound))).spec.resources.requests?.storage).toBe('2Gi');
  });

  it('refuses growth when the class does not allow expansion, leaving the claim as it was', async () => {
    const { store, bound } = await boundClaim('fixed');
    const error = await rejection(store.update(grow(bound)));
    expect(isKeelsonError(error, 'Forbidden')).toBe(true);
    expect(error.message).toBe(
      'persistentvolumeclaims "data" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
    );
    const stored = await store.get(PersistentVolumeClaim, 'data', { namespace: 'default' });
    expect(stored.spec.resources.requests?.storage).toBe('1Gi');
    expect(stored.metadata.resourceVersion).toBe(bound.metadata.resourceVersion);
  });

  it('refuses growing a claim that is not bound (the spec rule answers first)', async () => {
    const { store } = await apiStore();
    const pending = await store.create(PersistentVolumeClaim, claim('data', ''));
    const error = await rejection(store.update(grow(pending)));
    expect(isKeelsonError(error, 'Validation')).toBe(true);
  });
});
