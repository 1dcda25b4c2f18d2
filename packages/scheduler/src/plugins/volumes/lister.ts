/**
 * What the volume plugins read beyond nodes and pods: claims, volumes and
 * storage classes. Inside `createScheduler` they come from informers; for
 * `schedulePod` and tests, {@link createVolumeLister} serves fixed lists.
 */
import type { PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '@keelson/api';

/** Read access to the cluster's claims, volumes and storage classes (objects are never mutated). */
export interface VolumeLister {
  claim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  volume(name: string): PersistentVolume | undefined;
  /** The volumes whose `spec.storageClassName` is `className` (`''`: no class). */
  volumesOfClass(className: string): readonly PersistentVolume[];
  storageClass(name: string): StorageClass | undefined;
  /** Calls `listener` after any claim or volume changes; returns the unsubscribe function. Absent for fixed lists. */
  onChange?(listener: () => void): () => void;
  /** Whether the lister has stopped (its scheduler is stopping): waits for bindings give up. */
  readonly closed?: boolean;
}

/** Fixed claims, volumes and storage classes, for `schedulePod` and tests. */
export interface VolumeListerInput {
  claims?: readonly PersistentVolumeClaim[];
  volumes?: readonly PersistentVolume[];
  storageClasses?: readonly StorageClass[];
}

/**
 * A {@link VolumeLister} over fixed lists.
 *
 * @example
 * ```ts
 * const volumes = createVolumeLister({ claims: [claim], volumes: [pv], storageClasses: [fast] });
 * const factory = createVolumeBinding({ volumes });
 * ```
 */
export function createVolumeLister(input: VolumeListerInput = {}): VolumeLister {
  const claims = new Map((input.claims ?? []).map((c) => [`${c.metadata.namespace ?? ''}/${c.metadata.name}`, c]));
  const volumes = new Map((input.volumes ?? []).map((v) => [v.metadata.name, v]));
  const classes = new Map((input.storageClasses ?? []).map((s) => [s.metadata.name, s]));
  return {
    claim: (namespace, name) => claims.get(`${namespace}/${name}`),
    volume: (name) => volumes.get(name),
    volumesOfClass: (className) => [...volumes.values()].filter((v) => (v.spec.storageClassName ?? '') === className),
    storageClass: (name) => classes.get(name),
  };
}

/** The claim names of a pod's `persistentVolumeClaim` volumes; the shared empty array when it has none. */
export function podClaimNames(pod: Pod): readonly string[] {
  const volumes = pod.spec.volumes;
  if (volumes === undefined || volumes.length === 0) return NONE;
  let names: string[] | undefined;
  for (const volume of volumes) {
    const claim = volume.persistentVolumeClaim;
    if (claim === undefined) continue;
    names ??= [];
    names.push(claim.claimName);
  }
  return names ?? NONE;
}

const NONE: readonly string[] = Object.freeze([]);

/** `persistentvolumeclaim "name" not found`, Kubernetes' NotFound message. */
export function claimNotFound(name: string): string {
  return `persistentvolumeclaim "${name}" not found`;
}
