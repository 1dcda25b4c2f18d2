/**
 * What the Job controller reads off its pods: which are active, which have
 * finished and how, when they finished, and the failure backoff that delays
 * the next pod after failures.
 */
import { isPodTerminal, type Job, type Pod } from '@keelson/api';
import { isPodActive } from '../shared/index';
import {
  DEFAULT_JOB_POD_FAILURE_BACKOFF_MS,
  JOB_COMPLETION_INDEX_ANNOTATION,
  JOB_TRACKING_FINALIZER,
  MAX_JOB_POD_FAILURE_BACKOFF_MS,
} from './constants';

/** Whether the pod still carries the job's tracking finalizer (it has not been counted yet). */
export function hasTrackingFinalizer(pod: Pod): boolean {
  return pod.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;
}

/**
 * Kubernetes' `isPodFailed`: a pod in phase Failed, or — unless the job
 * replaces only `Failed` pods — one being deleted before it succeeded.
 */
export function isJobPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (job.spec.podReplacementPolicy === 'Failed') return false;
  return pod.metadata.deletionTimestamp !== undefined && pod.status?.phase !== 'Succeeded';
}

/** A pod being deleted that has not reached a terminal phase yet. */
export function isPodTerminating(pod: Pod): boolean {
  return pod.metadata.deletionTimestamp !== undefined && !isPodTerminal(pod);
}

/** When the pod finished (ms): the latest container exit, else its deletion, else `now`. */
export function podFinishedAt(pod: Pod, now: number): number {
  let latest: number | undefined;
  for (const status of pod.status?.containerStatuses ?? []) {
    const at = status.state?.terminated?.finishedAt;
    if (at !== undefined) latest = Math.max(latest ?? 0, Date.parse(at));
  }
  if (latest !== undefined) return latest;
  const deleted = pod.metadata.deletionTimestamp;
  return deleted === undefined ? now : Math.min(now, Date.parse(deleted));
}

/** Restarts of the containers of a job's running and pending pods (for `restartPolicy: OnFailure`). */
export function activeRestarts(pods: readonly Pod[]): number {
  let restarts = 0;
  for (const pod of pods) {
    if (!isPodActive(pod)) continue;
    for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      restarts += status.restartCount;
    }
  }
  return restarts;
}

/**
 * Kubernetes' `pastBackoffLimitOnFailure`: with `restartPolicy: OnFailure`
 * failures show up as container restarts, and the job has failed once they
 * reach the backoff limit (any restart, with a limit of 0).
 */
export function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec.template.spec.restartPolicy !== 'OnFailure') return false;
  const restarts = activeRestarts(pods);
  return job.spec.backoffLimit === 0 ? restarts > 0 : restarts >= job.spec.backoffLimit;
}

/** The completion index of an Indexed job's pod, or undefined. */
export function completionIndexOf(pod: Pod): number | undefined {
  const text = pod.metadata.annotations?.[JOB_COMPLETION_INDEX_ANNOTATION];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** The failures since the last success and when the last one finished: what delays the next pod. */
export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureAt: number | undefined;
}

/** A record with newly counted pods folded in, in the order they finished. */
export function nextBackoffRecord(
  record: BackoffRecord,
  finished: readonly { failed: boolean; at: number }[],
): BackoffRecord {
  let { failuresAfterLastSuccess, lastFailureAt } = record;
  for (const pod of [...finished].sort((a, b) => a.at - b.at)) {
    if (pod.failed) {
      failuresAfterLastSuccess++;
      lastFailureAt = Math.max(lastFailureAt ?? 0, pod.at);
    } else {
      failuresAfterLastSuccess = 0;
    }
  }
  return { failuresAfterLastSuccess, lastFailureAt };
}

/**
 * How long to wait before creating the next pod (ms, 0 for at once): 10 s
 * after the first failure, doubling per further failure since the last
 * success, at most 10 minutes — counted from when the last failure finished.
 */
export function remainingBackoff(record: BackoffRecord, now: number): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureAt === undefined) return 0;
  const exponent = Math.min(record.failuresAfterLastSuccess - 1, 30);
  const delay = Math.min(DEFAULT_JOB_POD_FAILURE_BACKOFF_MS * 2 ** exponent, MAX_JOB_POD_FAILURE_BACKOFF_MS);
  return Math.max(0, record.lastFailureAt + delay - now);
}
