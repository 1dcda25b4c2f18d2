/**
 * A ReplicaSet's status from its pods: `calculateStatus` of Kubernetes'
 * replica set controller.
 */
import { type Pod, type ReplicaSet, removeCondition, setCondition } from '@keelson/api';
import { isPodAvailable, isPodReadyNow, podAvailableAt } from '../shared/index';
import { formatTime } from '../shared/time';

/** Why creating or deleting pods failed, for the `ReplicaFailure` condition. */
export interface ManageFailure {
  reason: 'FailedCreate' | 'FailedDelete';
  message: string;
}

/** The status the ReplicaSet should have, and when a ready pod next becomes available. */
export function replicaSetStatus(
  rs: ReplicaSet,
  active: readonly Pod[],
  failure: ManageFailure | undefined,
  now: number,
): { status: NonNullable<ReplicaSet['status']>; nextAvailableAt: number | undefined } {
  const templateLabels = rs.spec.template.metadata.labels ?? {};
  const minReady = rs.spec.minReadySeconds;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  let nextAvailableAt: number | undefined;
  for (const pod of active) {
    const labels = pod.metadata.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (!isPodReadyNow(pod)) continue;
    ready++;
    if (isPodAvailable(pod, minReady, now)) available++;
    else {
      const at = podAvailableAt(pod, minReady);
      if (at !== undefined && (nextAvailableAt === undefined || at < nextAvailableAt)) nextAvailableAt = at;
    }
  }
  const stamp = formatTime(now);
  const conditions =
    failure === undefined
      ? removeCondition(rs.status?.conditions, 'ReplicaFailure')
      : setCondition(
          rs.status?.conditions,
          { type: 'ReplicaFailure', status: 'True', reason: failure.reason, message: failure.message },
          stamp,
        );
  return {
    status: {
      replicas: active.length,
      fullyLabeledReplicas: fullyLabeled,
      readyReplicas: ready,
      availableReplicas: available,
      observedGeneration: rs.metadata.generation,
      ...(conditions.length === 0 ? {} : { conditions }),
    },
    nextAvailableAt,
  };
}
