/**
 * Controller references, as Kubernetes' `ControllerRefManager` uses them:
 * the one owner reference with `controller: true` says which controller
 * manages an object. Controllers adopt matching orphans and release objects
 * whose labels stop matching, so ownership follows the selector.
 */
import type { Cache, Client } from '@keelson/controller';
import {
  isKeelsonError,
  type KubeObject,
  type LabelSelector,
  type OwnerReference,
  type ResourceType,
} from '@keelson/core';

/** What a controller reference is made from: an owner's kind and identity. */
export interface OwnerLike {
  apiVersion: string;
  kind: string;
  metadata: { name: string; uid: string; namespace?: string; deletionTimestamp?: string };
}

/** The controller reference an owner puts on what it creates (it blocks a Foreground deletion of the owner). */
export function controllerRefTo(owner: OwnerLike): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The object's controller reference, if it has one. */
export function controllerOf(object: {
  metadata: { ownerReferences?: readonly OwnerReference[] };
}): OwnerReference | undefined {
  return object.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

/** Whether `owner` (by uid) is the controller of `object`. */
export function isControlledBy(
  object: { metadata: { ownerReferences?: readonly OwnerReference[] } },
  owner: { metadata: { uid: string } },
): boolean {
  return controllerOf(object)?.uid === owner.metadata.uid;
}

/** What {@link claimObjects} needs to know about the owner and its candidates. */
export interface ClaimOptions<T extends KubeObject> {
  client: Client;
  owner: OwnerLike;
  /** The kind of the candidates (Pods, ReplicaSets, …). */
  type: ResourceType<T, unknown>;
  selector: LabelSelector;
  /** Objects in the owner's namespace, usually from the cache. */
  candidates: readonly T[];
  /**
   * Re-reads the owner before the first adoption and answers whether it may
   * still adopt (same uid, not being deleted), as Kubernetes' `canAdopt` does.
   */
  canAdopt?: () => Promise<boolean>;
}

function ownerGone(error: unknown): boolean {
  return isKeelsonError(error, 'NotFound');
}

/**
 * Kubernetes' `ClaimObjects`: keeps what `owner` controls and still matches
 * the selector, releases what it controls but no longer matches (removes its
 * controller reference), and adopts matching orphans that are not being
 * deleted (adds a controller reference), unless the owner itself is being
 * deleted. Objects controlled by someone else are left alone. Returns the
 * objects the owner controls afterwards.
 */
export async function claimObjects<T extends KubeObject>(options: ClaimOptions<T>): Promise<T[]> {
  const { client, owner, type, selector, candidates } = options;
  const claimed: T[] = [];
  let adoptionChecked: boolean | undefined;
  const namespace = owner.metadata.namespace;
  for (const object of candidates) {
    const ref = controllerOf(object);
    const matches = selector.matches(object.metadata.labels ?? {});
    if (ref !== undefined) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (matches && owner.metadata.deletionTimestamp === undefined) {
        claimed.push(object);
        continue;
      }
      if (owner.metadata.deletionTimestamp !== undefined) {
        // An owner being deleted keeps what it has: the garbage collector decides.
        claimed.push(object);
        continue;
      }
      try {
        await client.patch(
          type,
          object.metadata.name,
          (draft) => {
            const refs = (draft.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
            draft.metadata.ownerReferences = refs;
            return draft;
          },
          { namespace, reason: `released by ${owner.kind} ${owner.metadata.name}: labels no longer match` },
        );
      } catch (error) {
        if (!ownerGone(error)) throw error;
      }
      continue;
    }
    if (!matches || owner.metadata.deletionTimestamp !== undefined || object.metadata.deletionTimestamp !== undefined) {
      continue;
    }
    if (adoptionChecked === undefined) adoptionChecked = options.canAdopt ? await options.canAdopt() : true;
    if (!adoptionChecked) continue;
    try {
      const adopted = await client.patch(
        type,
        object.metadata.name,
        (draft) => {
          if (controllerOf(draft) !== undefined) return draft;
          draft.metadata.ownerReferences = [...(draft.metadata.ownerReferences ?? []), controllerRefTo(owner)];
          return draft;
        },
        {
          namespace,
          resourceVersion: object.metadata.resourceVersion,
          reason: `adopted by ${owner.kind} ${owner.metadata.name}`,
        },
      );
      if (isControlledBy(adopted, owner)) claimed.push(adopted);
    } catch (error) {
      // Gone, or changed under us: the next sync sees the current state.
      if (!ownerGone(error) && !isKeelsonError(error, 'Conflict')) throw error;
    }
  }
  return claimed;
}

/**
 * What {@link claimObjects} can act on in `namespace`, sorted by name: the
 * objects the owner with `uid` controls and the orphans. Objects controlled
 * by someone else would be left alone anyway, so the owner's reconcile reads
 * two cache indexes instead of every object of the namespace.
 */
export function claimCandidates<T extends KubeObject>(
  cache: Cache,
  type: ResourceType<T, unknown>,
  namespace: string | undefined,
  uid: string,
): T[] {
  const owned = cache.controlledBy(type, namespace, uid);
  const orphans = cache.controlledBy(type, namespace, undefined);
  if (orphans.length === 0) return owned;
  if (owned.length === 0) return orphans;
  return [...owned, ...orphans].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}
