/**
 * NodeUnschedulable: keeps pods off cordoned nodes (`spec.unschedulable`),
 * unless the pod tolerates the `node.kubernetes.io/unschedulable:NoSchedule`
 * taint, as DaemonSet pods do.
 */
import type { Pod } from '@keelson/api';
import { unresolvable } from '../framework/status';
import type { PluginFactory } from '../framework/types';
import { rejectArgs } from './args';
import { tolerationsTolerateTaint, UNSCHEDULABLE_TAINT } from './helpers/taints';

export const NODE_UNSCHEDULABLE = 'NodeUnschedulable';

/** Kubernetes' reason for a cordoned node. */
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

const REJECTED = unresolvable(ERR_REASON_UNSCHEDULABLE);

function toleratesUnschedulable(pod: Pod): boolean {
  return tolerationsTolerateTaint(pod.spec.tolerations, UNSCHEDULABLE_TAINT);
}

/**
 * The NodeUnschedulable plugin (Filter). Rejections are
 * UnschedulableAndUnresolvable: preemption cannot uncordon a node.
 */
export const nodeUnschedulable: PluginFactory = (args) => {
  rejectArgs(NODE_UNSCHEDULABLE, args);
  return {
    name: NODE_UNSCHEDULABLE,
    // A node added or uncordoned, or the pod given the toleration.
    events: ['NodeAdd', 'NodeUpdate', 'PodUpdate'],
    filter(_state, pod, node) {
      if (!node.unschedulable) return undefined;
      return pod.memo(NODE_UNSCHEDULABLE, toleratesUnschedulable) ? undefined : REJECTED;
    },
  };
};
