/**
 * Setting up one pod volume on the node, per plugin, as the kubelet's
 * volume plugins do: emptyDir, configMap, secret, downwardAPI, projected,
 * hostPath (with its type checks) and persistentVolumeClaim (the bound PV's
 * hostPath, local or csi source).
 */
import { PersistentVolume, PersistentVolumeClaim, type Pod, type Volume } from '@keelson/api';
import type { Clock } from '@keelson/clock';
import { isKeelsonError, type Store } from '@keelson/core';
import type { CsiNodeDriver, NodeFilesystem } from '@keelson/cri';
import { volumeDir, writeAtomically } from './atomicWriter';
import { payloadOf, VolumeSetUpError } from './sources';

/** What the plugins use of the node. */
export interface VolumeHost {
  store: Store;
  fs: NodeFilesystem;
  clock: Clock;
  csiDrivers: ReadonlyMap<string, CsiNodeDriver>;
  /** Distinguishes the AtomicWriter's directories. */
  sequence(): number;
}

/** A volume set up on the node. */
export interface MountedVolume {
  /** The host path containers mount (before any subPath). */
  path: string;
  /** Always mounted read-only into containers (API data volumes, read-only claims). */
  readOnly: boolean;
  /** The contents follow their sources (configMap, secret, downwardAPI, projected). */
  refresh: boolean;
  /** Undoes what setup did besides the pod directory (unpublish, unmount). */
  tearDown?: () => Promise<void>;
}

/** A claim that is not usable yet: the pod waits without a per-attempt event. */
export class VolumeWaitError extends Error {}

const TYPE_MESSAGES: Record<string, [string, string]> = {
  Directory: ['Directory', 'is not a directory'],
  DirectoryOrCreate: ['Directory', 'is not a directory'],
  File: ['File', 'is not a file'],
  FileOrCreate: ['File', 'is not a file'],
  Socket: ['Socket', 'is not a socket file'],
  CharDevice: ['CharDevice', 'is not a character device'],
  BlockDevice: ['BlockDevice', 'is not a block device'],
};

/** The hostPath plugin's type check, creating the path for the `OrCreate` types. */
async function checkHostPath(fs: NodeFilesystem, path: string, type: string): Promise<void> {
  const expected = TYPE_MESSAGES[type];
  if (expected === undefined) return;
  let stat = await fs.stat(path);
  if (stat === undefined && type === 'DirectoryOrCreate') {
    await fs.mkdir(path, 0o755);
    stat = await fs.stat(path);
  }
  if (stat === undefined && type === 'FileOrCreate') {
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    if ((await fs.stat(parent))?.type === 'Directory') {
      await fs.writeFile(path, '', 0o644);
      stat = await fs.stat(path);
    }
  }
  if (stat?.type !== expected[0]) throw new VolumeSetUpError(`hostPath type check failed: ${path} ${expected[1]}`);
}

async function getOrUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isKeelsonError(error, 'NotFound')) return undefined;
    throw error;
  }
}

/** The PV a claim is bound to, or a {@link VolumeWaitError} while it is not. */
async function boundVolume(store: Store, namespace: string, claimName: string): Promise<PersistentVolume> {
  const claim = await getOrUndefined(() => store.get(PersistentVolumeClaim, claimName, { namespace }));
  const where = `error processing PVC ${namespace}/${claimName}`;
  if (claim === undefined) throw new VolumeWaitError(`${where}: persistentvolumeclaim "${claimName}" not found`);
  if (claim.metadata.deletionTimestamp !== undefined) {
    throw new VolumeWaitError(`${where}: PVC is being deleted`);
  }
  const volumeName = claim.spec.volumeName ?? '';
  if (claim.status?.phase !== 'Bound') throw new VolumeWaitError(`${where}: PVC is not bound`);
  if (volumeName === '') throw new VolumeWaitError(`${where}: PVC has empty pvc.Spec.VolumeName`);
  const pv = await getOrUndefined(() => store.get(PersistentVolume, volumeName));
  if (pv === undefined) throw new VolumeWaitError(`${where}: persistentvolume "${volumeName}" not found`);
  if (pv.spec.claimRef?.uid !== undefined && pv.spec.claimRef.uid !== claim.metadata.uid) {
    throw new VolumeWaitError(`${where}: pvc UID ${claim.metadata.uid ?? ''} does not match the PV's claimRef`);
  }
  return pv;
}

async function setUpClaim(host: VolumeHost, pod: Pod, claimName: string, readOnly: boolean): Promise<MountedVolume> {
  const { fs } = host;
  const uid = pod.metadata.uid ?? '';
  const pv = await boundVolume(host.store, pod.metadata.namespace ?? 'default', claimName);
  const pvName = pv.metadata.name;
  const { hostPath, local, csi } = pv.spec;
  if (hostPath !== undefined) {
    await checkHostPath(fs, hostPath.path, hostPath.type);
    return { path: hostPath.path, readOnly, refresh: false };
  }
  if (local !== undefined) {
    if ((await fs.stat(local.path)) === undefined) {
      throw new VolumeSetUpError(`path "${local.path}" does not exist`);
    }
    const target = volumeDir(uid, 'local-volume', pvName);
    await fs.mkdir(target, 0o750);
    if (!(await fs.isMountPoint(target))) await fs.mount(local.path, target, { readOnly });
    return { path: target, readOnly, refresh: false, tearDown: () => fs.unmount(target) };
  }
  if (csi === undefined) throw new VolumeSetUpError(`PersistentVolume "${pvName}" has no volume source`);
  const driver = host.csiDrivers.get(csi.driver);
  if (driver === undefined) {
    throw new VolumeSetUpError(
      `kubernetes.io/csi: mounter.SetUpAt failed to get CSI client: driver name ${csi.driver} not found in the list of registered CSI drivers`,
    );
  }
  const dir = volumeDir(uid, 'csi', pvName);
  const targetPath = `${dir}/mount`;
  const ro = readOnly || csi.readOnly === true;
  await fs.mkdir(dir, 0o750);
  await fs.writeFile(
    `${dir}/vol_data.json`,
    JSON.stringify({ driverName: csi.driver, volumeHandle: csi.volumeHandle, specVolID: pvName, podUID: uid }),
    0o644,
  );
  if (!(await fs.isMountPoint(targetPath))) {
    await driver.nodePublishVolume({
      volumeId: csi.volumeHandle,
      targetPath,
      readonly: ro,
      volumeCapability: { mount: { ...(csi.fsType === undefined ? {} : { fsType: csi.fsType }) } },
      ...(csi.volumeAttributes === undefined ? {} : { volumeContext: { ...csi.volumeAttributes } }),
    });
  }
  return {
    path: targetPath,
    readOnly: ro,
    refresh: false,
    tearDown: () => driver.nodeUnpublishVolume({ volumeId: csi.volumeHandle, targetPath }),
  };
}

const PLUGIN_DIRS = { configMap: 'configmap', secret: 'secret', downwardAPI: 'downward-api', projected: 'projected' };

/**
 * Sets up (or, for API data volumes, refreshes) one volume of the pod.
 *
 * @throws VolumeSetUpError / VolumeWaitError when it cannot be set up yet.
 */
export async function setUpVolume(host: VolumeHost, pod: Pod, volume: Volume): Promise<MountedVolume> {
  const uid = pod.metadata.uid ?? '';
  if (volume.hostPath !== undefined) {
    await checkHostPath(host.fs, volume.hostPath.path, volume.hostPath.type);
    return { path: volume.hostPath.path, readOnly: false, refresh: false };
  }
  if (volume.persistentVolumeClaim !== undefined) {
    const { claimName, readOnly = false } = volume.persistentVolumeClaim;
    return setUpClaim(host, pod, claimName, readOnly);
  }
  const payload = await payloadOf(host.store, pod, volume);
  if (payload === undefined) {
    // emptyDir (medium and sizeLimit are not modelled: the directory is on the node's filesystem, unbounded)
    const path = volumeDir(uid, 'empty-dir', volume.name);
    await host.fs.mkdir(path, 0o777);
    return { path, readOnly: false, refresh: false };
  }
  const plugin = (Object.keys(PLUGIN_DIRS) as (keyof typeof PLUGIN_DIRS)[]).find((k) => volume[k] !== undefined);
  const path = volumeDir(uid, PLUGIN_DIRS[plugin ?? 'configMap'], volume.name);
  await writeAtomically(host.fs, path, payload, host.clock.now(), host.sequence());
  // API data volumes are always read-only in containers, as since Kubernetes 1.11
  return { path, readOnly: true, refresh: true };
}
