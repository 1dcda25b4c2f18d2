/**
 * The garbage collector: deletes objects whose owners are gone (Background),
 * holds a Foreground deletion until its blocking dependents are gone, and
 * releases dependents on an Orphan deletion — over every kind it is given.
 */
import { builtinTypes } from '@keelson/api';
import { type Cache, type Controller, defineController, type Request, watchSource } from '@keelson/controller';
import { InvalidError, type KubeObject, type ResourceType } from '@keelson/core';
import { collectItem } from './collectItem';
import { DependencyGraph, FOREGROUND_FINALIZER, type GraphNode, ORPHAN_FINALIZER } from './dependencyGraph';
import { KnownTypes, requestFor, requestOf } from './itemKey';

/** The collector's controller name. */
export const GARBAGE_COLLECTOR_NAME = 'garbage-collector';

/** Kubernetes' `--concurrent-gc-syncs` default. */
export const DEFAULT_CONCURRENT_GC_SYNCS = 20;

/** Options for {@link garbageCollectorController}. */
export interface GarbageCollectorOptions {
  /**
   * Every kind the store serves (default: `builtinTypes` of `@keelson/api`).
   * Owner references to kinds outside this list never cause a deletion.
   */
  types?: readonly ResourceType[];
  /** Workers (default {@link DEFAULT_CONCURRENT_GC_SYNCS}); one object is never handled by two at once. */
  maxConcurrentReconciles?: number;
}

function nodeRequest(node: GraphNode): Request {
  return requestFor(node.type, node.name, node.namespace);
}

/**
 * Turns an informer event of `type` into the graph's new state and the
 * objects to look at: the object itself when its owners changed or its
 * deletion waits on the collector, its dependents when it is gone or started
 * a Foreground deletion, and its former owners when it let go of them.
 */
function graphEvents(graph: DependencyGraph, type: ResourceType) {
  return (object: KubeObject, cache: Cache): Request[] => {
    const { uid, name, namespace } = object.metadata;
    const current = cache.get(type, name, namespace);
    const out: Request[] = [];
    const owners = (uids: readonly string[]) => {
      for (const ownerUid of uids) {
        const owner = graph.get(ownerUid);
        if (owner !== undefined) out.push(nodeRequest(owner));
      }
    };
    if (current === undefined || current.metadata.uid !== uid) {
      const gone = graph.remove(uid);
      for (const dependent of graph.dependentsOf(uid)) out.push(nodeRequest(dependent));
      owners((gone?.owners ?? object.metadata.ownerReferences ?? []).map((ref) => ref.uid));
      return out;
    }
    const seen = graph.observe(type, current);
    const finalizers = current.metadata.finalizers ?? [];
    const waitsOnCollector =
      seen.node.beingDeleted && (finalizers.includes(FOREGROUND_FINALIZER) || finalizers.includes(ORPHAN_FINALIZER));
    if (waitsOnCollector || (seen.node.owners.length > 0 && seen.ownersChanged)) out.push(requestOf(type, current));
    if (seen.startedDeletingDependents) {
      for (const dependent of graph.blockingDependentsOf(uid)) out.push(nodeRequest(dependent));
    }
    owners(seen.removedOwnerUids);
    return out;
  };
}

const NOTHING = { create: () => false, update: () => false, delete: () => false };

/**
 * Kubernetes' garbage collector as one controller over every known kind.
 * Its work-queue keys name the kind as well as the object
 * (`replicasets.apps:web-5d8f`, in the object's namespace), and its graph of
 * owners and dependents (by uid) is built from the informer events of every
 * kind, as Kubernetes' GraphBuilder builds it.
 *
 * - Background: an object whose owners are all gone (absent, or replaced by a
 *   namesake with another uid) is deleted — with Foreground when an owner
 *   waits for it and it has dependents of its own; an object with some live
 *   owners only loses its references to the gone ones.
 * - Foreground: an owner with `deletionTimestamp` and the `foregroundDeletion`
 *   finalizer has its dependents deleted, and keeps the finalizer until no
 *   dependent with `blockOwnerDeletion: true` is left.
 * - Orphan: an owner with the `orphan` finalizer has its references removed
 *   from every dependent, then the finalizer.
 *
 * Owners are read from the store, not the cache, before anything is deleted.
 *
 * @example
 * ```ts
 * manager.add(garbageCollectorController({ types: [...builtinTypes, Website] }));
 * await store.delete(ReplicaSet, 'web', { namespace: 'default' }); // its pods follow
 * ```
 */
export function garbageCollectorController(options: GarbageCollectorOptions = {}): Controller {
  const types = new KnownTypes(options.types ?? builtinTypes);
  const graph = new DependencyGraph();
  const first = types.all[0];
  if (first === undefined)
    throw new InvalidError('garbageCollectorController: options.types must list at least one kind');
  return defineController({
    name: GARBAGE_COLLECTOR_NAME,
    // Requests come from the watches (they carry the kind); the `for` kind's own keys would not.
    for: first,
    predicates: [NOTHING],
    watches: types.all.map((type) => watchSource(type, graphEvents(graph, type))),
    maxConcurrentReconciles: options.maxConcurrentReconciles ?? DEFAULT_CONCURRENT_GC_SYNCS,
    async reconcile(request, { client }) {
      const item = types.decode(request);
      if (item === undefined) return;
      await collectItem({ client, graph, types }, item);
    },
  });
}
