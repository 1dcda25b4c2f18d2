/**
 * What the node lifecycle controller writes into conditions when a node goes
 * silent: the node's conditions become `Unknown` (it can no longer tell), and
 * the `Ready` condition of its pods becomes `False` (nobody can vouch for
 * them). Pure functions over frozen arrays; they return `undefined` when
 * nothing would change, so the caller writes nothing.
 */
import { type Condition, setCondition } from '@keelson/api';

/** Reason set on conditions of a node that stopped posting its status. */
export const NODE_STATUS_UNKNOWN_REASON = 'NodeStatusUnknown';
/** Reason set on a `Ready` condition added for a node that never posted one. */
export const NODE_STATUS_NEVER_UPDATED_REASON = 'NodeStatusNeverUpdated';

/** The node conditions that follow the node into `Unknown` (`NetworkUnavailable` belongs to the network, not the kubelet). */
export const KUBELET_NODE_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

/**
 * The node's conditions once its kubelet is judged silent: `Ready` and, when
 * present, `MemoryPressure`, `DiskPressure` and `PIDPressure` become
 * `Unknown` with reason `NodeStatusUnknown` ("Kubelet stopped posting node
 * status.") and `lastTransitionTime` `now`, keeping their
 * `lastHeartbeatTime`; a missing `Ready` is added with reason
 * `NodeStatusNeverUpdated`. Conditions already `Unknown` are left alone.
 *
 * @param now RFC 3339 time of the decision.
 * @returns the new conditions, or `undefined` when nothing changes.
 * @example
 * ```ts
 * markNodeStatusUnknown([{ type: 'Ready', status: 'True' }], '2026-01-01T00:01:25Z');
 * // [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: '2026-01-01T00:01:25Z' }]
 * ```
 */
export function markNodeStatusUnknown<C extends Condition>(
  conditions: readonly C[] | undefined,
  now: string,
): C[] | undefined {
  const list = conditions ?? [];
  let changed = false;
  const next = list.map((condition) => {
    if (!(KUBELET_NODE_CONDITIONS as readonly string[]).includes(condition.type)) return condition;
    if (condition.status === 'Unknown') return condition;
    changed = true;
    return {
      ...condition,
      status: 'Unknown',
      reason: NODE_STATUS_UNKNOWN_REASON,
      message: 'Kubelet stopped posting node status.',
      lastTransitionTime: now,
    } as C;
  });
  if (!list.some((condition) => condition.type === 'Ready')) {
    changed = true;
    // No lastHeartbeatTime: the controller's own write must never pass for a heartbeat.
    next.push({
      type: 'Ready',
      status: 'Unknown',
      reason: NODE_STATUS_NEVER_UPDATED_REASON,
      message: 'Kubelet never posted node status.',
      lastTransitionTime: now,
    } as C);
  }
  return changed ? next : undefined;
}

/**
 * A pod's conditions with `Ready` turned `False`, as Kubernetes'
 * `MarkPodsNotReady` does for pods on a node that stopped reporting; reason
 * and message are kept, the transition time moves to `now`. A pod without a
 * `Ready` condition, or already not ready, is left alone.
 *
 * @returns the new conditions, or `undefined` when nothing changes.
 */
export function markPodNotReady<C extends Condition>(
  conditions: readonly C[] | undefined,
  now: string,
): C[] | undefined {
  const ready = conditions?.find((condition) => condition.type === 'Ready');
  if (ready === undefined || ready.status === 'False') return undefined;
  const { lastTransitionTime: _previous, ...rest } = ready;
  return setCondition(conditions, { ...rest, status: 'False' } as C, now);
}

/**
 * A pod's conditions with `DisruptionTarget=True` (reason
 * `DeletionByTaintManager`), which Kubernetes sets just before the taint
 * eviction deletes a pod, so its owner can tell an eviction from a failure.
 *
 * @returns the new conditions, or `undefined` when the pod already has it.
 */
export function markDisruptionTarget<C extends Condition>(
  conditions: readonly C[] | undefined,
  now: string,
): C[] | undefined {
  const existing = conditions?.find((condition) => condition.type === 'DisruptionTarget');
  if (existing?.status === 'True' && existing.reason === DELETION_BY_TAINT_MANAGER_REASON) return undefined;
  const target = {
    type: 'DisruptionTarget',
    status: 'True',
    reason: DELETION_BY_TAINT_MANAGER_REASON,
    message: 'Taint manager: deleting due to NoExecute taint',
  } as C;
  return setCondition(conditions, target, now);
}

/** Reason of the `DisruptionTarget` condition set on pods evicted by NoExecute taints. */
export const DELETION_BY_TAINT_MANAGER_REASON = 'DeletionByTaintManager';
