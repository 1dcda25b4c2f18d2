import { formatTime } from '@keelson/core';
import type { CrdCondition, CrdStatus } from './crdSchema';

/** A condition to set: its type, status, reason and message. */
export type ConditionUpdate = Omit<CrdCondition, 'lastTransitionTime'>;

/** `NamesAccepted` and `Established` as Kubernetes' naming and establishing controllers set them. */
export const ACCEPTED: readonly ConditionUpdate[] = [
  { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
  {
    type: 'Established',
    status: 'True',
    reason: 'InitialNamesAccepted',
    message: 'the initial names have been accepted',
  },
];

/** The conditions of a CRD whose kind cannot be served: `reason` says why (`PluralConflict`, `InvalidSchema`). */
export function notAccepted(reason: string, message: string): ConditionUpdate[] {
  return [
    { type: 'NamesAccepted', status: 'False', reason, message },
    { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' },
  ];
}

/**
 * `status` with the conditions set: an unchanged status keeps its
 * `lastTransitionTime`; a condition that flips gets `now`.
 */
export function withConditions(
  status: CrdStatus | undefined,
  updates: readonly ConditionUpdate[],
  now: number,
): CrdStatus {
  const conditions = [...(status?.conditions ?? [])];
  for (const update of updates) {
    const index = conditions.findIndex((c) => c.type === update.type);
    const old = index < 0 ? undefined : conditions[index];
    // In the stored key order, so an unchanged status compares equal as JSON.
    const next: CrdCondition = {
      type: update.type,
      status: update.status,
      lastTransitionTime:
        old !== undefined && old.status === update.status && old.lastTransitionTime !== undefined
          ? old.lastTransitionTime
          : formatTime(now),
      ...(update.reason === undefined ? {} : { reason: update.reason }),
      ...(update.message === undefined ? {} : { message: update.message }),
    };
    if (index < 0) conditions.push(next);
    else conditions[index] = next;
  }
  return { ...status, conditions };
}

/** Whether a CRD's condition `type` is `True`. */
export function isConditionTrue(status: CrdStatus | undefined, type: string): boolean {
  return status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
}
