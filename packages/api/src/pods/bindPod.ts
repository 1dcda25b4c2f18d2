/**
 * Binding: how a scheduler assigns a pod to a node.
 */
import { ConflictError, InvalidError, type Store } from '@keelson/core';
import { Pod } from '../kinds/pod';

/** The pod to bind: its name and namespace, and optionally its uid as a precondition. */
export interface PodReference {
  metadata: { name: string; namespace?: string; uid?: string };
}

/**
 * Binds a pending pod to a node by setting `spec.nodeName`, as Kubernetes'
 * `pods/binding` subresource does. A pod is bound once: if it already has a
 * node, is being deleted, or (when `pod.metadata.uid` is given) was
 * replaced by another pod of the same name, the binding fails with
 * `ConflictError` and nothing is written. Conflicting concurrent writes are
 * retried by `store.patch`, so of two schedulers racing, one wins and the
 * other gets the conflict.
 *
 * @returns the bound pod.
 * @throws {ConflictError} when the pod cannot be bound.
 * @example
 * ```ts
 * const bound = await bindPod(store, pod, 'node-1');
 * bound.spec.nodeName; // 'node-1'
 * await bindPod(store, pod, 'node-2'); // ConflictError: pod default/web is already assigned to node "node-1"
 * ```
 */
export async function bindPod(store: Store, pod: PodReference, nodeName: string): Promise<Pod> {
  if (typeof nodeName !== 'string' || nodeName === '') {
    throw new InvalidError('bindPod: nodeName must be a non-empty node name');
  }
  const { name, namespace, uid } = pod.metadata;
  const display = `${namespace ?? ''}/${name}`;
  return store.patch(
    Pod,
    name,
    (draft) => {
      if (uid !== undefined && draft.metadata.uid !== uid) {
        throw new ConflictError(
          `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${draft.metadata.uid}`,
        );
      }
      if (draft.metadata.deletionTimestamp !== undefined) {
        throw new ConflictError(`pod ${display} is being deleted, cannot be assigned to a host`);
      }
      if (draft.spec.nodeName) {
        throw new ConflictError(`pod ${display} is already assigned to node "${draft.spec.nodeName}"`);
      }
      draft.spec.nodeName = nodeName;
    },
    namespace === undefined ? {} : { namespace },
  );
}
