import { PersistentVolume, PersistentVolumeClaim, Pod } from '@keelson/api';
import { createMockCsiDriver, createMockDisks, MOCK_CSI_DRIVER } from '@keelson/runtime-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './testHarness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.agent.stop();
  h = undefined;
});

const namespace = 'default';
type PvSource = Record<string, unknown>;

async function claim(store: Harness['store'], name: string, source: PvSource, bind = true) {
  const pvc = await store.create(PersistentVolumeClaim, {
    metadata: { name, namespace },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeName: `pv-${name}` },
  });
  await store.create(PersistentVolume, {
    metadata: { name: `pv-${name}` },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      claimRef: { kind: 'PersistentVolumeClaim', namespace, name, uid: pvc.metadata.uid },
      ...source,
    },
  } as never);
  if (bind) await bound(store, name);
}

async function bound(store: Harness['store'], name: string) {
  const pvc = await store.get(PersistentVolumeClaim, name, { namespace });
  await store.updateStatus({ ...pvc, status: { ...pvc.status, phase: 'Bound' } });
}

const usesClaim = (claimName: string, readOnly = false) => ({
  volumes: [{ name: 'data', persistentVolumeClaim: { claimName, ...(readOnly ? { readOnly } : {}) } }],
});
const mountsData = [{ name: 'app', image: 'app:1', volumeMounts: [{ name: 'data', mountPath: '/data' }] }];

describe('persistentVolumeClaim volumes', () => {
  it('waits while the claim is unbound, then mounts the bound hostPath PV', async () => {
    h = await startHarness(undefined, { events: true });
    h.registry.add('app:1', { behaviour: { files: [{ path: '/data/log', content: 'up' }] } });
    await claim(h.store, 'data', { hostPath: { path: '/mnt/disks/one', type: 'DirectoryOrCreate' } }, false);
    await h.runPod('app', mountsData, usesClaim('data'));
    await h.advance(10_000);
    expect((await h.pod('app')).status?.phase).toBe('Pending');
    await h.advance(120_000);
    const messages = (await h.events()).filter((e) => e.reason === 'FailedMount').map((e) => e.message);
    expect(messages).toContain(
      'Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[data]: timed out waiting for the condition',
    );
    await bound(h.store, 'data');
    await h.advance(2_000);
    expect((await h.pod('app')).status?.phase).toBe('Running');
    expect(h.runtime.hostFiles.read('/mnt/disks/one/log')).toBe('up');
  });

  it('publishes a CSI volume through the node driver, read-only when the claim says so, and unpublishes it with the pod', async () => {
    const disks = createMockDisks();
    h = await startHarness(undefined, { csiDrivers: (runtime) => [createMockCsiDriver({ disks, runtime })] });
    h.registry.add('app:1');
    await claim(h.store, 'db', { csi: { driver: MOCK_CSI_DRIVER, volumeHandle: 'vol-1' } });
    const pod = await h.runPod('app', mountsData, usesClaim('db'));
    await h.advance(1_000);
    (await h.files('app', 'app')).write('/data/rows', '42');
    expect(disks.files('vol-1').read('/rows')).toBe('42');
    const target = `/var/lib/kubelet/pods/${pod.metadata.uid}/volumes/kubernetes.io~csi/pv-db/mount`;
    expect(h.runtime.hostFiles.mountPoints()).toContain(target);
    await h.runPod('reader', mountsData, usesClaim('db', true));
    await h.advance(1_000);
    const reader = await h.files('reader', 'app');
    expect(reader.read('/data/rows')).toBe('42');
    expect(() => reader.write('/data/rows', '0')).toThrow('read-only file system');
    await h.store.delete(Pod, 'app', { namespace, gracePeriodSeconds: 0 });
    await h.store.delete(Pod, 'reader', { namespace, gracePeriodSeconds: 0 });
    await h.advance(1_000);
    expect(h.runtime.hostFiles.mountPoints()).toEqual([]);
    expect(disks.publications('vol-1')).toEqual([]);
    expect(disks.files('vol-1').read('/rows')).toBe('42');
  });

  it('bind-mounts a local PV, and reports a local path the node does not have', async () => {
    h = await startHarness(undefined, { events: true });
    h.registry.add('app:1', { behaviour: { files: [{ path: '/data/out', content: 'kept' }] } });
    h.runtime.hostFiles.mkdir('/mnt/ssd');
    const affinity = {
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }] },
          ],
        },
      },
    };
    await claim(h.store, 'fast', { local: { path: '/mnt/ssd' }, ...affinity });
    await claim(h.store, 'gone', { local: { path: '/mnt/absent' }, ...affinity });
    const pod = await h.runPod('app', mountsData, usesClaim('fast'));
    await h.runPod('lost', mountsData, usesClaim('gone'));
    await h.advance(2_000);
    expect(h.runtime.hostFiles.read('/mnt/ssd/out')).toBe('kept');
    expect(h.runtime.hostFiles.mountPoints()).toEqual([
      `/var/lib/kubelet/pods/${pod.metadata.uid}/volumes/kubernetes.io~local-volume/pv-fast`,
    ]);
    const messages = (await h.events()).filter((e) => e.reason === 'FailedMount').map((e) => e.message);
    expect(messages).toContain('MountVolume.SetUp failed for volume "data" : path "/mnt/absent" does not exist');
    await h.store.delete(Pod, 'app', { namespace, gracePeriodSeconds: 0 });
    await h.advance(1_000);
    expect(h.runtime.hostFiles.mountPoints()).toEqual([]);
    expect(h.runtime.hostFiles.read('/mnt/ssd/out')).toBe('kept');
  });

  it('reports a CSI driver the node does not have', async () => {
    h = await startHarness(undefined, { events: true });
    h.registry.add('app:1');
    await claim(h.store, 'db', { csi: { driver: 'other.csi.example.com', volumeHandle: 'v' } });
    await h.runPod('app', mountsData, usesClaim('db'));
    await h.advance(2_000);
    const messages = (await h.events()).filter((e) => e.reason === 'FailedMount').map((e) => e.message);
    expect(messages).toContain(
      'MountVolume.SetUp failed for volume "data" : kubernetes.io/csi: mounter.SetUpAt failed to get CSI client: driver name other.csi.example.com not found in the list of registered CSI drivers',
    );
  });
});

describe('createNodeAgent csiDrivers', () => {
  it('rejects a driver without a name or given twice with an InvalidError, before anything starts', async () => {
    h = await startHarness();
    const { createNodeAgent } = await import('./createNodeAgent');
    const base = { store: h.store, runtime: h.runtime, images: h.runtime, nodeName: 'node-2', capacity: {} };
    const driver = createMockCsiDriver({ disks: createMockDisks(), runtime: h.runtime });
    expect(() => createNodeAgent({ ...base, csiDrivers: [{} as never] })).toThrow(
      expect.objectContaining({
        code: 'Invalid',
        message: expect.stringContaining('csiDrivers[0] must be a CSI node driver'),
      }),
    );
    expect(() => createNodeAgent({ ...base, csiDrivers: [driver, driver] })).toThrow(
      `csiDrivers[1]: driver "${MOCK_CSI_DRIVER}" is given twice`,
    );
  });
});
