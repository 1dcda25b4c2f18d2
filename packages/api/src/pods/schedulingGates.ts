/**
 * Pod scheduling readiness (Kubernetes' `spec.schedulingGates`, GA in 1.30):
 * a pod created with gates is held back from scheduling until every gate is
 * removed. The registry marks such a pod `PodScheduled=False` with reason
 * `SchedulingGated` at creation; gates may only be removed afterwards, and a
 * gated pod cannot name a node.
 */
import type { FieldIssue } from '@keelson/core';
import { getCondition, setCondition } from '../conditions/conditions';
import type { PodObject } from '../kinds/pod';
import type { PodSchedulingGate } from '../kinds/podSpec';

/** The `PodScheduled` reason of a pod held back by its scheduling gates (Kubernetes' `PodReasonSchedulingGated`). */
export const POD_REASON_SCHEDULING_GATED = 'SchedulingGated';

/** The message Kubernetes puts on that condition. */
export const SCHEDULING_GATED_MESSAGE = 'Scheduling is blocked due to non-empty scheduling gates';

/** True while the pod lists a scheduling gate. */
export function isSchedulingGated(pod: { spec: { schedulingGates?: readonly PodSchedulingGate[] } }): boolean {
  return (pod.spec.schedulingGates?.length ?? 0) > 0;
}

/**
 * A new pod with gates gets `PodScheduled=False` / `SchedulingGated` (upstream's
 * `applySchedulingGatedCondition`), stamped with its creation time, unless it
 * already has a `PodScheduled` condition.
 */
export function withSchedulingGatedCondition(pod: PodObject): PodObject {
  if (!isSchedulingGated(pod) || getCondition(pod.status?.conditions, 'PodScheduled') !== undefined) return pod;
  const status = pod.status ?? { phase: 'Pending' as const };
  const condition = {
    type: 'PodScheduled',
    status: 'False' as const,
    reason: POD_REASON_SCHEDULING_GATED,
    message: SCHEDULING_GATED_MESSAGE,
  };
  const now = pod.metadata.creationTimestamp;
  return { ...pod, status: { ...status, conditions: setCondition(status.conditions, condition, now) } };
}

/** On create: a pod may not name its node while gates remain (upstream's `ValidatePodCreate`). */
export function validateGatedCreate(pod: PodObject): FieldIssue[] {
  if (!pod.spec.nodeName || !isSchedulingGated(pod)) return [];
  return [{ path: 'spec.nodeName', message: 'Forbidden: cannot be set until all schedulingGates have been cleared' }];
}

/**
 * On update: gates may only be removed (upstream's
 * `validateOnlyDeletedSchedulingGates`, one issue per added gate), and binding
 * (setting `spec.nodeName`) waits until none remains.
 */
export function validateGatesUpdate(old: PodObject, next: PodObject): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const before = new Set((old.spec.schedulingGates ?? []).map((gate) => gate.name));
  (next.spec.schedulingGates ?? []).forEach((gate, index) => {
    if (before.has(gate.name)) return;
    issues.push({
      path: `spec.schedulingGates[${index}].name`,
      message: `Forbidden: only deletion is allowed, but found new scheduling gate '${gate.name}'`,
    });
  });
  if (!old.spec.nodeName && next.spec.nodeName && isSchedulingGated(next)) {
    issues.push({
      path: 'spec.nodeName',
      message: 'Forbidden: cannot be set until all schedulingGates have been cleared',
    });
  }
  return issues;
}
