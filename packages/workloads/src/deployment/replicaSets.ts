/**
 * Questions a Deployment asks of its ReplicaSets, answered as Kubernetes'
 * `deployment/util` and `controller_utils` answer them: which one is new,
 * their revisions, their sums, and the orders the controller walks them in.
 */
import type { PodTemplateSpec } from '@keelson/api';
import { REVISION_ANNOTATION } from './constants';
import { equalIgnoreHash } from './podTemplateHash';

/** What the rollout policy reads of a ReplicaSet (a stored `ReplicaSet` fits). */
export interface ReplicaSetLike {
  metadata: {
    name: string;
    uid?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    generation?: number;
    annotations?: Readonly<Record<string, string>>;
  };
  spec: { replicas: number };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    observedGeneration?: number;
  };
}

/** A ReplicaSet that also carries its pod template. */
export interface ReplicaSetWithTemplate extends ReplicaSetLike {
  spec: { replicas: number; template: PodTemplateSpec };
}

const INTEGER = /^[+-]?\d+$/;

/**
 * The ReplicaSet's `deployment.kubernetes.io/revision`: 0 when it has none,
 * `undefined` when the annotation is not an integer.
 */
export function revisionOf(object: {
  metadata: { annotations?: Readonly<Record<string, string>> };
}): number | undefined {
  const text = object.metadata.annotations?.[REVISION_ANNOTATION];
  if (text === undefined) return 0;
  return INTEGER.test(text) ? Number(text) : undefined;
}

/** The highest revision among the ReplicaSets (unreadable ones skipped), 0 if none. */
export function maxRevision(replicaSets: readonly ReplicaSetLike[]): number {
  let max = 0;
  for (const rs of replicaSets) {
    const revision = revisionOf(rs);
    if (revision !== undefined && revision > max) max = revision;
  }
  return max;
}

function createdAt(rs: ReplicaSetLike): number {
  const text = rs.metadata.creationTimestamp;
  return text === undefined ? 0 : Date.parse(text);
}

/** `ReplicaSetsByCreationTimestamp`: oldest first, ties by name. */
export function byCreation(a: ReplicaSetLike, b: ReplicaSetLike): number {
  const diff = createdAt(a) - createdAt(b);
  if (diff !== 0) return diff;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** `ReplicaSetsBySizeOlder`: largest first, ties oldest first (whom to scale down first). */
export function bySizeOlder(a: ReplicaSetLike, b: ReplicaSetLike): number {
  return a.spec.replicas === b.spec.replicas ? byCreation(a, b) : b.spec.replicas - a.spec.replicas;
}

/** `ReplicaSetsBySizeNewer`: largest first, ties newest first (whom to scale up first). */
export function bySizeNewer(a: ReplicaSetLike, b: ReplicaSetLike): number {
  return a.spec.replicas === b.spec.replicas ? byCreation(b, a) : b.spec.replicas - a.spec.replicas;
}

/** `ReplicaSetsByRevision`: lowest revision first (unreadable counts as 0), ties oldest first. */
export function byRevision(a: ReplicaSetLike, b: ReplicaSetLike): number {
  const diff = (revisionOf(a) ?? 0) - (revisionOf(b) ?? 0);
  return diff === 0 ? byCreation(a, b) : diff;
}

/** The ReplicaSets with `spec.replicas` above 0 (`FilterActiveReplicaSets`). */
export function activeReplicaSets<T extends ReplicaSetLike>(replicaSets: readonly (T | undefined)[]): T[] {
  return replicaSets.filter((rs): rs is T => rs !== undefined && rs.spec.replicas > 0);
}

/** The sum of `spec.replicas`: what the ReplicaSets are asked to run. */
export function specReplicas(replicaSets: readonly (ReplicaSetLike | undefined)[]): number {
  return replicaSets.reduce((sum, rs) => sum + (rs?.spec.replicas ?? 0), 0);
}

/** The sum of `status.replicas`: the pods that exist. */
export function actualReplicas(replicaSets: readonly (ReplicaSetLike | undefined)[]): number {
  return replicaSets.reduce((sum, rs) => sum + (rs?.status?.replicas ?? 0), 0);
}

/** The sum of `status.readyReplicas`. */
export function readyReplicas(replicaSets: readonly (ReplicaSetLike | undefined)[]): number {
  return replicaSets.reduce((sum, rs) => sum + (rs?.status?.readyReplicas ?? 0), 0);
}

/** The sum of `status.availableReplicas`. */
export function availableReplicas(replicaSets: readonly (ReplicaSetLike | undefined)[]): number {
  return replicaSets.reduce((sum, rs) => sum + (rs?.status?.availableReplicas ?? 0), 0);
}

/**
 * `FindNewReplicaSet`: the ReplicaSet whose template equals the
 * Deployment's but for the hash label. Should several match (possible after
 * an adoption), the oldest wins, deterministically.
 */
export function findNewReplicaSet<T extends ReplicaSetWithTemplate>(
  template: PodTemplateSpec,
  replicaSets: readonly T[],
): T | undefined {
  return [...replicaSets].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, template));
}

/** `FindOldReplicaSets`: every ReplicaSet but the new one. */
export function findOldReplicaSets<T extends ReplicaSetWithTemplate>(
  template: PodTemplateSpec,
  replicaSets: readonly T[],
): T[] {
  const newRS = findNewReplicaSet(template, replicaSets);
  return replicaSets.filter((rs) => rs !== newRS);
}

/**
 * `FindActiveOrLatest`: the only ReplicaSet with replicas, or (none having
 * any) the new one, else the newest old one; `undefined` when several have
 * replicas (then scaling is proportional).
 */
export function findActiveOrLatest<T extends ReplicaSetLike>(
  newRS: T | undefined,
  oldRSs: readonly T[],
): T | undefined {
  if (newRS === undefined && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}
