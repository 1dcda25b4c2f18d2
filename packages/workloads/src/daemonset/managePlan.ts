/**
 * The DaemonSet controller's `manage` step as a pure plan
 * (`podsShouldBeOnNode` and `getUnscheduledPodsWithoutNode` in
 * daemon_controller.go): which nodes need a daemon pod and which daemon pods
 * must go — on nodes that no longer qualify, extras on one node, failed and
 * succeeded pods (failed ones with a back-off per node), and pods for nodes
 * that no longer exist.
 */
import { type DaemonSet, isPodTerminal, type Node, type Pod, scaledValue } from '@keelson/api';
import { compareDaemonPods, nodeShouldRunDaemonPod, targetNodeName } from './daemonPods';
import type { FailedPodBackoff } from './failedPodBackoff';

/**
 * The DaemonSet's pods by the node they are for (`getNodesToDaemonPods`).
 * Without `includeDeletedTerminal`, finished pods that are being deleted are
 * left out. Pods for no node at all are left out.
 */
export function daemonPodsByNode(pods: readonly Pod[], includeDeletedTerminal: boolean): Map<string, Pod[]> {
  const byNode = new Map<string, Pod[]>();
  for (const pod of pods) {
    if (!includeDeletedTerminal && isPodTerminal(pod) && pod.metadata.deletionTimestamp !== undefined) continue;
    const nodeName = targetNodeName(pod);
    if (nodeName === undefined) continue;
    const list = byNode.get(nodeName);
    if (list === undefined) byNode.set(nodeName, [pod]);
    else list.push(pod);
  }
  return byNode;
}

/** Whether the DaemonSet may run a new pod beside an old one while updating (`AllowsSurge`: a non-zero surge of 1 node). */
export function allowsSurge(ds: DaemonSet): boolean {
  return surgeCount(ds, 1) > 0;
}

/** `maxSurge` of a RollingUpdate DaemonSet against `desired` nodes, rounding up; 0 for OnDelete. */
export function surgeCount(ds: DaemonSet, desired: number): number {
  const rolling = ds.spec.updateStrategy.type === 'RollingUpdate' ? ds.spec.updateStrategy.rollingUpdate : undefined;
  return rolling === undefined ? 0 : scaledValue(rolling.maxSurge ?? 0, desired, true);
}

/** `maxUnavailable` of a RollingUpdate DaemonSet against `desired` nodes, rounding up (`UnavailableCount`); 0 for OnDelete. */
export function unavailableCount(ds: DaemonSet, desired: number): number {
  const rolling = ds.spec.updateStrategy.type === 'RollingUpdate' ? ds.spec.updateStrategy.rollingUpdate : undefined;
  return rolling === undefined ? 0 : scaledValue(rolling.maxUnavailable ?? 1, desired, true);
}

/** What one `manage` pass does. */
export interface ManagePlan {
  /** Nodes to create a daemon pod for. */
  nodesNeedingPods: string[];
  /** Daemon pods to delete. */
  podsToDelete: Pod[];
  /** Of {@link podsToDelete}, the failed pods (for a `FailedDaemonPod` event). */
  failedPods: Pod[];
  /** When a failed pod waits out its back-off: the delay until the DaemonSet should sync again (ms). */
  retryAfter?: number;
}

/** The back-off key of a DaemonSet's failed pods on one node (`failedPodsBackoffKey`), prefixed `<namespace>/<name>/`. */
export function backoffKey(ds: DaemonSet, nodeName: string): string {
  return `${ds.metadata.namespace ?? ''}/${ds.metadata.name}/${ds.metadata.uid}/${ds.metadata.generation ?? 0}/${nodeName}`;
}

/**
 * Plans the `manage` step for every node. `hash` is the current template's;
 * with surge allowed, one old and one new pod may share a node for a while.
 * Failed pods are deleted at most once per back-off period per node.
 */
export function planManage(
  ds: DaemonSet,
  nodes: readonly Node[],
  byNode: ReadonlyMap<string, readonly Pod[]>,
  hash: string,
  backoff: FailedPodBackoff,
  now: number,
): ManagePlan {
  const plan: ManagePlan = { nodesNeedingPods: [], podsToDelete: [], failedPods: [] };
  const retry = (ms: number) => {
    plan.retryAfter = plan.retryAfter === undefined ? ms : Math.min(plan.retryAfter, ms);
  };
  const surge = allowsSurge(ds);
  const nodeNames = new Set<string>();
  for (const node of nodes) {
    nodeNames.add(node.metadata.name);
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
    const pods = byNode.get(node.metadata.name);
    if (shouldRun && pods === undefined) {
      plan.nodesNeedingPods.push(node.metadata.name);
    } else if (shouldContinueRunning) {
      const running: Pod[] = [];
      for (const pod of pods ?? []) {
        if (pod.metadata.deletionTimestamp !== undefined) continue;
        if (pod.status?.phase === 'Failed') {
          const key = backoffKey(ds, node.metadata.name);
          const wait = backoff.remaining(key, now);
          if (wait !== undefined) {
            retry(wait);
            continue;
          }
          backoff.next(key, now);
          plan.podsToDelete.push(pod);
          plan.failedPods.push(pod);
        } else if (pod.status?.phase === 'Succeeded') {
          plan.podsToDelete.push(pod);
        } else {
          running.push(pod);
        }
      }
      if (running.length <= 1) continue;
      running.sort(compareDaemonPods);
      if (!surge) {
        plan.podsToDelete.push(...running.slice(1));
        continue;
      }
      // With surge: keep the oldest pod of the current template and the oldest of an older one.
      let keptNew = false;
      let keptOld = false;
      for (const pod of running) {
        const isNew = pod.metadata.labels?.['controller-revision-hash'] === hash;
        if (isNew && !keptNew) keptNew = true;
        else if (!isNew && !keptOld) keptOld = true;
        else plan.podsToDelete.push(pod);
      }
    } else if (pods !== undefined) {
      for (const pod of pods) if (pod.metadata.deletionTimestamp === undefined) plan.podsToDelete.push(pod);
    }
  }
  // Pods for nodes that are gone: no scheduler will place them and no kubelet will stop them.
  for (const [nodeName, pods] of byNode) {
    if (nodeNames.has(nodeName)) continue;
    for (const pod of pods) if (pod.metadata.deletionTimestamp === undefined) plan.podsToDelete.push(pod);
  }
  return plan;
}
