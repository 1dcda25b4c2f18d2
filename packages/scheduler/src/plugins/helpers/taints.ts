/**
 * Taints and tolerations with Kubernetes' matching rules (`Toleration.ToleratesTaint`
 * in k8s.io/api and `FindMatchingUntoleratedTaint` in component-helpers), shared by
 * TaintToleration, NodeUnschedulable and the scheduler's own checks. Every
 * function here is allocation-free, so filters can call them per node.
 */
import type { Taint, Toleration } from '@keelson/api';

/** The taint that stands for `spec.unschedulable: true` (`node.kubernetes.io/unschedulable:NoSchedule`). */
export const UNSCHEDULABLE_TAINT: Taint = Object.freeze({
  key: 'node.kubernetes.io/unschedulable',
  effect: 'NoSchedule',
});

/**
 * Whether `toleration` tolerates `taint`: an empty effect matches every
 * effect, an empty key (only valid with `Exists`) matches every key, and
 * then `Exists` matches any value while `Equal` (the default) needs the
 * same value (an absent value counts as `''`).
 */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect !== undefined && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  const operator = toleration.operator ?? 'Equal';
  if (operator === 'Exists') return true;
  if (operator === 'Equal') return (toleration.value ?? '') === (taint.value ?? '');
  return false;
}

/** Whether any of `tolerations` tolerates `taint`. */
export function tolerationsTolerateTaint(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  if (tolerations === undefined) return false;
  for (let i = 0; i < tolerations.length; i++) {
    if (tolerates(tolerations[i] as Toleration, taint)) return true;
  }
  return false;
}

/** The taints the scheduler must not ignore: `NoSchedule` and `NoExecute` (Kubernetes' `DoNotScheduleTaintsFilterFunc`). */
export function isDoNotScheduleTaint(taint: Taint): boolean {
  return taint.effect === 'NoSchedule' || taint.effect === 'NoExecute';
}

/**
 * The first of `taints` that `include` selects and no toleration tolerates,
 * or `undefined` when the pod tolerates them all. Pass a module-level
 * predicate (such as {@link isDoNotScheduleTaint}) to keep the call
 * allocation-free.
 *
 * @example
 * const taint = findUntoleratedTaint(node.spec.taints, pod.spec.tolerations, isDoNotScheduleTaint);
 * if (taint) return unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
 */
export function findUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  include?: (taint: Taint) => boolean,
): Taint | undefined {
  if (taints === undefined) return undefined;
  for (let i = 0; i < taints.length; i++) {
    const taint = taints[i] as Taint;
    if (include !== undefined && !include(taint)) continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) return taint;
  }
  return undefined;
}
