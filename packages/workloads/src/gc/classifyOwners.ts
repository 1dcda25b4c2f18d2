/**
 * Sorting a dependent's owner references the way Kubernetes' garbage
 * collector does, reading each owner from the store (not the cache, which may
 * lag behind: an owner created just before its dependent must never look absent).
 */
import type { Client } from '@keelson/controller';
import { isKeelsonError, type KubeObject, type OwnerReference } from '@keelson/core';
import { FOREGROUND_FINALIZER } from './dependencyGraph';
import type { KnownTypes } from './itemKey';

/** A dependent's owner references, by the state of each owner. */
export interface ClassifiedOwners {
  /** The owner exists (same uid) and is not waiting for its dependents' deletion. */
  solid: OwnerReference[];
  /** The owner is gone, or a namesake with another uid took its place. */
  dangling: OwnerReference[];
  /** The owner is being deleted in the foreground (deletionTimestamp and `foregroundDeletion`). */
  waitingForDependentsDeletion: OwnerReference[];
  /**
   * References the collector cannot resolve: a kind the store does not serve,
   * or a namespaced owner of a cluster-scoped object. They never cause a
   * deletion and are left in place.
   */
  unresolved: OwnerReference[];
}

/** Reads each owner of `dependent` and sorts its references. */
export async function classifyOwners(
  client: Client,
  types: KnownTypes,
  dependent: KubeObject,
  dependentNamespaced: boolean,
): Promise<ClassifiedOwners> {
  const out: ClassifiedOwners = { solid: [], dangling: [], waitingForDependentsDeletion: [], unresolved: [] };
  for (const ref of dependent.metadata.ownerReferences ?? []) {
    const ownerType = types.ofReference(ref);
    if (ownerType === undefined || (ownerType.namespaced && !dependentNamespaced)) {
      out.unresolved.push(ref);
      continue;
    }
    // A namespaced owner lives in its dependent's namespace: owner references never cross namespaces.
    const namespace = ownerType.namespaced ? dependent.metadata.namespace : undefined;
    let owner: KubeObject | undefined;
    try {
      owner = await client.get(ownerType, ref.name, { namespace });
    } catch (error) {
      if (!isKeelsonError(error, 'NotFound')) throw error;
    }
    if (owner === undefined || owner.metadata.uid !== ref.uid) out.dangling.push(ref);
    else if (
      owner.metadata.deletionTimestamp !== undefined &&
      (owner.metadata.finalizers ?? []).includes(FOREGROUND_FINALIZER)
    ) {
      out.waitingForDependentsDeletion.push(ref);
    } else out.solid.push(ref);
  }
  return out;
}
