/**
 * How many pods a budget should expect: the sum of the replicas of the
 * controllers of its pods, found as upstream's finders find them — a pod's
 * ReplicaSet, or the Deployment that controls that ReplicaSet.
 */
import type { Deployment, Pod, ReplicaSet } from '@keelson/api';
import { KeelsonError, type OwnerReference } from '@keelson/core';
import { controllerOf } from '../shared/index';

/** Where the finders look up owners (the controller's cache). */
export interface OwnerLookup {
  replicaSet(namespace: string, name: string): ReplicaSet | undefined;
  deployment(namespace: string, name: string): Deployment | undefined;
}

/** A controller found for a pod, with its desired replicas. */
export interface ControllerScale {
  uid: string;
  replicas: number;
}

/** The group of an ownerReference's `apiVersion` (`apps/v1` → `apps`, `v1` → ``). */
function groupOf(ref: OwnerReference): string {
  const slash = ref.apiVersion.indexOf('/');
  return slash === -1 ? '' : ref.apiVersion.slice(0, slash);
}

function isKind(ref: OwnerReference, kind: string): boolean {
  return ref.kind === kind && ['apps', 'extensions'].includes(groupOf(ref));
}

/** The ReplicaSet a reference points at, when it still is that very object (same uid). */
function replicaSetOf(ref: OwnerReference, namespace: string, owners: OwnerLookup): ReplicaSet | undefined {
  if (!isKind(ref, 'ReplicaSet')) return undefined;
  const rs = owners.replicaSet(namespace, ref.name);
  return rs?.metadata.uid === ref.uid ? rs : undefined;
}

/** Upstream's `getPodDeployment`: the Deployment controlling the pod's ReplicaSet. */
function deploymentScale(ref: OwnerReference, namespace: string, owners: OwnerLookup): ControllerScale | undefined {
  const rs = replicaSetOf(ref, namespace, owners);
  const rsRef = rs === undefined ? undefined : controllerOf(rs);
  if (rsRef === undefined || !isKind(rsRef, 'Deployment')) return undefined;
  const deployment = owners.deployment(namespace, rsRef.name);
  if (deployment?.metadata.uid !== rsRef.uid) return undefined;
  return { uid: deployment.metadata.uid, replicas: deployment.spec.replicas };
}

/** Upstream's `getPodReplicaSet`: a ReplicaSet that no Deployment controls. */
function replicaSetScale(ref: OwnerReference, namespace: string, owners: OwnerLookup): ControllerScale | undefined {
  const rs = replicaSetOf(ref, namespace, owners);
  if (rs === undefined) return undefined;
  if (controllerOf(rs)?.kind === 'Deployment') return undefined;
  return { uid: rs.metadata.uid, replicas: rs.spec.replicas };
}

const FINDERS = [deploymentScale, replicaSetScale];

/** What {@link expectedScale} found. */
export interface ExpectedScale {
  /** The sum of the replicas of the distinct controllers of the pods. */
  expectedPods: number;
  /** Pods without a controller: they are not counted (upstream warns with an `UnmanagedPods` event). */
  unmanaged: string[];
}

/**
 * Why a budget's expected count cannot be computed: a selected pod's
 * controller is gone, or is a kind without replicas (a DaemonSet, a Job).
 * Give such budgets an integer `minAvailable`, which needs no scale.
 */
export class NoControllerError extends KeelsonError {
  constructor(readonly pod: string) {
    super('NoController', 500, `found no controllers for pod "${pod}"`);
  }
}

/**
 * Upstream's `getExpectedScale`: every controlled pod's controller must be
 * found (a ReplicaSet, or the Deployment above it), each controller counts
 * once, and pods without a controller are set aside.
 *
 * @throws {NoControllerError} when a pod's controller is missing or of a kind with no scale here.
 */
export function expectedScale(pods: readonly Pod[], owners: OwnerLookup): ExpectedScale {
  const scales = new Map<string, number>();
  const unmanaged: string[] = [];
  for (const pod of pods) {
    const ref = controllerOf(pod);
    if (ref === undefined) {
      unmanaged.push(pod.metadata.name);
      continue;
    }
    if (scales.has(ref.uid)) continue;
    const namespace = pod.metadata.namespace ?? '';
    let found: ControllerScale | undefined;
    for (const finder of FINDERS) {
      found = finder(ref, namespace, owners);
      if (found) break;
    }
    if (found === undefined) throw new NoControllerError(pod.metadata.name);
    scales.set(found.uid, found.replicas);
  }
  let expectedPods = 0;
  for (const replicas of scales.values()) expectedPods += replicas;
  return { expectedPods, unmanaged };
}
