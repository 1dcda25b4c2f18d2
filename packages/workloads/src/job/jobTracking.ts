/**
 * Counting a job's finished pods, as Kubernetes' `trackJobStatusAndRemoveFinalizers`
 * does: a finished pod's uid is first recorded in
 * `status.uncountedTerminatedPods`, then its tracking finalizer is removed,
 * then it moves into `status.succeeded` / `status.failed`. Each step is
 * written before the next, so a restart in between neither loses nor
 * double-counts a pod.
 */
import { type Job, Pod } from '@keelson/api';
import type { Client } from '@keelson/controller';
import { isKeelsonError } from '@keelson/core';
import { JOB_TRACKING_FINALIZER } from './constants';
import { formatIndexes, parseIndexes } from './indexes';
import { completionIndexOf, hasTrackingFinalizer, isJobPodFailed, podFinishedAt } from './jobPods';

type JobStatus = NonNullable<Job['status']>;

/** What counting found: the status with the pods counted, and the pods newly finished. */
export interface Tally {
  /** The job as last written (its resourceVersion is the one to update against). */
  job: Job;
  status: JobStatus;
  /** Pods counted in this pass, with whether they failed and when they finished. */
  finished: { uid: string; failed: boolean; at: number }[];
}

/**
 * Which tracked pods have finished: succeeded, failed (see `isJobPodFailed`),
 * or — once the job is finishing — any that is being deleted. `skip` holds
 * uids already counted whose finalizer removal the cache has not shown yet.
 */
function finishedPods(job: Job, pods: readonly Pod[], finishing: boolean, skip: ReadonlySet<string>) {
  const uncounted = job.status?.uncountedTerminatedPods;
  const succeeded = new Set(uncounted?.succeeded ?? []);
  const failed = new Set(uncounted?.failed ?? []);
  const found: { pod: Pod; failed: boolean }[] = [];
  for (const pod of pods) {
    const { uid } = pod.metadata;
    if (!hasTrackingFinalizer(pod) || skip.has(uid)) continue;
    if (succeeded.has(uid) || failed.has(uid)) {
      found.push({ pod, failed: failed.has(uid) });
    } else if (pod.status?.phase === 'Succeeded') {
      found.push({ pod, failed: false });
    } else if (isJobPodFailed(pod, job) || (finishing && pod.metadata.deletionTimestamp !== undefined)) {
      found.push({ pod, failed: true });
    }
  }
  return found;
}

async function removeFinalizer(client: Client, pod: Pod): Promise<void> {
  try {
    await client.patch(
      Pod,
      pod.metadata.name,
      (draft) => {
        if (draft.metadata.uid !== pod.metadata.uid) return draft;
        draft.metadata.finalizers = (draft.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);
        return draft;
      },
      { namespace: pod.metadata.namespace },
    );
  } catch (error) {
    if (!isKeelsonError(error, 'NotFound')) throw error;
  }
}

/**
 * Counts the job's finished pods and removes their finalizers, writing the
 * job's status on the way (see the module comment). Returns the status the
 * rest of the sync builds on.
 */
export async function countFinishedPods(
  client: Client,
  job: Job,
  pods: readonly Pod[],
  options: { finishing: boolean; skip: Set<string>; now: number },
): Promise<Tally> {
  const found = finishedPods(job, pods, options.finishing, options.skip);
  let status: JobStatus = job.status ?? {};
  let latest = job;
  if (found.length === 0) return { job, status, finished: [] };
  const listed = status.uncountedTerminatedPods;
  const succeededUids = found.filter((f) => !f.failed).map((f) => f.pod.metadata.uid);
  const failedUids = found.filter((f) => f.failed).map((f) => f.pod.metadata.uid);
  const alreadyListed = new Set([...(listed?.succeeded ?? []), ...(listed?.failed ?? [])]);
  if (found.some((f) => !alreadyListed.has(f.pod.metadata.uid))) {
    status = { ...status, uncountedTerminatedPods: { succeeded: succeededUids, failed: failedUids } };
    latest = await client.updateStatus({ ...job, status });
  }
  await Promise.all(found.map((f) => removeFinalizer(client, f.pod)));
  for (const f of found) options.skip.add(f.pod.metadata.uid);
  const completions = job.spec.completions ?? 0;
  let succeeded = (status.succeeded ?? 0) + succeededUids.length;
  let completedIndexes = status.completedIndexes;
  if (job.spec.completionMode === 'Indexed') {
    const done = parseIndexes(status.completedIndexes, completions);
    for (const f of found) {
      const index = f.failed ? undefined : completionIndexOf(f.pod);
      if (index !== undefined && index < completions) done.add(index);
    }
    succeeded = done.size;
    completedIndexes = formatIndexes(done);
  }
  status = {
    ...status,
    succeeded,
    failed: (status.failed ?? 0) + failedUids.length,
    uncountedTerminatedPods: {},
    ...(completedIndexes === undefined ? {} : { completedIndexes }),
  };
  return {
    job: latest,
    status,
    finished: found.map((f) => ({
      uid: f.pod.metadata.uid,
      failed: f.failed,
      at: podFinishedAt(f.pod, options.now),
    })),
  };
}
