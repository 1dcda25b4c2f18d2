/**
 * Taint-based eviction policy, as Kubernetes' taint eviction controller
 * decides it: which toleration lets a pod stay on a tainted node, and until
 * when. Pure: the shell turns the answer into one timer per pod.
 */
import { tolerates as toleratesByApi, tolerationsTolerateTaint } from '@keelson/api';
import { parseTime } from './time';

/** A taint as the policy reads it (a stored `Taint` fits). */
export interface TaintLike {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /** RFC 3339; set on NoExecute taints by the node lifecycle controller. */
  timeAdded?: string;
}

/** A toleration as the policy reads it (a stored `Toleration` fits). */
export interface TolerationLike {
  key?: string;
  /** `Equal` (the default) or `Exists`. */
  operator?: string;
  value?: string;
  effect?: string;
  /** Only with `NoExecute`: how long the pod may stay once tainted; absent means forever. */
  tolerationSeconds?: number;
}

/**
 * Whether one toleration matches one taint, by Kubernetes' rules: an empty
 * `effect` matches every effect, an empty `key` (with `Exists`) every key;
 * `Exists` ignores the value, `Equal` needs the same value.
 */
export function toleratesTaint(toleration: TolerationLike, taint: TaintLike): boolean {
  return toleratesByApi(toleration, taint);
}

/** The first toleration that matches `taint`, as Kubernetes picks it; `undefined` when none does. */
export function matchingToleration<T extends TolerationLike>(
  taint: TaintLike,
  tolerations: readonly T[],
): T | undefined {
  return tolerations.find((toleration) => toleratesTaint(toleration, taint));
}

/**
 * Whether any of `tolerations` matches `taint`.
 *
 * @example
 * ```ts
 * tolerates({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
 *   [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]); // true
 * ```
 */
export function tolerates(taint: TaintLike, tolerations: readonly TolerationLike[]): boolean {
  return tolerationsTolerateTaint(tolerations, taint);
}

/**
 * When a pod with `tolerations` must leave a node with `taints` (ms since the
 * epoch), or `undefined` if it may stay for good. Only `NoExecute` taints
 * count. A taint no toleration matches evicts at `now`; a matching
 * toleration with `tolerationSeconds` evicts at the taint's `timeAdded` plus
 * those seconds (`now` stands in for a taint without `timeAdded`; zero or
 * negative seconds evict at once); one without `tolerationSeconds` tolerates
 * forever. With several taints the earliest deadline wins.
 *
 * @example
 * ```ts
 * const taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:01:25Z' } as const;
 * evictionTime([taint], [], now); // now: nothing tolerates it
 * evictionTime([taint], [{ operator: 'Exists', key: taint.key, effect: 'NoExecute', tolerationSeconds: 300 }], now);
 * // Date.parse('2026-01-01T00:06:25Z')
 * evictionTime([taint], [{ operator: 'Exists' }], now); // undefined: tolerated forever
 * ```
 */
export function evictionTime(
  taints: readonly TaintLike[],
  tolerations: readonly TolerationLike[],
  now: number,
): number | undefined {
  let earliest: number | undefined;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue;
    const toleration = matchingToleration(taint, tolerations);
    if (toleration === undefined) return now;
    if (toleration.tolerationSeconds === undefined) continue;
    const added = parseTime(taint.timeAdded) ?? now;
    const deadline = added + Math.max(0, toleration.tolerationSeconds) * 1000;
    if (earliest === undefined || deadline < earliest) earliest = deadline;
  }
  return earliest;
}
