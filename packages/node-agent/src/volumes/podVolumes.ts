/**
 * One pod's volumes on the node, as the kubelet's volume manager keeps
 * them: set up before the pod's sandbox and containers start (a failure is
 * a `FailedMount` event and a retry with backoff), API data volumes
 * refreshed on the pod's periodic sync, CRI mounts per container (subPath
 * as bind mounts under `volume-subpaths`), and torn down with the pod.
 */
import type { Container, Pod } from '@keelson/api';
import { type Mount, MountPropagation } from '@keelson/cri';
import { podDir } from './atomicWriter';
import { type MountedVolume, setUpVolume, type VolumeHost, VolumeWaitError } from './plugins';

/** How often API data volumes (configMap, secret, downwardAPI, projected) are refreshed: the kubelet's `syncFrequency`, 1 min. */
export const VOLUME_RESYNC_PERIOD_MS = 60_000;
/** How long a pod waits for its volumes before the kubelet reports it (`podAttachAndMountTimeout`, 2 min 3 s). */
export const MOUNT_TIMEOUT_MS = 123_000;
/** The operation executor's backoff after a failed mount: 500 ms, doubling up to 2 min 2 s. */
const RETRY_INITIAL_MS = 500;
const RETRY_MAX_MS = 122_000;
/** How often a pod waiting for an unbound claim looks again. */
const CLAIM_RETRY_MS = 1_000;

type RecordEvent = (type: 'Normal' | 'Warning', reason: string, message: string) => void;

const PROPAGATION = {
  None: MountPropagation.PROPAGATION_PRIVATE,
  HostToContainer: MountPropagation.PROPAGATION_HOST_TO_CONTAINER,
  Bidirectional: MountPropagation.PROPAGATION_BIDIRECTIONAL,
} as const;

export class PodVolumes {
  private readonly mounted = new Map<string, MountedVolume>();
  private readonly failures = new Map<string, { backoffMs: number; retryAt: number }>();
  private readonly subpaths = new Set<string>();
  private lastRefresh = Number.NEGATIVE_INFINITY;
  private waitingSince: number | undefined;

  constructor(
    private readonly host: VolumeHost,
    private readonly uid: string,
    private readonly event: RecordEvent,
    private readonly syncAt: (at: number) => void,
  ) {}

  /** Sets up what is missing and refreshes what is due; true when every volume is ready. */
  async ensure(pod: Pod): Promise<boolean> {
    const now = this.host.clock.now();
    const refreshDue = now - this.lastRefresh >= VOLUME_RESYNC_PERIOD_MS;
    const pending: string[] = [];
    let retryAt = Number.POSITIVE_INFINITY;
    let refreshed = false;
    for (const volume of pod.spec.volumes ?? []) {
      const have = this.mounted.get(volume.name);
      if (have !== undefined && !(have.refresh && refreshDue)) continue;
      const failure = this.failures.get(volume.name);
      if (have === undefined && failure !== undefined && now < failure.retryAt) {
        pending.push(volume.name);
        retryAt = Math.min(retryAt, failure.retryAt);
        continue;
      }
      try {
        const mounted = await setUpVolume(this.host, pod, volume);
        this.mounted.set(volume.name, mounted);
        this.failures.delete(volume.name);
        refreshed ||= mounted.refresh;
      } catch (error) {
        const waiting = error instanceof VolumeWaitError;
        const message = error instanceof Error ? error.message : String(error);
        if (!waiting)
          this.event('Warning', 'FailedMount', `MountVolume.SetUp failed for volume "${volume.name}" : ${message}`);
        const backoffMs = waiting
          ? CLAIM_RETRY_MS
          : Math.min(failure === undefined ? RETRY_INITIAL_MS : failure.backoffMs * 2, RETRY_MAX_MS);
        this.failures.set(volume.name, { backoffMs, retryAt: now + backoffMs });
        retryAt = Math.min(retryAt, now + backoffMs);
        // a refresh that fails keeps the old contents; only a volume never set up holds the pod
        if (have === undefined) pending.push(volume.name);
      }
    }
    if (refreshDue && (refreshed || this.hasRefreshing())) this.lastRefresh = now;
    if (this.hasRefreshing()) this.syncAt(this.lastRefresh + VOLUME_RESYNC_PERIOD_MS);
    if (pending.length === 0) {
      this.waitingSince = undefined;
      return true;
    }
    this.waitingSince ??= now;
    if (now - this.waitingSince >= MOUNT_TIMEOUT_MS) {
      const all = (pod.spec.volumes ?? []).map((v) => v.name).sort();
      this.event(
        'Warning',
        'FailedMount',
        `Unable to attach or mount volumes: unmounted volumes=[${[...pending].sort().join(' ')}], unattached volumes=[${all.join(' ')}]: timed out waiting for the condition`,
      );
      this.waitingSince = now;
    }
    this.syncAt(Math.min(retryAt, this.waitingSince + MOUNT_TIMEOUT_MS));
    return false;
  }

  private hasRefreshing(): boolean {
    for (const volume of this.mounted.values()) if (volume.refresh) return true;
    return false;
  }

  /**
   * The CRI mounts of a container, as the kubelet's `makeMounts`: the
   * volume's host path, or for a `subPath` a bind mount of that path
   * (created as a directory when missing) under
   * `volume-subpaths/<volume>/<container>/<index>`, which keeps what it
   * bound when the volume's contents are updated later.
   */
  async mounts(container: Container): Promise<Mount[]> {
    const { fs } = this.host;
    const out: Mount[] = [];
    for (const [index, mount] of (container.volumeMounts ?? []).entries()) {
      const volume = this.mounted.get(mount.name);
      if (volume === undefined) {
        throw new Error(`cannot find volume "${mount.name}" to mount into container "${container.name}"`);
      }
      let hostPath = volume.path;
      const subPath = mount.subPath ?? '';
      if (subPath !== '') {
        if (subPath.startsWith('/') || subPath.split('/').includes('..')) {
          throw new Error(`subPath "${subPath}" of volumeMount "${mount.name}" must be a relative path without '..'`);
        }
        const source = `${volume.path}/${subPath}`;
        if ((await fs.stat(source)) === undefined) await fs.mkdir(source, 0o755);
        const target = `${podDir(this.uid)}/volume-subpaths/${mount.name}/${container.name}/${index}`;
        if (!(await fs.isMountPoint(target))) {
          await fs.mkdir(target.slice(0, target.lastIndexOf('/')), 0o750);
          if ((await fs.stat(source))?.type === 'Directory') await fs.mkdir(target, 0o750);
          else if ((await fs.lstat(target)) === undefined) await fs.writeFile(target, '', 0o644);
          await fs.mount(source, target);
        }
        this.subpaths.add(target);
        hostPath = target;
      }
      out.push({
        containerPath: mount.mountPath,
        hostPath,
        readonly: mount.readOnly === true || volume.readOnly,
        propagation: PROPAGATION[mount.mountPropagation ?? 'None'],
      });
    }
    return out;
  }

  /** Unmounts subPaths, unpublishes claims and removes the pod's directory (emptyDir data goes with it). */
  async tearDown(): Promise<void> {
    const { fs } = this.host;
    for (const target of this.subpaths) await fs.unmount(target);
    this.subpaths.clear();
    for (const volume of this.mounted.values()) await volume.tearDown?.();
    this.mounted.clear();
    this.failures.clear();
    await fs.remove(podDir(this.uid));
  }
}
