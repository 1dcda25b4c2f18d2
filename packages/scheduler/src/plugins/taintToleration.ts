/**
 * TaintToleration: a pod may not land on a node with a `NoSchedule` or
 * `NoExecute` taint it does not tolerate, and prefers nodes with fewer
 * untolerated `PreferNoSchedule` taints. Its score weight (3 by default)
 * lives in the profile.
 */
import type { Pod, Taint, Toleration } from '@keelson/api';
import { unresolvable } from '../framework/status';
import { MAX_NODE_SCORE, type PluginFactory } from '../framework/types';
import { rejectArgs } from './args';
import { defaultNormalizeScore } from './helpers/normalize';
import { findUntoleratedTaint, isDoNotScheduleTaint, tolerationsTolerateTaint } from './helpers/taints';

export const TAINT_TOLERATION = 'TaintToleration';

/** Kubernetes' reason for an untolerated taint: `node(s) had untolerated taint {key: value}`. */
export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}

/** The tolerations that can tolerate a `PreferNoSchedule` taint: those with that effect or no effect. */
function preferNoScheduleTolerations(pod: Pod): readonly Toleration[] {
  return (pod.spec.tolerations ?? []).filter((t) => t.effect === undefined || t.effect === 'PreferNoSchedule');
}

const PREFER_NO_SCHEDULE_KEY = `${TAINT_TOLERATION}/preferNoSchedule`;

/** How many of the node's `PreferNoSchedule` taints none of `tolerations` tolerates. */
export function countIntolerablePreferNoSchedule(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[],
): number {
  let count = 0;
  if (taints === undefined) return 0;
  for (let i = 0; i < taints.length; i++) {
    const taint = taints[i] as Taint;
    if (taint.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, taint)) count++;
  }
  return count;
}

/**
 * The TaintToleration plugin: Filter (UnschedulableAndUnresolvable, since
 * evicting pods never removes a taint), Score (the count of intolerable
 * `PreferNoSchedule` taints) and NormalizeScore (reversed, so the node with
 * the fewest scores 100).
 */
export const taintToleration: PluginFactory = (args) => {
  rejectArgs(TAINT_TOLERATION, args);
  return {
    name: TAINT_TOLERATION,
    // A node added or its taints changed, or the pod given a toleration.
    events: ['NodeAdd', 'NodeUpdate', 'PodUpdate'],
    filter(_state, pod, node) {
      const taint =
        node.taints === undefined
          ? undefined
          : findUntoleratedTaint(node.taints, pod.pod.spec.tolerations, isDoNotScheduleTaint);
      return taint === undefined ? undefined : unresolvable(untoleratedTaintReason(taint));
    },
    score(_state, pod, node) {
      if (node.taints === undefined) return 0; // most nodes: no lookup at all
      const tolerations = pod.memo(PREFER_NO_SCHEDULE_KEY, preferNoScheduleTolerations);
      return countIntolerablePreferNoSchedule(node.taints, tolerations);
    },
    normalizeScore(_state, _pod, scores) {
      defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
    },
  };
};
