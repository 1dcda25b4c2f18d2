/**
 * Cordoning, as `kubectl cordon` / `uncordon` do it: the node's
 * `spec.unschedulable` says whether the scheduler may place new pods there.
 */
import { Node } from '@keelson/api';
import type { Store } from '@keelson/core';

async function setUnschedulable(store: Store, nodeName: string, desired: boolean): Promise<Node> {
  const node = await store.get(Node, nodeName);
  // kubectl writes nothing when the node already is as asked ("already cordoned").
  if ((node.spec.unschedulable ?? false) === desired) return node;
  return store.patch(
    Node,
    nodeName,
    (draft) => {
      if (desired) draft.spec.unschedulable = true;
      else delete draft.spec.unschedulable;
    },
    { reason: desired ? 'cordoned' : 'uncordoned' },
  );
}

/**
 * Marks the node unschedulable: running pods stay, new ones go elsewhere.
 *
 * @returns the node as it now is.
 * @throws {NotFoundError} when there is no such node.
 */
export function cordonNode(store: Store, nodeName: string): Promise<Node> {
  return setUnschedulable(store, nodeName, true);
}

/**
 * Marks the node schedulable again (removes `spec.unschedulable`).
 *
 * @throws {NotFoundError} when there is no such node.
 */
export function uncordonNode(store: Store, nodeName: string): Promise<Node> {
  return setUnschedulable(store, nodeName, false);
}
