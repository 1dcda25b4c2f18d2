/**
 * Small questions controllers ask about pods, answered the way Kubernetes'
 * `podutil` answers them.
 */
import { isTrue } from '../conditions/index';
import type { PodPhase, PodStatus } from '../kinds/podStatus';

/** What the helpers read of a pod: its status. */
export interface PodLike {
  status?: Pick<PodStatus, 'phase' | 'conditions'>;
}

/** The pod's phase; a pod whose status has no phase yet is `Pending`. */
export function podPhase(pod: PodLike): PodPhase {
  return pod.status?.phase ?? 'Pending';
}

/** Whether the pod has finished for good (`Succeeded` or `Failed`): its containers will not run again. */
export function isPodTerminal(pod: PodLike): boolean {
  const phase = podPhase(pod);
  return phase === 'Succeeded' || phase === 'Failed';
}

/**
 * Whether the pod is ready to serve: its `Ready` condition is `True`.
 * Endpoints and workload controllers count only ready pods.
 */
export function isPodReady(pod: PodLike): boolean {
  return isTrue(pod.status?.conditions, 'Ready');
}
