/**
 * Taints and tolerations with Kubernetes' matching rules (`Toleration.ToleratesTaint`
 * in k8s.io/api and `FindMatchingUntoleratedTaint` in component-helpers), shared by
 * the scheduler's filters, the node lifecycle controller's eviction policy and
 * the DaemonSet controller. Every function here is allocation-free, so filters
 * can call them per node.
 */
import type { Taint } from '../kinds/scheduling';

/** What taint matching reads of a taint (a stored `Taint` fits). */
export interface TaintFields {
  readonly key: string;
  readonly value?: string | undefined;
  readonly effect: string;
}

/** What taint matching reads of a toleration (a stored `Toleration` fits). */
export interface TolerationFields {
  readonly key?: string | undefined;
  /** `Equal` (the default when absent or empty) or `Exists`. */
  readonly operator?: string | undefined;
  readonly value?: string | undefined;
  readonly effect?: string | undefined;
}

/** The taint that stands for `spec.unschedulable: true` (`node.kubernetes.io/unschedulable:NoSchedule`). */
export const UNSCHEDULABLE_TAINT: Taint = Object.freeze({
  key: 'node.kubernetes.io/unschedulable',
  effect: 'NoSchedule',
});

/**
 * Whether `toleration` tolerates `taint`: an empty effect matches every
 * effect, an empty key (only valid with `Exists`) matches every key, and
 * then `Exists` matches any value while `Equal` (the default) needs the
 * same value (an absent value counts as `''`). Any other operator matches
 * nothing.
 *
 * @example
 * ```ts
 * tolerates({ key: 'dedicated', operator: 'Exists' }, { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }); // true
 * ```
 */
export function tolerates(toleration: TolerationFields, taint: TaintFields): boolean {
  const effect = toleration.effect;
  if (effect !== undefined && effect !== '' && effect !== taint.effect) return false;
  const key = toleration.key;
  if (key !== undefined && key !== '' && key !== taint.key) return false;
  const operator = toleration.operator;
  if (operator === 'Exists') return true;
  if (operator === undefined || operator === '' || operator === 'Equal') {
    return (toleration.value ?? '') === (taint.value ?? '');
  }
  return false;
}

/** Whether any of `tolerations` tolerates `taint`. */
export function tolerationsTolerateTaint(
  tolerations: readonly TolerationFields[] | undefined,
  taint: TaintFields,
): boolean {
  if (tolerations === undefined) return false;
  for (let i = 0; i < tolerations.length; i++) {
    if (tolerates(tolerations[i] as TolerationFields, taint)) return true;
  }
  return false;
}

/** The taints that keep pods off a node: `NoSchedule` and `NoExecute` (Kubernetes' `DoNotScheduleTaintsFilterFunc`). */
export function isDoNotScheduleTaint(taint: TaintFields): boolean {
  return taint.effect === 'NoSchedule' || taint.effect === 'NoExecute';
}

/** The taints that evict running pods: `NoExecute`. */
export function isNoExecuteTaint(taint: TaintFields): boolean {
  return taint.effect === 'NoExecute';
}

/**
 * The first of `taints` that `include` selects and no toleration tolerates,
 * or `undefined` when the pod tolerates them all. Pass a module-level
 * predicate (such as {@link isDoNotScheduleTaint}) to keep the call
 * allocation-free.
 *
 * @example
 * ```ts
 * const taint = findUntoleratedTaint(node.spec.taints, pod.spec.tolerations, isDoNotScheduleTaint);
 * if (taint) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
 * ```
 */
export function findUntoleratedTaint<T extends TaintFields>(
  taints: readonly T[] | undefined,
  tolerations: readonly TolerationFields[] | undefined,
  include?: (taint: T) => boolean,
): T | undefined {
  if (taints === undefined) return undefined;
  for (let i = 0; i < taints.length; i++) {
    const taint = taints[i] as T;
    if (include !== undefined && !include(taint)) continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) return taint;
  }
  return undefined;
}
