import { Node, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '@keelson/api';
import type { Store } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE } from '../src/plugins/volumes/matching';
import { schedulerCluster } from './schedulerCluster';
import { simulatePvController, ZONE } from './volumeFixtures';

const node = (store: Store, name: string, zone: string) =>
  store.create(Node, {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, [ZONE]: zone } },
    spec: {},
    status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } },
  });
const claim = (store: Store, name: string, storageClassName: string, extra: Record<string, unknown> = {}) =>
  store.create(PersistentVolumeClaim, {
    metadata: { name, namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName, ...extra },
  });
const podUsing = (store: Store, name: string, claimName: string) =>
  store.create(Pod, {
    metadata: { name, namespace: 'default' },
    spec: {
      containers: [{ name: 'c', image: 'app:1' }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
    },
  });
/** Runs what is due now without waiting for idle (a bind waiting for volumes keeps the scheduler busy). */
const flush = async (clock: { advance(ms: number): Promise<void> }) => {
  for (let i = 0; i < 20; i++) await clock.advance(0);
};
const getPod = (store: Store, name: string) => store.get(Pod, name, { namespace: 'default' });
const getClaim = (store: Store, name: string) => store.get(PersistentVolumeClaim, name, { namespace: 'default' });

describe('scheduling pods with volumes', () => {
  it('selects a node for a WaitForFirstConsumer claim and binds only once the claim is bound', async () => {
    const { store, scheduler, settle, clock } = await schedulerCluster({ recorder: false });
    await node(store, 'n1', 'z1');
    await node(store, 'n2', 'z2');
    await store.create(StorageClass, {
      metadata: { name: 'zonal' },
      provisioner: 'csi.example.dev',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowedTopologies: [{ matchLabelExpressions: [{ key: ZONE, values: ['z2'] }] }],
    });
    await claim(store, 'data', 'zonal');
    await scheduler.start();
    await podUsing(store, 'db', 'data');
    await flush(clock);
    // The claim is provisioned for the node the pod goes to; the pod waits for the binding.
    expect((await getClaim(store, 'data')).metadata.annotations?.[ANN_SELECTED_NODE]).toBe('n2');
    expect((await getPod(store, 'db')).spec.nodeName).toBeUndefined();
    await clock.advance(30_000);
    expect((await getPod(store, 'db')).spec.nodeName).toBeUndefined();
    // The PV controller provisions and binds; the pod is then bound.
    const controller = simulatePvController(store);
    await settle();
    controller.stop();
    const bound = await getClaim(store, 'data');
    expect(bound.status?.phase).toBe('Bound');
    expect((await getPod(store, 'db')).spec.nodeName).toBe('n2');
  });

  it('binds a static volume by writing its claimRef, and fails the cycle after the bind timeout', async () => {
    const { store, scheduler, settle, clock } = await schedulerCluster({ recorder: false });
    await node(store, 'n1', 'z1');
    await store.create(StorageClass, {
      metadata: { name: 'local' },
      provisioner: 'kubernetes.io/no-provisioner',
      volumeBindingMode: 'WaitForFirstConsumer',
    });
    const pv = await store.create(PersistentVolume, {
      metadata: { name: 'pv-1' },
      spec: {
        capacity: { storage: '5Gi' },
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'local',
        hostPath: { path: '/d' },
      },
    });
    await store.patch(PersistentVolume, pv.metadata.name, (d) => ({ ...d, status: { phase: 'Available' as const } }), {
      subresource: 'status',
    });
    const made = await claim(store, 'data', 'local');
    await scheduler.start();
    await podUsing(store, 'db', 'data');
    await flush(clock);
    const written = await store.get(PersistentVolume, 'pv-1');
    expect(written.spec.claimRef).toMatchObject({ name: 'data', namespace: 'default', uid: made.metadata.uid });
    expect(written.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER]).toBe('yes');
    // Nobody completes the binding: after 600 s the cycle fails and the pod goes back to the queue.
    await clock.advance(599_000);
    expect(scheduler.stats.errors).toBe(0);
    await clock.advance(1_000);
    await flush(clock);
    expect(scheduler.stats.errors).toBe(1);
    expect((await getPod(store, 'db')).spec.nodeName).toBeUndefined();
    // Once the controller runs, the retry binds the pod.
    const controller = simulatePvController(store);
    await store.patch(PersistentVolume, 'pv-1', (d) => ({ ...d, metadata: { ...d.metadata, labels: { poke: '1' } } }));
    await clock.advance(60_000);
    await settle();
    controller.stop();
    expect((await getPod(store, 'db')).spec.nodeName).toBe('n1');
  });

  it('places a pod whose bound volume is pinned to a zone in that zone', async () => {
    const { store, scheduler, settle } = await schedulerCluster({ recorder: false });
    for (const [name, zone] of [
      ['n1', 'z1'],
      ['n2', 'z2'],
      ['n3', 'z3'],
    ] as const)
      await node(store, name, zone);
    await store.create(PersistentVolume, {
      metadata: { name: 'pv-z3', labels: { [ZONE]: 'z3' } },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        csi: { driver: 'csi.example.dev', volumeHandle: 'h' },
        claimRef: { namespace: 'default', name: 'data' },
        nodeAffinity: {
          required: { nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE, operator: 'In', values: ['z3'] }] }] },
        },
      },
    });
    await claim(store, 'data', '', { volumeName: 'pv-z3' });
    await scheduler.start();
    await podUsing(store, 'db', 'data');
    await settle();
    expect((await getPod(store, 'db')).spec.nodeName).toBe('n3');
  });
});
