/**
 * End-to-end storage on a whole test cluster: the default class, dynamic
 * provisioning under WaitForFirstConsumer in the selected node's zone,
 * expansion and reclaim, through the mock CSI driver.
 */
import { Event, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '@keelson/api';
import { isKeelsonError } from '@keelson/core';
import { ANN_SELECTED_NODE } from '@keelson/storage';
import { describe, expect, it } from 'vitest';
import { createTestCluster } from '../src/index';
import { clustersClosedAfterEach } from './support';

const cluster = clustersClosedAfterEach();

const CLAIM = `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data }
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 2Gi } }
`;

describe('storage end to end', () => {
  it('a claim gets the default class, waits for its consumer, is provisioned in its zone, grows, and is reclaimed', async () => {
    const deleted: string[] = [];
    const c = await cluster({
      nodes: [{ zone: 'zone-a' }, { zone: 'zone-b' }],
      seed: 11,
      mockProvisioner: { delayMs: { provision: 2_000 }, onDelete: (handle) => void deleted.push(handle) },
    });
    const standard = await c.get(StorageClass, 'standard');
    expect(standard).toMatchObject({
      provisioner: 'mock.csi.keelson.dev',
      volumeBindingMode: 'WaitForFirstConsumer',
      reclaimPolicy: 'Delete',
      allowVolumeExpansion: true,
    });
    await c.apply(CLAIM);
    await c.advance('1m');
    const waiting = await c.get(PersistentVolumeClaim, 'data', 'default');
    expect(waiting.spec.storageClassName).toBe('standard');
    expect(waiting.status?.phase).toBe('Pending');
    const events = (await c.list(Event, { namespace: 'default' })).filter((e) => e.involvedObject.name === 'data');
    expect(events.map((e) => [e.reason, e.source?.component])).toEqual([
      ['WaitForFirstConsumer', 'persistentvolume-controller'],
    ]);

    // What the scheduler's VolumeBinding plugin writes once it has placed the claim's first pod.
    await c.store.patch(
      PersistentVolumeClaim,
      'data',
      (draft) => {
        draft.metadata.annotations = { ...draft.metadata.annotations, [ANN_SELECTED_NODE]: 'node-2' };
        return draft;
      },
      { namespace: 'default' },
    );
    await c.waitFor(async (cl) => (await cl.get(PersistentVolumeClaim, 'data', 'default')).status?.phase === 'Bound', {
      timeout: '1m',
    });
    const bound = await c.get(PersistentVolumeClaim, 'data', 'default');
    const volume = await c.get(PersistentVolume, bound.spec.volumeName ?? '');
    expect(volume.metadata.name).toBe(`pvc-${bound.metadata.uid}`);
    expect(volume.spec.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchExpressions).toEqual([
      { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-b'] },
    ]);
    expect(c.provisioner.disks().size).toBe(1);

    await c.store.update({ ...bound, spec: { ...bound.spec, resources: { requests: { storage: '5Gi' } } } });
    await c.waitFor(
      async (cl) => (await cl.get(PersistentVolumeClaim, 'data', 'default')).status?.capacity?.storage === '5Gi',
      { timeout: '1m' },
    );
    expect((await c.get(PersistentVolume, volume.metadata.name)).spec.capacity).toEqual({ storage: '5Gi' });

    await c.delete(PersistentVolumeClaim, 'data', { namespace: 'default' });
    await c.waitFor(
      async (cl) =>
        cl.get(PersistentVolume, volume.metadata.name).then(
          () => false,
          (error: unknown) => isKeelsonError(error, 'NotFound'),
        ),
      { timeout: '1m' },
    );
    expect(deleted).toEqual([volume.spec.csi?.volumeHandle]);
  });

  it('a pod mounts a provisioned volume from the shared disks; the disk goes with the claim', async () => {
    const c = await cluster({ nodes: 2, seed: 12 });
    await c.apply(`
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: { name: now }
provisioner: mock.csi.keelson.dev
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data }
spec:
  storageClassName: now
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 1Gi } }
---
apiVersion: v1
kind: Pod
metadata: { name: user }
spec:
  containers: [{ name: app, image: busybox, volumeMounts: [{ name: d, mountPath: /data }] }]
  volumes: [{ name: d, persistentVolumeClaim: { claimName: data } }]
`);
    await c.waitFor(async (cl) => (await cl.get(Pod, 'user', 'default')).status?.phase === 'Running', {
      timeout: '2m',
    });
    const claim = await c.get(PersistentVolumeClaim, 'data', 'default');
    const handle = (await c.get(PersistentVolume, claim.spec.volumeName ?? '')).spec.csi?.volumeHandle ?? '';
    expect(c.disks.publications(handle)).toHaveLength(1);

    await c.delete(PersistentVolumeClaim, 'data', { namespace: 'default' });
    await c.advance('1m');
    expect((await c.get(PersistentVolumeClaim, 'data', 'default')).metadata.deletionTimestamp).toBeDefined();
    expect(c.disks.has(handle)).toBe(true);
    await c.delete(Pod, 'user', { namespace: 'default' });
    await c.waitFor(() => !c.disks.has(handle), { timeout: '3m' });
    expect(c.provisioner.disks().size).toBe(0);
  });

  it('runs the storage controllers by name, and refuses a second mock driver among extra provisioners', async () => {
    const c = await cluster({
      nodes: 1,
      controllers: ['persistentvolume-binder-controller'],
      defaultStorageClass: false,
    });
    expect((await c.list(StorageClass)).map((sc) => sc.metadata.name)).toEqual([]);
    await expect(createTestCluster({ provisioners: [c.provisioner] })).rejects.toMatchObject({
      code: 'Invalid',
      message: expect.stringMatching(/is the cluster's own mock driver/),
    });
  });
});
