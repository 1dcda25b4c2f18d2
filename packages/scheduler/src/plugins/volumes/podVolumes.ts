/**
 * VolumeBinding's per-cycle reasoning: sorting a pod's claims (PreFilter)
 * and finding, for one node, volumes for its unbound claims or the claims to
 * provision there (Filter) — Kubernetes' `GetPodVolumeClaims` and
 * `FindPodVolumes`.
 */
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from '@keelson/api';
import { type PluginResult, unresolvable } from '../../framework/status';
import type { AssumedVolumes } from './assumed';
import { claimNotFound, type VolumeLister } from './lister';
import {
  ANN_SELECTED_NODE,
  findMatchingVolume,
  NO_PROVISIONER,
  requestedStorage,
  topologyAllows,
  volumeAllowsNode,
} from './matching';

/** Filter: an unbound WaitForFirstConsumer claim finds no volume and cannot be provisioned on the node. */
export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
/** Filter: a bound claim's volume does not allow the node (`spec.nodeAffinity`). */
export const ERR_REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
/** Filter: a bound claim names a volume that does not exist. */
export const ERR_REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
/** PreFilter: the pod has an unbound claim of an Immediate class (or of no class). */
export const ERR_REASON_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';

/** A pod's claims, sorted: bound, and unbound in a WaitForFirstConsumer class (smallest request first). */
export interface PodClaims {
  readonly bound: readonly PersistentVolumeClaim[];
  readonly delayed: readonly PersistentVolumeClaim[];
}

/** What binding the pod's volumes on one node takes. */
export interface PodVolumes {
  /** Static bindings: each unbound claim and the Available volume chosen for it. */
  readonly bindings: ReadonlyArray<{ readonly claim: PersistentVolumeClaim; readonly volume: PersistentVolume }>;
  /** Claims to provision on the node. */
  readonly provisions: readonly PersistentVolumeClaim[];
}

/** `namespace/name` of a claim. */
export function claimKeyOf(claim: PersistentVolumeClaim): string {
  return `${claim.metadata.namespace ?? ''}/${claim.metadata.name}`;
}

/**
 * PreFilter's checks: every claim exists and is not being deleted or lost
 * (UnschedulableAndUnresolvable otherwise), unbound claims of Immediate
 * classes reject the pod, a missing class is an error.
 */
export function podClaims(
  pod: Pod,
  names: readonly string[],
  lister: VolumeLister,
): { claims: PodClaims } | { status: PluginResult } {
  const namespace = pod.metadata.namespace ?? '';
  const bound: PersistentVolumeClaim[] = [];
  const delayed: PersistentVolumeClaim[] = [];
  let immediate = false;
  for (const name of names) {
    const claim = lister.claim(namespace, name);
    if (claim === undefined) return { status: unresolvable(claimNotFound(name)) };
    if (claim.status?.phase === 'Lost') {
      const volume = claim.spec.volumeName ?? '';
      return {
        status: unresolvable(`persistentvolumeclaim "${name}" bound to non-existent persistentvolume "${volume}"`),
      };
    }
    if (claim.metadata.deletionTimestamp !== undefined) {
      return { status: unresolvable(`persistentvolumeclaim "${name}" is being deleted`) };
    }
  }
  for (const name of names) {
    const claim = lister.claim(namespace, name) as PersistentVolumeClaim;
    if (claim.spec.volumeName) {
      bound.push(claim);
      continue;
    }
    const className = claim.spec.storageClassName ?? '';
    if (className === '') {
      immediate = true;
      continue;
    }
    const storageClass = lister.storageClass(className);
    if (storageClass === undefined) {
      return { status: errorOf(`storageclass.storage.k8s.io "${className}" not found`) };
    }
    if (storageClass.volumeBindingMode === 'WaitForFirstConsumer') delayed.push(claim);
    else immediate = true;
  }
  if (immediate) return { status: unresolvable(ERR_REASON_UNBOUND_IMMEDIATE) };
  delayed.sort((a, b) => {
    const diff = requestedStorage(a) - requestedStorage(b);
    return diff < 0n ? -1 : diff > 0n ? 1 : 0;
  });
  return { claims: { bound, delayed } };
}

function errorOf(message: string): PluginResult {
  return { code: 'Error', reasons: [message], error: new Error(message) };
}

/**
 * Filter for one node: the reasons it fails (empty when it fits) and, when
 * it fits, what binding takes there.
 */
export function findPodVolumes(
  claims: PodClaims,
  node: Node,
  lister: VolumeLister,
  assumed: AssumedVolumes,
): { reasons: string[]; volumes?: PodVolumes } {
  const reasons: string[] = [];
  let boundSatisfied = true;
  let pvsFound = true;
  for (const claim of claims.bound) {
    const volume = lister.volume(claim.spec.volumeName as string);
    if (volume === undefined) {
      pvsFound = false;
      break;
    }
    if (!volumeAllowsNode(volume, node)) {
      boundSatisfied = false;
      break;
    }
  }
  let unboundSatisfied = true;
  const bindings: Array<{ claim: PersistentVolumeClaim; volume: PersistentVolume }> = [];
  const provisions: PersistentVolumeClaim[] = [];
  if (claims.delayed.length > 0) {
    const toProvision: PersistentVolumeClaim[] = [];
    const toMatch: PersistentVolumeClaim[] = [];
    for (const claim of claims.delayed) {
      const selected = claim.metadata.annotations?.[ANN_SELECTED_NODE];
      if (selected === undefined) toMatch.push(claim);
      else if (selected === node.metadata.name) toProvision.push(claim);
      else unboundSatisfied = false;
    }
    if (unboundSatisfied) {
      const chosen = new Set<string>();
      for (const claim of toMatch) {
        const key = claimKeyOf(claim);
        const excluded = (pv: PersistentVolume) =>
          chosen.has(pv.metadata.name) || (assumed.claimFor(pv.metadata.name) ?? key) !== key;
        const candidates = lister.volumesOfClass(claim.spec.storageClassName ?? '');
        const volume = findMatchingVolume(claim, candidates, node, excluded);
        if (volume === undefined) toProvision.push(claim);
        else {
          chosen.add(volume.metadata.name);
          bindings.push({ claim, volume });
        }
      }
      for (const claim of toProvision) {
        const storageClass = lister.storageClass(claim.spec.storageClassName ?? '');
        const provisioner = storageClass?.provisioner ?? '';
        if (
          storageClass === undefined ||
          provisioner === '' ||
          provisioner === NO_PROVISIONER ||
          !topologyAllows(storageClass, node.metadata.labels ?? {})
        ) {
          unboundSatisfied = false;
          break;
        }
        provisions.push(claim);
      }
    }
  }
  if (!boundSatisfied) reasons.push(ERR_REASON_NODE_CONFLICT);
  if (!unboundSatisfied) reasons.push(ERR_REASON_BIND_CONFLICT);
  if (!pvsFound) reasons.push(ERR_REASON_PV_NOT_EXIST);
  return reasons.length > 0 ? { reasons } : { reasons, volumes: { bindings, provisions } };
}
