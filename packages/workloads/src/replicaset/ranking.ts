/**
 * Which pods a ReplicaSet deletes first when it scales down: Kubernetes'
 * `getPodsToDelete` over `ActivePodsWithRanks`.
 */
import type { Pod } from '@keelson/api';
import { podReadySince } from '../shared/index';

/** The annotation a user sets to make a pod cheaper (lower) or dearer (higher) to delete. */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(pod: Pod): number {
  const value = Number(pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION] ?? 0);
  return Number.isInteger(value) ? value : 0;
}

function restarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

function isReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/**
 * Negative when `a` should be deleted before `b`. `rank` counts related
 * active pods on each pod's node: a crowded node gives up a pod first.
 */
export function compareForDeletion(a: Pod, b: Pod, rank: (pod: Pod) => number): number {
  const aAssigned = a.spec.nodeName ? 1 : 0;
  const bAssigned = b.spec.nodeName ? 1 : 0;
  if (aAssigned !== bAssigned) return aAssigned - bAssigned;
  const aPhase = PHASE_ORDER[a.status?.phase ?? 'Pending'] ?? 0;
  const bPhase = PHASE_ORDER[b.status?.phase ?? 'Pending'] ?? 0;
  if (aPhase !== bPhase) return aPhase - bPhase;
  const aReady = isReady(a) ? 1 : 0;
  const bReady = isReady(b) ? 1 : 0;
  if (aReady !== bReady) return aReady - bReady;
  const cost = deletionCost(a) - deletionCost(b);
  if (cost !== 0) return cost;
  const crowded = rank(b) - rank(a);
  if (crowded !== 0) return crowded;
  if (aReady === 1) {
    // Ready for a shorter time goes first.
    const since = (podReadySince(b) ?? 0) - (podReadySince(a) ?? 0);
    if (since !== 0) return since;
  }
  const restarted = restarts(b) - restarts(a);
  if (restarted !== 0) return restarted;
  const created = Date.parse(b.metadata.creationTimestamp ?? '') - Date.parse(a.metadata.creationTimestamp ?? '');
  if (created !== 0 && Number.isFinite(created)) return created;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** The `count` pods of `pods` to delete first; `related` (default `pods`) ranks nodes by how many they hold. */
export function podsToDelete(pods: readonly Pod[], count: number, related: readonly Pod[] = pods): Pod[] {
  const onNode = new Map<string, number>();
  for (const pod of related) {
    if (pod.spec.nodeName) onNode.set(pod.spec.nodeName, (onNode.get(pod.spec.nodeName) ?? 0) + 1);
  }
  const rank = (pod: Pod) => (pod.spec.nodeName ? (onNode.get(pod.spec.nodeName) ?? 0) : 0);
  return [...pods].sort((a, b) => compareForDeletion(a, b, rank)).slice(0, count);
}
