/**
 * The garbage collector's owner → dependents graph, kept from the informers'
 * events like Kubernetes' GraphBuilder: every observed object is a node keyed
 * by uid, with its owner references; an owner's dependents are found by the
 * owner's uid, whether or not the owner itself has been observed.
 */
import type { KubeObject, OwnerReference, ResourceType } from '@keelson/core';

/** One observed object. */
export interface GraphNode {
  uid: string;
  type: ResourceType;
  name: string;
  namespace: string | undefined;
  owners: readonly OwnerReference[];
  /** `metadata.deletionTimestamp` is set. */
  beingDeleted: boolean;
  /** Being deleted and holding the `foregroundDeletion` finalizer. */
  deletingDependents: boolean;
}

/** What {@link DependencyGraph.observe} learned about an object. */
export interface ObserveResult {
  node: GraphNode;
  /** No node with this uid was known before. */
  added: boolean;
  /** The owner references differ from the ones last observed. */
  ownersChanged: boolean;
  /** Owner uids the object referenced before this event and no longer does. */
  removedOwnerUids: string[];
  /** The object just started deleting its dependents (deletionTimestamp and `foregroundDeletion`). */
  startedDeletingDependents: boolean;
}

/** Kubernetes' finalizer of a Foreground deletion. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
/** Kubernetes' finalizer of an Orphan deletion. */
export const ORPHAN_FINALIZER = 'orphan';

function sameOwners(a: readonly OwnerReference[], b: readonly OwnerReference[]): boolean {
  if (a.length !== b.length) return false;
  return a.every(
    (ref, i) => ref.uid === b[i]?.uid && ref.name === b[i]?.name && ref.blockOwnerDeletion === b[i]?.blockOwnerDeletion,
  );
}

/** @internal The graph one garbage collector keeps. */
export class DependencyGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly dependents = new Map<string, Set<string>>();

  /** Records the current state of `object` (of `type`). */
  observe(type: ResourceType, object: KubeObject): ObserveResult {
    const { uid, name, namespace, deletionTimestamp, finalizers } = object.metadata;
    const old = this.nodes.get(uid);
    const owners = object.metadata.ownerReferences ?? [];
    const beingDeleted = deletionTimestamp !== undefined;
    const node: GraphNode = {
      uid,
      type,
      name,
      namespace: type.namespaced ? namespace : undefined,
      owners,
      beingDeleted,
      deletingDependents: beingDeleted && (finalizers ?? []).includes(FOREGROUND_FINALIZER),
    };
    const oldOwners = old?.owners ?? [];
    const removedOwnerUids = oldOwners.map((r) => r.uid).filter((u) => !owners.some((r) => r.uid === u));
    for (const ownerUid of removedOwnerUids) this.unlink(ownerUid, uid);
    for (const ref of owners) {
      const set = this.dependents.get(ref.uid) ?? new Set<string>();
      set.add(uid);
      this.dependents.set(ref.uid, set);
    }
    this.nodes.set(uid, node);
    return {
      node,
      added: old === undefined,
      ownersChanged: !sameOwners(oldOwners, owners),
      removedOwnerUids,
      startedDeletingDependents: node.deletingDependents && !(old?.deletingDependents ?? false),
    };
  }

  /** Forgets an object that is gone; returns its last node, if it was known. */
  remove(uid: string): GraphNode | undefined {
    const node = this.nodes.get(uid);
    if (node === undefined) return undefined;
    this.nodes.delete(uid);
    for (const ref of node.owners) this.unlink(ref.uid, uid);
    return node;
  }

  /** The node of an observed object. */
  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  /** Every observed object with an owner reference to `ownerUid`. */
  dependentsOf(ownerUid: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const uid of this.dependents.get(ownerUid) ?? []) {
      const node = this.nodes.get(uid);
      if (node !== undefined) out.push(node);
    }
    return out;
  }

  /** The dependents whose reference to `ownerUid` has `blockOwnerDeletion: true`: they hold a Foreground deletion. */
  blockingDependentsOf(ownerUid: string): GraphNode[] {
    return this.dependentsOf(ownerUid).filter((node) =>
      node.owners.some((ref) => ref.uid === ownerUid && ref.blockOwnerDeletion === true),
    );
  }

  private unlink(ownerUid: string, dependentUid: string): void {
    const set = this.dependents.get(ownerUid);
    if (set === undefined) return;
    set.delete(dependentUid);
    if (set.size === 0) this.dependents.delete(ownerUid);
  }
}
