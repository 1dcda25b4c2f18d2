/**
 * A DaemonSet's status as `updateDaemonSetStatus` counts it: per node that
 * should run a pod, whether it has one and whether the oldest is ready,
 * available and of the current template; per node that should not, whether
 * it has one anyway.
 */
import { type DaemonSet, isPodReady, type Node, type Pod } from '@keelson/api';
import { isPodAvailable } from '../shared/index';
import { compareDaemonPods, isDaemonPodUpdated, nodeShouldRunDaemonPod } from './daemonPods';

/** The counters of a DaemonSet's status. */
export interface DaemonSetCounts {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberUnavailable: number;
}

/** Counts the status of `ds` from the nodes and its pods by node (every pod, finished and deleting ones too). */
export function daemonSetCounts(
  ds: DaemonSet,
  nodes: readonly Node[],
  byNode: ReadonlyMap<string, readonly Pod[]>,
  hash: string,
  now: number,
): DaemonSetCounts {
  const counts: DaemonSetCounts = {
    desiredNumberScheduled: 0,
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    updatedNumberScheduled: 0,
    numberAvailable: 0,
    numberUnavailable: 0,
  };
  for (const node of nodes) {
    const pods = byNode.get(node.metadata.name) ?? [];
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) {
      if (pods.length > 0) counts.numberMisscheduled++;
      continue;
    }
    counts.desiredNumberScheduled++;
    const pod = [...pods].sort(compareDaemonPods)[0];
    if (pod === undefined) continue;
    counts.currentNumberScheduled++;
    if (isPodReady(pod)) {
      counts.numberReady++;
      if (isPodAvailable(pod, ds.spec.minReadySeconds, now)) counts.numberAvailable++;
    }
    if (isDaemonPodUpdated(pod, ds, hash)) counts.updatedNumberScheduled++;
  }
  counts.numberUnavailable = counts.desiredNumberScheduled - counts.numberAvailable;
  return counts;
}
