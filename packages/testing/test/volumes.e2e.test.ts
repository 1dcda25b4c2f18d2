/**
 * Volumes end to end: a claim on a mock CSI disk written by a pod on one
 * node and read by a new pod on another, and the same run twice.
 */
import { PersistentVolume, PersistentVolumeClaim, Pod } from '@keelson/api';
import { MOCK_CSI_DRIVER } from '@keelson/runtime-mock';
import { describe, expect, it } from 'vitest';
import { diffRuns, type TestCluster } from '../src/index';
import { clustersClosedAfterEach } from './support';

const cluster = clustersClosedAfterEach();

const IMAGES = {
  'db:1': {
    behaviour: {
      files: [
        {
          atMs: 1_000,
          path: '/data/rows',
          content: (p: { env: Readonly<Record<string, string>> }) => `rows from ${p.env.WHO}`,
        },
      ],
    },
  },
};

/** A claim and a PV on disk `handle` that name each other, bound by the PV controller. */
async function boundClaim(c: TestCluster, name: string, handle: string): Promise<void> {
  const pvc = await c.store.create(PersistentVolumeClaim, {
    metadata: { name, namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeName: `pv-${name}` },
  });
  const pv = await c.store.create(PersistentVolume, {
    metadata: { name: `pv-${name}` },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name, uid: pvc.metadata.uid },
      csi: { driver: MOCK_CSI_DRIVER, volumeHandle: handle },
    },
  });
  // The cluster's PV controller completes the binding both ways.
  await c.waitFor(
    async (cl) =>
      (await cl.get(PersistentVolumeClaim, name, 'default')).status?.phase === 'Bound' &&
      (await cl.get(PersistentVolume, pv.metadata.name)).status?.phase === 'Bound',
    { timeout: '1m' },
  );
}

const dbPod = (name: string, nodeName: string) => ({
  metadata: { name, namespace: 'default' },
  spec: {
    nodeName,
    containers: [
      {
        name: 'db',
        image: 'db:1',
        env: [{ name: 'WHO', value: name }],
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
      },
    ],
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
  },
});

async function moveDisk(c: TestCluster): Promise<string> {
  await boundClaim(c, 'data', 'disk-data');
  await c.store.create(Pod, dbPod('first', 'node-1'));
  await c.waitFor(async () => c.disks.has('disk-data') && c.disks.files('disk-data').exists('/rows'), {
    timeout: '1m',
    description: 'the first pod wrote to its claim',
  });
  await c.delete(Pod, 'first', { namespace: 'default', gracePeriodSeconds: 0 });
  await c.waitFor(async () => (await c.list(Pod)).length === 0, {
    timeout: '1m',
    description: 'the first pod is gone',
  });
  expect(c.disks.publications('disk-data')).toEqual([]);
  await c.store.create(Pod, {
    ...dbPod('second', 'node-2'),
    spec: {
      ...dbPod('second', 'node-2').spec,
      containers: [{ name: 'db', image: 'reader:1', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
    },
  });
  await c.waitFor(async () => (await c.get(Pod, 'second', 'default')).status?.phase === 'Running', {
    timeout: '1m',
    description: 'the second pod runs',
  });
  return (await c.files('second')).read('/data/rows');
}

describe('volumes end to end', () => {
  it('a claim written by a pod on one node is read by a new pod on another; the disk outlives both', async () => {
    const c = await cluster({ nodes: 2, seed: 5, images: { ...IMAGES, 'reader:1': {} } });
    expect(await moveDisk(c)).toBe('rows from first');
    expect(c.runtime('node-1').hostFiles.mountPoints()).toEqual([]);
    await expect(c.files('nope')).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('runs identically twice with the same seed', async () => {
    const a = await cluster({ nodes: 2, seed: 9, images: { ...IMAGES, 'reader:1': {} } });
    const b = await cluster({ nodes: 2, seed: 9, images: { ...IMAGES, 'reader:1': {} } });
    expect(await moveDisk(a)).toBe(await moveDisk(b));
    expect(await diffRuns(a.log, b.log)).toBeUndefined();
  });
});
