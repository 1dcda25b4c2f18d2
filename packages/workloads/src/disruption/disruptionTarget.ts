/**
 * The `DisruptionTarget` pod condition the eviction subresource sets just
 * before it deletes a pod (Kubernetes 1.31+), so the pod's owner can tell an
 * eviction from a failure.
 */
import { Pod, setCondition } from '@keelson/api';
import { ConflictError, type Store } from '@keelson/core';
import { formatTime } from './budgetMath';

/** The condition type. */
export const DISRUPTION_TARGET_CONDITION = 'DisruptionTarget';

/** Its reason when the eviction subresource set it. */
export const EVICTION_BY_EVICTION_API = 'EvictionByEvictionAPI';

/**
 * Sets `DisruptionTarget=True` (reason `EvictionByEvictionAPI`, message
 * `Eviction API: evicting`) on the pod's status, checking the deletion's
 * preconditions against the latest pod first.
 *
 * @returns the pod as written.
 * @throws {ConflictError} when a precondition (uid, resourceVersion) does not hold.
 */
export async function markDisruptionTarget(
  store: Store,
  pod: Pod,
  preconditions: { uid?: string; resourceVersion?: string } | undefined,
): Promise<Pod> {
  const namespace = pod.metadata.namespace ?? 'default';
  const rv = preconditions?.resourceVersion;
  const now = formatTime(store.clock.now());
  return store.patch(
    Pod,
    pod.metadata.name,
    (draft) => {
      // The preconditions are checked against the latest pod, inside the (retried) read-modify-write.
      if (preconditions?.uid !== undefined && preconditions.uid !== draft.metadata.uid) {
        throw new ConflictError(
          `Operation cannot be fulfilled on Pod "${pod.metadata.name}": the UID in the precondition (${preconditions.uid}) does not match the UID in record (${draft.metadata.uid}). The object might have been deleted and then recreated`,
        );
      }
      if (rv !== undefined && rv !== draft.metadata.resourceVersion) {
        throw new ConflictError(
          `Operation cannot be fulfilled on Pod "${pod.metadata.name}": the ResourceVersion in the precondition (${rv}) does not match the ResourceVersion in record (${draft.metadata.resourceVersion}). The object might have been modified`,
        );
      }
      const conditions = setCondition(
        draft.status?.conditions,
        {
          type: DISRUPTION_TARGET_CONDITION,
          status: 'True',
          reason: EVICTION_BY_EVICTION_API,
          message: 'Eviction API: evicting',
        },
        now,
      );
      draft.status = { ...draft.status, conditions } as NonNullable<typeof draft.status>;
      return draft;
    },
    { namespace, subresource: 'status', reason: 'eviction' },
  );
}
