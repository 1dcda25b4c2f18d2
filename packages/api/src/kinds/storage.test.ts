import { describe, expect, it } from 'vitest';
import { PersistentVolume } from './persistentVolume';
import { PersistentVolumeClaim } from './persistentVolumeClaim';
import { StorageClass } from './storageClass';
import { builtinStore, issuesOf } from './testStore';

describe('StorageClass', () => {
  it('defaults reclaimPolicy and volumeBindingMode, cluster-scoped', async () => {
    const { store } = await builtinStore();
    const sc = await store.create(StorageClass, { metadata: { name: 'fast' }, provisioner: 'csi.example.dev' });
    expect(sc.apiVersion).toBe('storage.k8s.io/v1');
    expect(sc.metadata.namespace).toBeUndefined();
    expect(sc).toMatchObject({
      provisioner: 'csi.example.dev',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
    });
  });

  it('refuses a missing provisioner and unsupported policies, writing nothing', async () => {
    const { store } = await builtinStore();
    expect(await issuesOf(store.create(StorageClass, { metadata: { name: 'a' } } as never))).toEqual([
      { path: 'provisioner', message: 'Required value' },
    ]);
    expect(
      await issuesOf(
        store.create(StorageClass, {
          metadata: { name: 'a' },
          provisioner: 'csi.example.dev',
          reclaimPolicy: 'Recycle',
          volumeBindingMode: 'Later',
        } as never),
      ),
    ).toEqual([
      { path: 'reclaimPolicy', message: 'Unsupported value: "Recycle": supported values: "Delete", "Retain"' },
      {
        path: 'volumeBindingMode',
        message: 'Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
      },
    ]);
    expect(await issuesOf(store.create(StorageClass, { metadata: { name: 'a' }, provisioner: 'bad name!' }))).toEqual([
      { path: 'provisioner', message: expect.stringContaining('must consist of alphanumeric characters') },
    ]);
    expect((await store.list(StorageClass)).items).toEqual([]);
  });

  it('keeps provisioner, parameters, reclaimPolicy and volumeBindingMode; allowVolumeExpansion may change', async () => {
    const { store } = await builtinStore();
    const sc = await store.create(StorageClass, {
      metadata: { name: 'fast' },
      provisioner: 'csi.example.dev',
      parameters: { tier: 'gold' },
    });
    expect(
      await issuesOf(
        store.update({
          ...sc,
          provisioner: 'other.example.dev',
          parameters: { tier: 'silver' },
          reclaimPolicy: 'Retain',
          volumeBindingMode: 'WaitForFirstConsumer',
        }),
      ),
    ).toEqual([
      { path: 'parameters', message: 'Forbidden: updates to parameters are forbidden.' },
      { path: 'provisioner', message: 'Forbidden: updates to provisioner are forbidden.' },
      { path: 'reclaimPolicy', message: 'Forbidden: updates to reclaimPolicy are forbidden.' },
      { path: 'volumeBindingMode', message: 'field is immutable' },
    ]);
    const expanded = await store.update({ ...sc, allowVolumeExpansion: true });
    expect(expanded.allowVolumeExpansion).toBe(true);
  });
});

const pvSpec = { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce' as const], hostPath: { path: '/data' } };

describe('PersistentVolume', () => {
  it('defaults the reclaim policy and volume mode, and starts Pending at its creation time', async () => {
    const { store } = await builtinStore();
    const pv = await store.create(PersistentVolume, {
      metadata: { name: 'pv-1' },
      spec: { ...pvSpec, storageClassName: 'fast' },
      status: { phase: 'Bound' },
    });
    expect(pv.spec).toMatchObject({
      persistentVolumeReclaimPolicy: 'Retain',
      volumeMode: 'Filesystem',
      hostPath: { path: '/data', type: '' },
    });
    expect(pv.status).toEqual({ phase: 'Pending', lastPhaseTransitionTime: pv.metadata.creationTimestamp });
    const listed = await store.list(PersistentVolume, { fieldSelector: 'spec.storageClassName=fast' });
    expect(listed.items).toHaveLength(1);
  });

  it('needs capacity, access modes and exactly one source', async () => {
    const { store } = await builtinStore();
    expect(await issuesOf(store.create(PersistentVolume, { metadata: { name: 'a' }, spec: {} }))).toEqual([
      { path: 'spec', message: 'Required value: must specify a volume type' },
      { path: 'spec.accessModes', message: 'Required value' },
      { path: 'spec.capacity', message: 'Required value' },
    ]);
    const bad = {
      capacity: { storage: '0', cpu: '1' },
      accessModes: ['ReadWriteOncePod' as const, 'ReadOnlyMany' as const],
      hostPath: { path: '/data' },
      csi: { driver: 'csi.example.dev', volumeHandle: 'v1' },
      storageClassName: 'Not_A_Name',
    };
    expect(await issuesOf(store.create(PersistentVolume, { metadata: { name: 'a' }, spec: bad }))).toEqual([
      { path: 'spec.accessModes', message: 'Forbidden: may not use ReadWriteOncePod with other access modes' },
      { path: 'spec.capacity', message: 'Unsupported value: "cpu, storage": supported values: "storage"' },
      { path: 'spec.csi', message: 'Forbidden: may not specify more than 1 volume type' },
      {
        path: 'spec.storageClassName',
        message: expect.stringContaining('must consist of lower case alphanumeric characters'),
      },
    ]);
    const zero = { ...pvSpec, capacity: { storage: '0' }, accessModes: ['Sometimes'] };
    expect(await issuesOf(store.create(PersistentVolume, { metadata: { name: 'a' }, spec: zero } as never))).toEqual([
      {
        path: 'spec.accessModes[0]',
        message:
          'Unsupported value: "Sometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      },
    ]);
    const local = { ...pvSpec, hostPath: undefined, local: { path: '/mnt/disk' } };
    const { hostPath: _h, ...withoutHostPath } = local;
    expect(await issuesOf(store.create(PersistentVolume, { metadata: { name: 'a' }, spec: withoutHostPath }))).toEqual([
      { path: 'spec.nodeAffinity', message: 'Required value: Local volume requires node affinity' },
    ]);
    expect(
      await issuesOf(
        store.create(PersistentVolume, { metadata: { name: 'a' }, spec: { ...pvSpec, capacity: { storage: '0' } } }),
      ),
    ).toEqual([{ path: 'spec.capacity[storage]', message: 'must be greater than zero' }]);
    expect((await store.list(PersistentVolume)).items).toEqual([]);
  });

  it('accepts a local volume with node affinity, and keeps its source and volume mode', async () => {
    const { store } = await builtinStore();
    const { hostPath: _h, ...base } = pvSpec;
    const nodeAffinity = {
      required: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In' as const, values: ['n1'] }] },
        ],
      },
    };
    const pv = await store.create(PersistentVolume, {
      metadata: { name: 'local-1' },
      spec: { ...base, local: { path: '/mnt/disk' }, nodeAffinity },
    });
    expect(
      await issuesOf(store.update({ ...pv, spec: { ...pv.spec, local: { path: '/mnt/other' }, volumeMode: 'Block' } })),
    ).toEqual([
      {
        path: 'spec.persistentvolumesource',
        message: 'Forbidden: spec.persistentvolumesource is immutable after creation',
      },
      { path: 'spec.volumeMode', message: 'field is immutable' },
    ]);
    const bound = await store.update({
      ...pv,
      spec: { ...pv.spec, claimRef: { namespace: 'default', name: 'data' } },
    });
    expect(bound.spec.claimRef).toEqual({ namespace: 'default', name: 'data' });
  });
});

const claimSpec = { accessModes: ['ReadWriteOnce' as const], resources: { requests: { storage: '1Gi' } } };
const claimMeta = { name: 'data', namespace: 'default' };

describe('PersistentVolumeClaim', () => {
  it('defaults the volume mode and starts Pending', async () => {
    const { store } = await builtinStore();
    const claim = await store.create(PersistentVolumeClaim, {
      metadata: claimMeta,
      spec: { ...claimSpec, storageClassName: 'fast', selector: { matchLabels: { tier: 'gold' } } },
      status: { phase: 'Bound' },
    });
    expect(claim.spec.volumeMode).toBe('Filesystem');
    expect(claim.status).toEqual({ phase: 'Pending' });
    expect((await store.list(PersistentVolumeClaim, { fieldSelector: 'status.phase=Pending' })).items).toHaveLength(1);
  });

  it('needs access modes and a positive storage request', async () => {
    const { store } = await builtinStore();
    expect(await issuesOf(store.create(PersistentVolumeClaim, { metadata: claimMeta, spec: {} }))).toEqual([
      { path: 'spec.accessModes', message: 'Required value: at least 1 access mode is required' },
      { path: 'spec.resources[storage]', message: 'Required value' },
    ]);
    const zero = { ...claimSpec, resources: { requests: { storage: '0' } } };
    expect(await issuesOf(store.create(PersistentVolumeClaim, { metadata: claimMeta, spec: zero }))).toEqual([
      { path: 'spec.resources[storage]', message: 'must be greater than zero' },
    ]);
    expect((await store.list(PersistentVolumeClaim)).items).toEqual([]);
  });

  it('keeps its spec, but for setting volumeName once and growing a bound claim', async () => {
    const { store } = await builtinStore();
    const claim = await store.create(PersistentVolumeClaim, { metadata: claimMeta, spec: claimSpec });
    const immutable =
      'Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';
    expect(await issuesOf(store.update({ ...claim, spec: { ...claim.spec, storageClassName: 'slow' } }))).toEqual([
      { path: 'spec', message: immutable },
    ]);
    const grow = { requests: { storage: '2Gi' } };
    expect(await issuesOf(store.update({ ...claim, spec: { ...claim.spec, resources: grow } }))).toEqual([
      { path: 'spec', message: immutable },
    ]);
    const named = await store.update({ ...claim, spec: { ...claim.spec, volumeName: 'pv-1' } });
    expect(named.spec.volumeName).toBe('pv-1');
    expect(await issuesOf(store.update({ ...named, spec: { ...named.spec, volumeName: 'pv-2' } }))).toEqual([
      { path: 'spec', message: immutable },
    ]);
    const bound = await store.updateStatus({
      ...named,
      status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] },
    });
    const grown = await store.update({ ...bound, spec: { ...bound.spec, resources: grow } });
    expect(grown.spec.resources.requests).toEqual({ storage: '2Gi' });
    const shrink = { requests: { storage: '512Mi' } };
    expect(await issuesOf(store.update({ ...grown, spec: { ...grown.spec, resources: shrink } }))).toEqual([
      { path: 'spec.resources.requests.storage', message: 'Forbidden: field can not be less than status.capacity' },
    ]);
    const toCapacity = { ...grown, spec: { ...grown.spec, resources: claimSpec.resources } };
    expect((await issuesOf(store.update(toCapacity))).map((issue) => issue.path)).toEqual([
      'spec.resources.requests.storage',
    ]);
    const back = await store.update({
      ...grown,
      spec: { ...grown.spec, resources: { requests: { storage: '1536Mi' } } },
    });
    expect(back.spec.resources.requests).toEqual({ storage: '1536Mi' });
  });
});
