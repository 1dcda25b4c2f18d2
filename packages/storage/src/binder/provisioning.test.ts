import { PersistentVolume, PersistentVolumeClaim } from '@keelson/api';
import { describe, expect, it } from 'vitest';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  PV_DELETION_PROTECTION_FINALIZER,
} from '../constants';
import { createClaim, createClass, createNode, type StorageHarness, storageStoppedAfterEach } from '../testSupport';

const start = storageStoppedAfterEach();

async function selectNode(h: StorageHarness, claim: string, node: string) {
  await h.store.patch(
    PersistentVolumeClaim,
    claim,
    (draft) => {
      draft.metadata.annotations = { ...draft.metadata.annotations, [ANN_SELECTED_NODE]: node };
      return draft;
    },
    { namespace: 'default' },
  );
}

describe('dynamic provisioning', () => {
  it('Immediate: provisions pvc-<uid> through the class provisioner, after its delay on the clock, and binds it', async () => {
    const h = await start({ delayMs: { provision: 3_000 } });
    await createClass(h.store, 'fast', { reclaimPolicy: 'Retain', mountOptions: ['noatime'] });
    const created = await createClaim(h.store, 'data', '3Gi', { storageClassName: 'fast' });
    await h.advance();
    const waiting = await h.claim('data');
    expect(waiting.metadata.annotations).toMatchObject({
      [ANN_STORAGE_PROVISIONER]: 'mock.csi.keelson.dev',
      [ANN_BETA_STORAGE_PROVISIONER]: 'mock.csi.keelson.dev',
    });
    expect(waiting.status?.phase).toBe('Pending');
    expect((await h.store.list(PersistentVolume)).items).toEqual([]);
    await h.advance(3_000);

    const name = `pvc-${created.metadata.uid}`;
    const claim = await h.claim('data');
    expect(claim.spec.volumeName).toBe(name);
    expect(claim.status).toMatchObject({ phase: 'Bound', capacity: { storage: '3Gi' } });
    const volume = await h.volume(name);
    expect(volume.status?.phase).toBe('Bound');
    expect(volume.spec).toMatchObject({
      capacity: { storage: '3Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: 'fast',
      mountOptions: ['noatime'],
      csi: { driver: 'mock.csi.keelson.dev', volumeHandle: `mock-${created.metadata.uid}` },
      claimRef: { name: 'data', namespace: 'default', uid: created.metadata.uid },
    });
    expect(volume.spec.nodeAffinity).toBeUndefined();
    expect(volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED]).toBe('mock.csi.keelson.dev');
    expect(h.mock.disks().has(`mock-${created.metadata.uid}`)).toBe(true);
    expect(await h.events('data')).toEqual([
      "ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'mock.csi.keelson.dev' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
      'Provisioning: External provisioner is provisioning volume for claim "default/data"',
      `ProvisioningSucceeded: Successfully provisioned volume ${name}`,
    ]);
    expect(h.logs).toContainEqual({
      level: 'info',
      message: `Successfully provisioned volume ${name}`,
      fields: {
        component: 'controller-manager',
        controller: 'persistentvolume-binder-controller',
        namespace: 'default',
        name: 'data',
        kind: 'PersistentVolumeClaim',
        object: 'default/data',
        reason: 'ProvisioningSucceeded',
      },
    });
  });

  it("WaitForFirstConsumer: waits for the selected-node annotation, then provisions in that node's zone", async () => {
    const h = await start();
    await createNode(h.store, 'node-a', 'zone-a');
    await createNode(h.store, 'node-b', 'zone-b');
    await createClass(h.store, 'standard', { volumeBindingMode: 'WaitForFirstConsumer', default: true });
    const created = await createClaim(h.store, 'data', '1Gi');
    expect(created.spec.storageClassName).toBe('standard');
    await h.advance(60_000);
    expect((await h.claim('data')).status?.phase).toBe('Pending');
    expect((await h.store.list(PersistentVolume)).items).toEqual([]);
    expect(await h.events('data')).toEqual([
      'WaitForFirstConsumer: waiting for first consumer to be created before binding',
    ]);

    await selectNode(h, 'data', 'node-b');
    await h.advance();
    const claim = await h.claim('data');
    expect(claim.status?.phase).toBe('Bound');
    const volume = await h.volume(claim.spec.volumeName ?? '');
    expect(volume.spec.nodeAffinity).toEqual({
      required: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-b'] }] },
        ],
      },
    });
    expect(volume.spec.persistentVolumeReclaimPolicy).toBe('Delete');
    expect(volume.metadata.finalizers).toEqual(expect.arrayContaining([PV_DELETION_PROTECTION_FINALIZER]));
  });

  it('Immediate with allowedTopologies: the volume is pinned to the first allowed zone', async () => {
    const h = await start();
    await createClass(h.store, 'zonal', {
      allowedTopologies: [
        { matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['zone-c', 'zone-d'] }] },
      ],
    });
    await createClaim(h.store, 'data', '1Gi', { storageClassName: 'zonal' });
    await h.advance();
    const volume = await h.volume((await h.claim('data')).spec.volumeName ?? '');
    expect(volume.spec.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchExpressions).toEqual([
      { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-c'] },
    ]);
  });

  it('a failed provision is a ProvisioningFailed event, retried with backoff until it succeeds', async () => {
    const h = await start();
    h.mock.failNext('provision', 'out of capacity', 2);
    await createClass(h.store, 'fast');
    await createClaim(h.store, 'data', '1Gi', { storageClassName: 'fast' });
    await h.advance();
    expect((await h.claim('data')).status?.phase).toBe('Pending');
    expect(await h.events('data')).toContain(
      'ProvisioningFailed: failed to provision volume with StorageClass "fast": out of capacity',
    );
    await h.advance(400);
    expect((await h.claim('data')).status?.phase).toBe('Pending');
    await h.advance(2_000);
    expect((await h.claim('data')).status?.phase).toBe('Bound');
  });

  it('a failed provision for a selected node gives the node back to the scheduler', async () => {
    const h = await start();
    h.mock.failNext('provision', 'zone full');
    await createNode(h.store, 'node-a', 'zone-a');
    await createClass(h.store, 'wait', { volumeBindingMode: 'WaitForFirstConsumer' });
    await createClaim(h.store, 'data', '1Gi', { storageClassName: 'wait' });
    await h.advance();
    await selectNode(h, 'data', 'node-a');
    await h.advance();
    const claim = await h.claim('data');
    expect(claim.metadata.annotations?.[ANN_SELECTED_NODE]).toBeUndefined();
    expect(claim.status?.phase).toBe('Pending');
  });

  it('a missing class is reported, and a class made later provisions the waiting claim', async () => {
    const h = await start();
    await createClaim(h.store, 'data', '1Gi', { storageClassName: 'later' });
    await h.advance();
    expect(await h.events('data')).toEqual(['ProvisioningFailed: storageclass.storage.k8s.io "later" not found']);
    await createClass(h.store, 'later');
    await h.advance();
    expect((await h.claim('data')).status?.phase).toBe('Bound');
  });

  it('leaves a class of an unknown external provisioner to it, and kubernetes.io/no-provisioner fails', async () => {
    const h = await start();
    await createClass(h.store, 'external', { provisioner: 'disk.example.dev' });
    await createClass(h.store, 'manual', { provisioner: 'kubernetes.io/no-provisioner' });
    await createClaim(h.store, 'ext', '1Gi', { storageClassName: 'external' });
    await createClaim(h.store, 'man', '1Gi', { storageClassName: 'manual' });
    await h.advance();
    expect((await h.claim('ext')).metadata.annotations?.[ANN_STORAGE_PROVISIONER]).toBe('disk.example.dev');
    expect((await h.events('ext'))[0]).toMatch(
      /^ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'disk.example.dev'/,
    );
    expect(await h.events('man')).toEqual([
      'ProvisioningFailed: no volume plugin matched name: kubernetes.io/no-provisioner',
    ]);
    expect((await h.store.list(PersistentVolume)).items).toEqual([]);
  });
});
