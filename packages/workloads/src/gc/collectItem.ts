/**
 * One pass of the garbage collector over one object, after Kubernetes'
 * `attemptToDeleteItem`, `processDeletingDependentsItem` and the orphan worker.
 */
import type { Client } from '@keelson/controller';
import { isKeelsonError, type KubeObject, type ResourceType } from '@keelson/core';
import { classifyOwners } from './classifyOwners';
import { type DependencyGraph, FOREGROUND_FINALIZER, type GraphNode, ORPHAN_FINALIZER } from './dependencyGraph';
import type { ItemRef, KnownTypes } from './itemKey';

/** What a pass needs. */
export interface CollectContext {
  client: Client;
  graph: DependencyGraph;
  types: KnownTypes;
}

type DeletePolicy = 'Background' | 'Foreground' | 'Orphan';

function ignoreNotFound(error: unknown): void {
  if (!isKeelsonError(error, 'NotFound')) throw error;
}

async function read(client: Client, item: ItemRef): Promise<KubeObject | undefined> {
  try {
    return await client.get(item.type, item.name, { namespace: item.namespace });
  } catch (error) {
    ignoreNotFound(error);
    return undefined;
  }
}

/** Rewrites one object's metadata, only while it is still the object with `uid`. */
async function patchMeta(
  client: Client,
  type: ResourceType,
  object: KubeObject,
  change: (metadata: KubeObject['metadata']) => void,
): Promise<void> {
  const { uid, name, namespace } = object.metadata;
  try {
    await client.patch(
      type,
      name,
      (draft) => {
        if (draft.metadata.uid === uid) change(draft.metadata);
        return draft;
      },
      { namespace, reason: 'garbage collection' },
    );
  } catch (error) {
    ignoreNotFound(error);
  }
}

async function removeFinalizer(client: Client, type: ResourceType, object: KubeObject, finalizer: string) {
  await patchMeta(client, type, object, (metadata) => {
    const rest = (metadata.finalizers ?? []).filter((f) => f !== finalizer);
    if (rest.length > 0) metadata.finalizers = rest;
    else delete metadata.finalizers;
  });
}

async function removeOwnerRefs(client: Client, type: ResourceType, object: KubeObject, ownerUids: Set<string>) {
  await patchMeta(client, type, object, (metadata) => {
    const rest = (metadata.ownerReferences ?? []).filter((ref) => !ownerUids.has(ref.uid));
    if (rest.length > 0) metadata.ownerReferences = rest;
    else delete metadata.ownerReferences;
  });
}

async function deleteItem(client: Client, type: ResourceType, object: KubeObject, policy: DeletePolicy) {
  try {
    await client.delete(type, object.metadata.name, {
      namespace: object.metadata.namespace,
      propagationPolicy: policy,
      preconditions: { uid: object.metadata.uid },
    });
  } catch (error) {
    ignoreNotFound(error);
  }
}

/** Orphan: drop the owner's references from every dependent, then the `orphan` finalizer. */
async function orphanDependents(ctx: CollectContext, type: ResourceType, owner: KubeObject): Promise<void> {
  const uid = owner.metadata.uid;
  for (const dependent of ctx.graph.dependentsOf(uid)) {
    const current = await read(ctx.client, dependent);
    if (current === undefined || current.metadata.uid !== dependent.uid) continue;
    await removeOwnerRefs(ctx.client, dependent.type, current, new Set([uid]));
  }
  await removeFinalizer(ctx.client, type, owner, ORPHAN_FINALIZER);
}

/** Foreground: the owner's `foregroundDeletion` finalizer goes once no blocking dependent is left. */
async function finishDeletingDependents(ctx: CollectContext, type: ResourceType, owner: KubeObject): Promise<void> {
  // The blocking dependents were queued when the owner's deletion started; each delete brings the owner back here.
  if (ctx.graph.blockingDependentsOf(owner.metadata.uid).length > 0) return;
  await removeFinalizer(ctx.client, type, owner, FOREGROUND_FINALIZER);
}

function policyFromFinalizers(object: KubeObject): DeletePolicy {
  const finalizers = object.metadata.finalizers ?? [];
  if (finalizers.includes(ORPHAN_FINALIZER)) return 'Orphan';
  if (finalizers.includes(FOREGROUND_FINALIZER)) return 'Foreground';
  return 'Background';
}

/** Clears `blockOwnerDeletion` on references to owners that wait for this object, so a cycle cannot deadlock. */
async function unblockOwners(client: Client, type: ResourceType, object: KubeObject, waiting: Set<string>) {
  await patchMeta(client, type, object, (metadata) => {
    metadata.ownerReferences = (metadata.ownerReferences ?? []).map((ref) =>
      waiting.has(ref.uid) && ref.blockOwnerDeletion === true ? { ...ref, blockOwnerDeletion: false } : ref,
    );
  });
}

/** Background and cascading deletion of a dependent, judged by the state of its owners. */
async function attemptToDelete(ctx: CollectContext, item: ItemRef, object: KubeObject): Promise<void> {
  if ((object.metadata.ownerReferences ?? []).length === 0) return;
  const owners = await classifyOwners(ctx.client, ctx.types, object, item.type.namespaced);
  const waiting = owners.waitingForDependentsDeletion;
  if (owners.solid.length > 0 || owners.unresolved.length > 0) {
    // A live owner keeps the object; references to gone or foreground-deleting owners are dropped.
    if (owners.solid.length === 0) return;
    const drop = new Set([...owners.dangling, ...waiting].map((ref) => ref.uid));
    if (drop.size > 0) await removeOwnerRefs(ctx.client, item.type, object, drop);
    return;
  }
  const ownDependents: GraphNode[] = ctx.graph.dependentsOf(object.metadata.uid);
  if (waiting.length > 0 && ownDependents.length > 0) {
    if (ownDependents.some((dependent) => dependent.deletingDependents)) {
      await unblockOwners(ctx.client, item.type, object, new Set(waiting.map((ref) => ref.uid)));
    }
    await deleteItem(ctx.client, item.type, object, 'Foreground');
    return;
  }
  await deleteItem(ctx.client, item.type, object, policyFromFinalizers(object));
}

/** Reconciles one object: as an owner being deleted (Orphan, Foreground) or as a dependent. */
export async function collectItem(ctx: CollectContext, item: ItemRef): Promise<void> {
  const object = await read(ctx.client, item);
  if (object === undefined) return;
  if (object.metadata.deletionTimestamp !== undefined) {
    const finalizers = object.metadata.finalizers ?? [];
    if (finalizers.includes(ORPHAN_FINALIZER)) {
      await orphanDependents(ctx, item.type, object);
      return;
    }
    if (finalizers.includes(FOREGROUND_FINALIZER)) await finishDeletingDependents(ctx, item.type, object);
    // Being deleted is a one-way trip: wait for the final delete, then its dependents are looked at.
    return;
  }
  await attemptToDelete(ctx, item, object);
}
