/**
 * The RollingUpdate step as a pure plan (update.go `rollingUpdate`): with
 * `maxSurge` 0, delete old pods — unavailable ones at once, available ones
 * only while fewer than `maxUnavailable` nodes are unavailable — and let
 * `manage` create their replacements; with `maxSurge` > 0, create a new pod
 * beside the old one on up to `maxSurge` nodes and delete the old pod once
 * the new one is available.
 */
import type { DaemonSet, Node, Pod } from '@keelson/api';
import { isPodAvailable } from '../shared/index';
import { isDaemonPodUpdated, nodeShouldRunDaemonPod } from './daemonPods';
import { surgeCount, unavailableCount } from './managePlan';

/** What one rolling-update pass does. */
export interface RollingPlan {
  podsToDelete: Pod[];
  /** Nodes to surge a new pod onto (only with `maxSurge` > 0). */
  nodesToCreate: string[];
  /** The budgets this pass used. */
  maxSurge: number;
  maxUnavailable: number;
}

/**
 * The node's live new and old pod (`findUpdatedPodsOnNode`), or `undefined`
 * when it has more than one of either (`manage` cleans that up first).
 */
function updatedPodsOnNode(
  pods: readonly Pod[],
  ds: DaemonSet,
  hash: string,
): { newPod: Pod | undefined; oldPod: Pod | undefined } | undefined {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    if (isDaemonPodUpdated(pod, ds, hash)) {
      if (newPod !== undefined) return undefined;
      newPod = pod;
    } else {
      if (oldPod !== undefined) return undefined;
      oldPod = pod;
    }
  }
  return { newPod, oldPod };
}

/**
 * Plans one rolling-update pass. `byNode` holds the DaemonSet's pods by node
 * (finished pods being deleted left out); nodes that should run a pod but
 * have none count as unavailable (or surging).
 */
export function planRollingUpdate(
  ds: DaemonSet,
  nodes: readonly Node[],
  byNode: ReadonlyMap<string, readonly Pod[]>,
  hash: string,
  now: number,
): RollingPlan {
  const pods = new Map<string, readonly Pod[]>(byNode);
  const nodesByName = new Map<string, Node>();
  let desired = 0;
  for (const node of nodes) {
    nodesByName.set(node.metadata.name, node);
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) continue;
    desired++;
    if (!pods.has(node.metadata.name)) pods.set(node.metadata.name, []);
  }
  let maxUnavailable = unavailableCount(ds, desired);
  const maxSurge = surgeCount(ds, desired);
  // An impossible configuration (both 0) falls back to Kubernetes' default of one unavailable node.
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  const minReady = ds.spec.minReadySeconds;
  const available = (pod: Pod) => isPodAvailable(pod, minReady, now);
  const plan: RollingPlan = { podsToDelete: [], nodesToCreate: [], maxSurge, maxUnavailable };

  if (maxSurge === 0) {
    let unavailable = 0;
    const replaceNow: Pod[] = [];
    const candidates: Pod[] = [];
    for (const nodePods of pods.values()) {
      const found = updatedPodsOnNode(nodePods, ds, hash);
      if (found === undefined) {
        unavailable++;
        continue;
      }
      const { newPod, oldPod } = found;
      if ((oldPod === undefined) === (newPod === undefined)) unavailable++;
      else if (newPod !== undefined) {
        if (!available(newPod)) unavailable++;
      } else if (oldPod !== undefined) {
        if (!available(oldPod)) replaceNow.push(oldPod);
        else if (unavailable < maxUnavailable) candidates.push(oldPod);
      }
    }
    const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    plan.podsToDelete.push(...replaceNow, ...candidates.slice(0, room));
    return plan;
  }

  let surging = 0;
  const allowedNew: string[] = [];
  const candidateNew: string[] = [];
  const shouldNotRun: Pod[] = [];
  for (const [nodeName, nodePods] of pods) {
    const found = updatedPodsOnNode(nodePods, ds, hash);
    if (found === undefined) {
      surging++;
      continue;
    }
    const { newPod, oldPod } = found;
    if (oldPod === undefined) continue;
    if (newPod === undefined) {
      if (!available(oldPod)) {
        const node = nodesByName.get(nodeName);
        if (node === undefined || !nodeShouldRunDaemonPod(node, ds).shouldRun) shouldNotRun.push(oldPod);
        else allowedNew.push(nodeName);
      } else if (surging < maxSurge) {
        candidateNew.push(nodeName);
      }
    } else if (!available(newPod)) {
      surging++;
    } else {
      plan.podsToDelete.push(oldPod);
    }
  }
  const room = Math.min(Math.max(0, maxSurge - surging), candidateNew.length);
  plan.nodesToCreate.push(...allowedNew, ...candidateNew.slice(0, room));
  plan.podsToDelete.push(...shouldNotRun);
  return plan;
}
