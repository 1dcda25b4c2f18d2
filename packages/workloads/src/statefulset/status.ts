/**
 * A StatefulSet's status as Kubernetes' `updateStatus` and
 * `completeRollingUpdate` count it, and its write (`updateStatefulSetStatus`:
 * only when something changed).
 */
import { type Pod, StatefulSet } from '@keelson/api';
import type { ReconcileContext } from '@keelson/controller';
import { isRunningAndAvailable, isRunningAndReady, isTerminating, podRevision } from './identity';

/** The fields of a StatefulSet's status the controller writes. */
export interface StatefulSetCounts {
  observedGeneration?: number;
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
}

/**
 * Counts the created pods (`replicas`), the running and ready ones and of
 * those the available ones, and the pods not being deleted at the current
 * and at the update revision.
 */
export function countPods(
  pods: readonly Pod[],
  minReadySeconds: number,
  now: number,
  revisions: { current: string; update: string },
): Pick<StatefulSetCounts, 'replicas' | 'readyReplicas' | 'availableReplicas' | 'currentReplicas' | 'updatedReplicas'> {
  const counts = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  for (const pod of pods) {
    counts.replicas++;
    if (isRunningAndReady(pod)) {
      counts.readyReplicas++;
      if (isRunningAndAvailable(pod, minReadySeconds, now)) counts.availableReplicas++;
    }
    if (!isTerminating(pod)) {
      if (podRevision(pod) === revisions.current) counts.currentReplicas++;
      if (podRevision(pod) === revisions.update) counts.updatedReplicas++;
    }
  }
  return counts;
}

/** `completeRollingUpdate`: once every pod is updated and ready, the update revision becomes the current one. */
export function completeRollingUpdate(set: StatefulSet, status: StatefulSetCounts): StatefulSetCounts {
  if (
    set.spec.updateStrategy.type === 'RollingUpdate' &&
    status.updatedReplicas === status.replicas &&
    status.readyReplicas === status.replicas
  ) {
    return { ...status, currentReplicas: status.updatedReplicas, currentRevision: status.updateRevision };
  }
  return status;
}

/** Writes the status if any of its fields changed. */
export async function storeStatus(
  context: ReconcileContext,
  set: StatefulSet,
  status: StatefulSetCounts,
): Promise<void> {
  const current = (set.status ?? {}) as Record<string, unknown>;
  const same = (Object.keys(status) as (keyof StatefulSetCounts)[]).every((key) => current[key] === status[key]);
  if (same) return;
  await context.client.patch(
    StatefulSet,
    set.metadata.name,
    (draft) => {
      draft.status = { ...draft.status, ...status } as NonNullable<StatefulSet['status']>;
      return draft;
    },
    { namespace: set.metadata.namespace, subresource: 'status' },
  );
}
