/**
 * What the scheduler writes on a pod it could not place: `PodScheduled=False`
 * with the reason and message, and `status.nominatedNodeName` after
 * preemption. Nothing is written when nothing changed. (A successful bind
 * needs no status write: binding sets `PodScheduled=True` in the same entry.)
 */
import { getCondition, Pod, setCondition } from '@keelson/api';
import { isKeelsonError, type Store } from '@keelson/core';

export interface FailureCondition {
  reason: 'Unschedulable' | 'SchedulerError';
  message: string;
  nominatedNodeName?: string;
}

export async function writeFailure(store: Store, pod: Pod, failure: FailureCondition, now: string): Promise<void> {
  const current = getCondition(pod.status?.conditions, 'PodScheduled');
  const nominatedSame =
    failure.nominatedNodeName === undefined || failure.nominatedNodeName === pod.status?.nominatedNodeName;
  if (
    current?.status === 'False' &&
    current.reason === failure.reason &&
    current.message === failure.message &&
    nominatedSame
  ) {
    return;
  }
  const { name, namespace } = pod.metadata;
  try {
    await store.patch(
      Pod,
      name,
      (draft) => {
        if (draft.spec.nodeName) return; // bound meanwhile
        draft.status ??= { phase: 'Pending' };
        const status = draft.status;
        status.conditions = setCondition(
          status.conditions,
          { type: 'PodScheduled', status: 'False', reason: failure.reason, message: failure.message },
          now,
        );
        if (failure.nominatedNodeName !== undefined) status.nominatedNodeName = failure.nominatedNodeName;
      },
      { ...(namespace === undefined ? {} : { namespace }), subresource: 'status' },
    );
  } catch (error) {
    if (!isKeelsonError(error, 'NotFound')) throw error;
  }
}
