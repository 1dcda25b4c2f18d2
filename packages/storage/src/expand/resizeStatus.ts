/**
 * How the resizer records an expansion on a claim (external-resizer's
 * resize_status.go, Kubernetes 1.32): `allocatedResources` holds the size
 * being made, `allocatedResourceStatuses.storage` where it stands, and the
 * resize conditions say what happens now.
 */
import type { PersistentVolumeClaim } from '@keelson/api';
import { ClaimResize } from '../constants';

type ClaimStatus = NonNullable<PersistentVolumeClaim['status']>;
type ClaimCondition = NonNullable<ClaimStatus['conditions']>[number];

const RESIZE_CONDITIONS = new Set(['Resizing', 'FileSystemResizePending', 'ControllerResizeError', 'NodeResizeError']);

/** Replaces the resize conditions with `next`, keeping others and the transition time of one that did not change. */
export function mergeResizeConditions(
  conditions: readonly ClaimCondition[] | undefined,
  next: readonly ClaimCondition[],
): ClaimCondition[] | undefined {
  const kept = (conditions ?? []).filter((c) => !RESIZE_CONDITIONS.has(c.type));
  const merged = [
    ...kept,
    ...next.map((condition) => {
      const old = conditions?.find((c) => c.type === condition.type && c.status === condition.status);
      return old === undefined
        ? condition
        : { ...condition, lastTransitionTime: old.lastTransitionTime ?? condition.lastTransitionTime };
    }),
  ] as ClaimCondition[];
  return merged.length === 0 ? undefined : merged;
}

function withConditions(status: ClaimStatus, conditions: ClaimCondition[] | undefined): ClaimStatus {
  const { conditions: _old, ...rest } = status;
  return conditions === undefined ? rest : { ...rest, conditions };
}

/** Controller expansion to `size` has started. */
export function markResizeInProgress(status: ClaimStatus, size: string, now: string): ClaimStatus {
  const conditions = mergeResizeConditions(status.conditions, [
    { type: ClaimResize.Resizing, status: 'True', lastTransitionTime: now },
  ]);
  return {
    ...withConditions(status, conditions),
    allocatedResources: { ...status.allocatedResources, storage: size },
    allocatedResourceStatuses: { ...status.allocatedResourceStatuses, storage: ClaimResize.ControllerResizeInProgress },
  };
}

/** Controller expansion failed with `message`; it stays in progress and is retried. */
export function markResizeFailed(status: ClaimStatus, message: string, now: string): ClaimStatus {
  const conditions = mergeResizeConditions(status.conditions, [
    { type: ClaimResize.ControllerResizeError, status: 'True', lastTransitionTime: now, message },
  ]);
  return withConditions(status, conditions);
}

/** The volume has `capacity` now: the claim says so and the resize bookkeeping ends. */
export function markResizeFinished(status: ClaimStatus, capacity: string): ClaimStatus {
  const { allocatedResourceStatuses, ...rest } = withConditions(status, mergeResizeConditions(status.conditions, []));
  const { storage: _storage, ...otherStatuses } = allocatedResourceStatuses ?? {};
  return {
    ...rest,
    capacity: { ...status.capacity, storage: capacity },
    ...(Object.keys(otherStatuses).length === 0 ? {} : { allocatedResourceStatuses: otherStatuses }),
  };
}
