/**
 * `createMockProvisioner`: a simulated CSI driver, `mock.csi.keelson.dev`.
 * It keeps its disks in memory, takes its time on the injected clock and
 * fails when told to, so tests can exercise provisioning, reclaim and
 * expansion without real storage.
 */
import type { Node, PersistentVolume, StorageClass } from '@keelson/api';
import { type Clock, systemClock } from '@keelson/clock';
import { InvalidError } from '@keelson/core';
import { HOSTNAME_LABEL, ZONE_LABEL } from '../constants';
import { sleep } from './sleep';
import type { ExpansionResult, ProvisionedVolume, Provisioner, ProvisionRequest } from './types';

/** The mock driver's name, for StorageClasses' `provisioner`. */
export const MOCK_CSI_DRIVER = 'mock.csi.keelson.dev';

/** An operation of the mock driver, for delays and failure injection. */
export type MockOperation = 'provision' | 'delete' | 'expand';

/** A disk the mock driver holds. */
export interface MockDisk {
  volumeHandle: string;
  capacity: string;
  /** The topology it was made in (`topology.kubernetes.io/zone` or `kubernetes.io/hostname` → value). */
  topology: Record<string, string>;
}

/** Options for {@link createMockProvisioner}. */
export interface MockProvisionerOptions {
  /** The driver name (default `mock.csi.keelson.dev`). */
  name?: string;
  /** Where delays are counted (default: the system clock; pass the cluster's virtual clock in tests). */
  clock?: Clock;
  /** How long each operation takes, in ms of `clock` (default 0 for each). */
  delayMs?: Partial<Record<MockOperation, number>>;
  /** Failure injection: return an error message to fail that operation, or undefined to let it succeed. */
  fail?: (operation: MockOperation, subject: { volumeName: string; claim?: string }) => string | undefined;
  /** Called with a disk's handle once it is deleted (e.g. to wipe the data a node agent kept for it). */
  onDelete?: (volumeHandle: string) => void | Promise<void>;
}

/** The mock driver: a {@link Provisioner} with a view of its disks and a way to fail the next operations. */
export interface MockProvisioner extends Provisioner {
  /** The disks that exist now, by volume handle. */
  disks(): ReadonlyMap<string, MockDisk>;
  /** Makes the next `times` (default 1) calls of `operation` fail with `message`. */
  failNext(operation: MockOperation, message: string, times?: number): void;
}

const OPERATIONS: readonly MockOperation[] = ['provision', 'delete', 'expand'];

function checkOptions(options: MockProvisionerOptions): Record<MockOperation, number> {
  if (options === null || typeof options !== 'object') {
    throw new InvalidError('createMockProvisioner: options must be an object');
  }
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
    throw new InvalidError('createMockProvisioner: options.name must be a non-empty driver name');
  }
  for (const hook of ['fail', 'onDelete'] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== 'function') {
      throw new InvalidError(`createMockProvisioner: options.${hook} must be a function`);
    }
  }
  const delays = { provision: 0, delete: 0, expand: 0 };
  for (const [operation, ms] of Object.entries(options.delayMs ?? {})) {
    if (!OPERATIONS.includes(operation as MockOperation)) {
      throw new InvalidError(
        `createMockProvisioner: options.delayMs.${operation} is not an operation; use provision, delete or expand`,
      );
    }
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new InvalidError(
        `createMockProvisioner: options.delayMs.${operation} must be a number of milliseconds >= 0, got ${String(ms)}`,
      );
    }
    delays[operation as MockOperation] = ms;
  }
  return delays;
}

/** The topology a new disk gets: the selected node's zone (or the node itself), else the class's first allowed topology. */
function topologyFor(selectedNode: Node | undefined, storageClass: StorageClass): Record<string, string> {
  if (selectedNode !== undefined) {
    const zone = selectedNode.metadata.labels?.[ZONE_LABEL];
    return zone === undefined ? { [HOSTNAME_LABEL]: selectedNode.metadata.name } : { [ZONE_LABEL]: zone };
  }
  const topology: Record<string, string> = {};
  for (const expression of storageClass.allowedTopologies?.[0]?.matchLabelExpressions ?? []) {
    const value = expression.values[0];
    if (value !== undefined) topology[expression.key] = value;
  }
  return topology;
}

function nodeAffinityFor(topology: Record<string, string>): PersistentVolume['spec']['nodeAffinity'] {
  const entries = Object.entries(topology);
  if (entries.length === 0) return undefined;
  return {
    required: {
      nodeSelectorTerms: [
        { matchExpressions: entries.map(([key, value]) => ({ key, operator: 'In' as const, values: [value] })) },
      ],
    },
  };
}

/**
 * A mock CSI driver. Volumes it provisions have `csi.driver` set to its
 * name and a `volumeHandle` derived from the claim's uid (unique and the
 * same on every run), the requested capacity, the class's reclaim policy
 * and mount options, and — when the scheduler selected a node, or the class
 * lists allowed topologies — node affinity on that node's
 * `topology.kubernetes.io/zone` (or its hostname when it has no zone).
 *
 * @example
 * ```ts
 * const mock = createMockProvisioner({ clock, delayMs: { provision: 2_000 } });
 * manager.add(persistentVolumeController({ provisioners: [mock] }));
 * mock.failNext('provision', 'out of capacity');
 * ```
 * @throws InvalidError for bad options.
 */
export function createMockProvisioner(options: MockProvisionerOptions = {}): MockProvisioner {
  const delays = checkOptions(options);
  const name = options.name ?? MOCK_CSI_DRIVER;
  const clock = options.clock ?? systemClock;
  const disks = new Map<string, MockDisk>();
  const queued: Record<MockOperation, string[]> = { provision: [], delete: [], expand: [] };

  const attempt = async (
    operation: MockOperation,
    subject: { volumeName: string; claim?: string },
    signal?: AbortSignal,
  ) => {
    await sleep(clock, delays[operation], signal);
    const injected = queued[operation].shift() ?? options.fail?.(operation, subject);
    if (injected !== undefined) throw new Error(injected);
  };

  return {
    name,
    disks: () => disks,
    failNext(operation, message, times = 1) {
      if (!OPERATIONS.includes(operation)) {
        throw new InvalidError(`failNext: operation must be provision, delete or expand, got "${String(operation)}"`);
      }
      if (!Number.isSafeInteger(times) || times < 1) {
        throw new InvalidError(`failNext: times must be a whole number >= 1, got ${String(times)}`);
      }
      for (let i = 0; i < times; i++) queued[operation].push(message);
    },
    async provision({
      claim,
      storageClass,
      volumeName,
      selectedNode,
      signal,
    }: ProvisionRequest): Promise<ProvisionedVolume> {
      const claimName = `${claim.metadata.namespace}/${claim.metadata.name}`;
      await attempt('provision', { volumeName, claim: claimName }, signal);
      const capacity = claim.spec.resources.requests?.storage ?? '1Gi';
      const volumeHandle = `mock-${claim.metadata.uid}`;
      const topology = topologyFor(selectedNode, storageClass);
      disks.set(volumeHandle, { volumeHandle, capacity, topology });
      const nodeAffinity = nodeAffinityFor(topology);
      return {
        spec: {
          capacity: { storage: capacity },
          accessModes: [...(claim.spec.accessModes ?? [])],
          persistentVolumeReclaimPolicy: storageClass.reclaimPolicy,
          volumeMode: claim.spec.volumeMode,
          csi: { driver: name, volumeHandle },
          ...(storageClass.mountOptions === undefined ? {} : { mountOptions: [...storageClass.mountOptions] }),
          ...(nodeAffinity === undefined ? {} : { nodeAffinity }),
        },
      };
    },
    async delete(volume, deleteOptions = {}) {
      await attempt('delete', { volumeName: volume.metadata.name }, deleteOptions.signal);
      const handle = volume.spec.csi?.volumeHandle;
      if (handle === undefined) return;
      // The hook first: when it refuses (the disk is still in use), the disk stays and the delete is retried.
      await options.onDelete?.(handle);
      disks.delete(handle);
    },
    async expand(volume, size, expandOptions = {}): Promise<ExpansionResult> {
      await attempt('expand', { volumeName: volume.metadata.name }, expandOptions.signal);
      const handle = volume.spec.csi?.volumeHandle;
      const disk = handle === undefined ? undefined : disks.get(handle);
      if (disk !== undefined) disks.set(disk.volumeHandle, { ...disk, capacity: size });
      return { capacity: size };
    },
  };
}
