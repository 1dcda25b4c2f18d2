/**
 * The node lifecycle controller's public face: what it does, and the factory.
 * The implementation is {@link NodeLifecycle}; the policies it applies are the
 * pure functions of this folder.
 */
import type { Store } from '@keelson/core';
import { NodeLifecycle } from './NodeLifecycle';
import { type NodeLifecycleOptions, resolveNodeLifecycleOptions } from './options';

/** A running node lifecycle controller. */
export interface NodeLifecycleController {
  /** Starts the informers, waits for their caches, checks every node once, then every monitor period. */
  start(): Promise<void>;
  /** Stops the checks, the informers and every pending eviction; waits for writes under way. */
  stop(): Promise<void>;
}

/**
 * Creates Kubernetes' node lifecycle controller (with its taint-based
 * eviction) over `store`: every monitor period it judges each node by the
 * local time it last saw the node's heartbeat (Lease `renewTime` or `Ready`
 * `lastHeartbeatTime`); a node silent for longer than the grace period gets
 * `Ready=Unknown`, its pods `Ready=False`, and the `unreachable` NoExecute
 * and NoSchedule taints (`not-ready` when the node itself reports
 * `Ready=False`); pods that do not tolerate a NoExecute taint are deleted at
 * once, those that tolerate it for `tolerationSeconds` when that runs out
 * (counted from the taint's `timeAdded`). Standalone rather than a
 * `defineController` reconciler: it polls nodes on a period as Kubernetes
 * does. Run one per cluster (start it when a manager starts leading, if you
 * use leader election).
 *
 * @throws {InvalidError} for unusable options.
 * @example
 * ```ts
 * const recorder = createEventRecorder(store, { component: 'node-controller' });
 * const lifecycle = createNodeLifecycleController(store, { recorder });
 * await lifecycle.start();
 * // ... a node stops renewing its Lease in kube-node-lease: 50 s later it is Ready=Unknown and tainted
 * await lifecycle.stop();
 * ```
 */
export function createNodeLifecycleController(
  store: Store,
  options: NodeLifecycleOptions = {},
): NodeLifecycleController {
  return new NodeLifecycle(store, resolveNodeLifecycleOptions(store, options));
}
