/**
 * Kubernetes' volume matching rules (component-helpers' `FindMatchingVolume`,
 * `CheckNodeAffinity`, `MatchTopologySelectorTerms`), over our objects.
 */
import {
  type CompiledNodeSelector,
  compileNodeSelector,
  type Node,
  nodeSelectorMatches,
  type PersistentVolume,
  type PersistentVolumeClaim,
  parseQuantity,
  type StorageClass,
} from '@keelson/api';
import { parseLabelSelector } from '@keelson/core';

/** The annotation the scheduler puts on a claim to provision it for a node. */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
/** The annotation on a volume whose `claimRef` the binder (not the user) set. */
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
/** A class with this provisioner never provisions: its claims bind to pre-created volumes only. */
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

const compiled = new WeakMap<PersistentVolume, CompiledNodeSelector | null>();

/** Whether a volume's `spec.nodeAffinity` allows `node` (a volume without node affinity allows every node). */
export function volumeAllowsNode(pv: PersistentVolume, node: Node): boolean {
  let selector = compiled.get(pv);
  if (selector === undefined) {
    const required = pv.spec.nodeAffinity?.required;
    selector = required === undefined ? null : compileNodeSelector(required);
    compiled.set(pv, selector);
  }
  return selector === null || nodeSelectorMatches(selector, node);
}

/** Whether a class's `allowedTopologies` admit a node with these labels (no terms: any node). */
export function topologyAllows(storageClass: StorageClass, labels: Readonly<Record<string, string>>): boolean {
  const terms = storageClass.allowedTopologies;
  if (terms === undefined || terms.length === 0) return true;
  return terms.some((term) =>
    (term.matchLabelExpressions ?? []).every((req) => {
      const value = labels[req.key];
      return value !== undefined && req.values.includes(value);
    }),
  );
}

/** Whether `pv.spec.claimRef` names this claim (and, when it carries a uid, this claim's uid). */
export function volumeBoundToClaim(pv: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = pv.spec.claimRef;
  if (ref === undefined) return false;
  if (ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace) return false;
  return ref.uid === undefined || ref.uid === '' || ref.uid === claim.metadata.uid;
}

/** The storage a claim requests (bytes). */
export function requestedStorage(claim: PersistentVolumeClaim): bigint {
  return parseQuantity(claim.spec.resources.requests?.storage ?? '0').value();
}

function capacityOf(pv: PersistentVolume): bigint {
  return parseQuantity(pv.spec.capacity?.storage ?? '0').value();
}

/**
 * `FindMatchingVolume` on the scheduler's path: the smallest volume that is
 * pre-bound to the claim, or else Available, of the claim's class, big
 * enough, with the claim's volume mode and access modes, matching its
 * selector and allowing `node`. `excluded` skips volumes already chosen.
 */
export function findMatchingVolume(
  claim: PersistentVolumeClaim,
  candidates: readonly PersistentVolume[],
  node: Node,
  excluded: (pv: PersistentVolume) => boolean,
): PersistentVolume | undefined {
  const requested = requestedStorage(claim);
  const className = claim.spec.storageClassName ?? '';
  const selector = claim.spec.selector === undefined ? undefined : parseLabelSelector(claim.spec.selector);
  const modes = claim.spec.accessModes ?? [];
  let smallest: PersistentVolume | undefined;
  let smallestSize = 0n;
  for (const pv of candidates) {
    if (excluded(pv)) continue;
    const preBound = volumeBoundToClaim(pv, claim);
    if (pv.spec.claimRef !== undefined && !preBound) continue;
    const size = capacityOf(pv);
    if (size < requested) continue;
    if (pv.spec.volumeMode !== claim.spec.volumeMode) continue;
    if (pv.metadata.deletionTimestamp !== undefined) continue;
    const allowsNode = volumeAllowsNode(pv, node);
    if (preBound) {
      if ((pv.spec.storageClassName ?? '') !== className || !allowsNode) continue;
      return pv;
    }
    if (pv.status?.phase !== 'Available') continue;
    if (selector !== undefined && !selector.matches(pv.metadata.labels)) continue;
    if ((pv.spec.storageClassName ?? '') !== className || !allowsNode) continue;
    const pvModes = pv.spec.accessModes ?? [];
    if (!modes.every((mode) => pvModes.includes(mode))) continue;
    if (smallest === undefined || size < smallestSize) {
      smallest = pv;
      smallestSize = size;
    }
  }
  return smallest;
}
