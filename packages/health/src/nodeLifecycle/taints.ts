/**
 * Which taints a node should carry, from its conditions, as the node
 * lifecycle controller keeps them: `NoSchedule` taints per Kubernetes'
 * TaintNodesByCondition (so the scheduler stops placing pods there) and the
 * `NoExecute` taint that follows the `Ready` condition (so pods are evicted).
 * Pure: the shell decides when to apply it.
 */
import { NOT_READY_TAINT, UNREACHABLE_TAINT } from '@keelson/api';
import type { TaintLike } from './tolerations';

/** NoSchedule taint for `MemoryPressure=True`. */
export const MEMORY_PRESSURE_TAINT = 'node.kubernetes.io/memory-pressure';
/** NoSchedule taint for `DiskPressure=True`. */
export const DISK_PRESSURE_TAINT = 'node.kubernetes.io/disk-pressure';
/** NoSchedule taint for `PIDPressure=True`. */
export const PID_PRESSURE_TAINT = 'node.kubernetes.io/pid-pressure';
/** NoSchedule taint for `NetworkUnavailable=True`. */
export const NETWORK_UNAVAILABLE_TAINT = 'node.kubernetes.io/network-unavailable';
/** NoSchedule taint for a cordoned node (`spec.unschedulable`). */
export const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

/** condition type → status → taint key, as Kubernetes maps them. */
const CONDITION_TAINTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Ready: { False: NOT_READY_TAINT, Unknown: UNREACHABLE_TAINT },
  MemoryPressure: { True: MEMORY_PRESSURE_TAINT },
  DiskPressure: { True: DISK_PRESSURE_TAINT },
  NetworkUnavailable: { True: NETWORK_UNAVAILABLE_TAINT },
  PIDPressure: { True: PID_PRESSURE_TAINT },
};

/** The NoSchedule taints this policy owns: others' taints are never touched. */
const MANAGED_NO_SCHEDULE = new Set([...Object.values(CONDITION_TAINTS).flatMap(Object.values), UNSCHEDULABLE_TAINT]);

/** What the taint policy reads of a Node. */
export interface TaintedNode {
  spec: { taints?: readonly TaintLike[]; unschedulable?: boolean };
  status?: { conditions?: readonly { type: string; status: string }[] } | undefined;
}

/** Options for {@link reconcileNodeTaints}. */
export interface ReconcileTaintsOptions {
  /** Also reconcile the `not-ready` / `unreachable` NoExecute taints from `Ready` (default true). */
  noExecute?: boolean;
}

/**
 * The `NoSchedule` taint keys a node should carry: `not-ready` for
 * `Ready=False`, `unreachable` for `Ready=Unknown`, `memory-pressure`,
 * `disk-pressure`, `pid-pressure`, `network-unavailable` for those conditions
 * being `True`, and `unschedulable` for `spec.unschedulable`.
 */
export function noScheduleTaintKeys(node: TaintedNode): string[] {
  const keys: string[] = [];
  for (const condition of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[condition.type]?.[condition.status];
    if (key !== undefined && !keys.includes(key)) keys.push(key);
  }
  if (node.spec.unschedulable === true) keys.push(UNSCHEDULABLE_TAINT);
  return keys;
}

/**
 * The `NoExecute` taint key that follows a `Ready` status: `not-ready` for
 * `False`, `unreachable` for `Unknown`, none for `True`. `undefined` status
 * (no `Ready` condition yet) gives `null`: leave whatever is there.
 */
export function noExecuteTaintKey(readyStatus: string | undefined): string | undefined | null {
  if (readyStatus === undefined) return null;
  if (readyStatus === 'False') return NOT_READY_TAINT;
  if (readyStatus === 'Unknown') return UNREACHABLE_TAINT;
  return undefined;
}

/**
 * The node's taints with the controller-owned ones brought in line with its
 * conditions: missing ones added with `timeAdded: now`, stale ones removed,
 * every other taint kept as it is (in place, in order). The `not-ready` and
 * `unreachable` NoExecute taints are mutually exclusive, as `Ready` is.
 *
 * @param now RFC 3339 time stamped on added taints.
 * @returns the new taint list, or `undefined` when nothing changes.
 * @example
 * ```ts
 * reconcileNodeTaints({ spec: {}, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }, now);
 * // [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: now },
 * //  { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: now }]
 * ```
 */
export function reconcileNodeTaints<T extends TaintLike>(
  node: TaintedNode & { spec: { taints?: readonly T[] } },
  now: string,
  options: ReconcileTaintsOptions = {},
): T[] | undefined {
  const wantNoSchedule = noScheduleTaintKeys(node);
  const ready = node.status?.conditions?.find((condition) => condition.type === 'Ready');
  const wantNoExecute = options.noExecute === false ? null : noExecuteTaintKey(ready?.status);
  const current: readonly T[] = node.spec.taints ?? [];
  const kept = current.filter((taint) => {
    if (taint.effect === 'NoSchedule' && MANAGED_NO_SCHEDULE.has(taint.key)) return wantNoSchedule.includes(taint.key);
    if (wantNoExecute !== null && taint.effect === 'NoExecute' && isReadyTaint(taint.key)) {
      return taint.key === wantNoExecute;
    }
    return true;
  });
  const added: T[] = [];
  const has = (key: string, effect: string) => kept.some((taint) => taint.key === key && taint.effect === effect);
  for (const key of wantNoSchedule) {
    if (!has(key, 'NoSchedule')) added.push({ key, effect: 'NoSchedule', timeAdded: now } as T);
  }
  if (typeof wantNoExecute === 'string' && !has(wantNoExecute, 'NoExecute')) {
    added.push({ key: wantNoExecute, effect: 'NoExecute', timeAdded: now } as T);
  }
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...added];
}

function isReadyTaint(key: string): boolean {
  return key === NOT_READY_TAINT || key === UNREACHABLE_TAINT;
}
