import { getCondition, Node, PersistentVolume, PersistentVolumeClaim, Pod } from '@keelson/api';
import type { Store } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT } from '../src/plugins/volumes/volumeRestrictions';
import { schedulerCluster } from './schedulerCluster';

const ns = { namespace: 'default' };

async function addNode(store: Store, name: string) {
  await store.create(Node, {
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } },
  });
}

/** A ReadWriteOncePod claim bound to a volume, as the PV controller leaves them. */
async function boundClaim(store: Store, name: string) {
  const claim = await store.create(PersistentVolumeClaim, {
    metadata: { name, namespace: 'default', annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } },
    spec: {
      accessModes: ['ReadWriteOncePod'],
      resources: { requests: { storage: '1Gi' } },
      volumeName: `pv-${name}`,
    },
  });
  const volume = await store.create(PersistentVolume, {
    metadata: { name: `pv-${name}` },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOncePod'],
      csi: { driver: 'csi.example.dev', volumeHandle: name },
      claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name, uid: claim.metadata.uid },
    },
  });
  await store.updateStatus({ ...volume, status: { ...volume.status, phase: 'Bound' } });
  await store.updateStatus({ ...claim, status: { ...claim.status, phase: 'Bound' } });
}

async function addPod(store: Store, name: string, claimName: string, nodeName?: string) {
  await store.create(Pod, {
    metadata: { name, namespace: 'default' },
    spec: {
      containers: [{ name: 'c', image: 'app:1' }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
      ...(nodeName ? { nodeName } : {}),
    },
  });
}

const scheduledCondition = async (store: Store, name: string) =>
  getCondition((await store.get(Pod, name, ns)).status?.conditions, 'PodScheduled');

describe('pods whose claims cannot be used', () => {
  it('keeps a second pod of a ReadWriteOncePod claim pending, and places it once the first is gone', async () => {
    const { store, scheduler, settle, clock } = await schedulerCluster({ recorder: false });
    await addNode(store, 'n1');
    await addNode(store, 'n2');
    await boundClaim(store, 'solo');
    await addPod(store, 'owner', 'solo', 'n1');
    await scheduler.start();
    await addPod(store, 'second', 'solo');
    await settle();
    const pending = await scheduledCondition(store, 'second');
    expect(pending?.reason).toBe('Unschedulable');
    expect(pending?.message).toContain(`0/2 nodes are available: 2 ${ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT}.`);
    await store.delete(Pod, 'owner', { ...ns, gracePeriodSeconds: 0 });
    await clock.advance(10_000); // the backoff of its failed attempt
    await settle();
    expect((await store.get(Pod, 'second', ns)).spec.nodeName).toBeDefined();
  });

  it('reports a claim that does not exist, unresolvably, and places the pod once it is created and bound', async () => {
    const { store, scheduler, settle, clock } = await schedulerCluster({ recorder: false });
    await addNode(store, 'n1');
    await scheduler.start();
    await addPod(store, 'orphan', 'nope');
    await settle();
    const pending = await scheduledCondition(store, 'orphan');
    expect(pending?.message).toContain('persistentvolumeclaim "nope" not found');
    expect(pending?.message).toContain('Preemption is not helpful for scheduling');
    await boundClaim(store, 'nope');
    await clock.advance(10_000);
    await settle();
    expect((await store.get(Pod, 'orphan', ns)).spec.nodeName).toBe('n1');
  });
});
