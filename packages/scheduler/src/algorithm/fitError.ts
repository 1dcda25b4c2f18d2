/**
 * The message of an unschedulable pod, as kube-scheduler's `FitError`
 * writes it: `0/5 nodes are available: 3 Insufficient cpu, 2 node(s) had
 * untolerated taint {dedicated: gpu}.`, reasons counted over the nodes and
 * sorted as strings, then PreFilter's or PostFilter's own message.
 */
import type { Status } from '../framework/status';

/** Kubernetes' message when the cluster has no nodes at all. */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export function fitErrorMessage(
  numAllNodes: number,
  statuses: ReadonlyMap<string, Status>,
  preFilterMessage?: string,
  postFilterMessage?: string,
): string {
  let message = `0/${numAllNodes} nodes are available:`;
  if (preFilterMessage) {
    message += ` ${preFilterMessage}.`;
  } else {
    const counts = new Map<string, number>();
    for (const status of statuses.values()) {
      for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
    }
    const histogram = [...counts].map(([reason, count]) => `${count} ${reason}`).sort();
    if (histogram.length > 0) message += ` ${histogram.join(', ')}.`;
  }
  if (postFilterMessage) message += ` ${postFilterMessage}.`;
  return message;
}
