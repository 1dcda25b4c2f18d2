/**
 * Whether a job has met its success criteria or failed, and how many pods it
 * should be running — the decisions of Kubernetes' `syncJob` and
 * `manageJob`, as pure functions of the job and its counts.
 */
import type { Job } from '@keelson/api';
import { BACKOFF_LIMIT_MESSAGE, COMPLETIONS_REACHED_MESSAGE, DEADLINE_MESSAGE, JobReason } from './constants';

/** What the job's pods add up to after counting. */
export interface JobCounts {
  active: number;
  succeeded: number;
  failed: number;
  /** Container restarts of active pods counted against the backoff limit (`restartPolicy: OnFailure`). */
  pastBackoffLimitOnFailure: boolean;
}

/** A verdict: the job will fail or has met its success criteria, and why. */
export interface JobVerdict {
  outcome: 'Failed' | 'Complete';
  reason: string;
  message: string;
}

/**
 * The job's verdict at `now`, or undefined while it runs: failed once its
 * failures pass `backoffLimit` (or, with `OnFailure`, its restarts reach
 * it), failed once it has been active `activeDeadlineSeconds`, complete once
 * `completions` pods succeeded (without `completions`: once any pod
 * succeeded and none is active).
 */
export function jobVerdict(job: Job, counts: JobCounts, now: number): JobVerdict | undefined {
  if (counts.failed > job.spec.backoffLimit || counts.pastBackoffLimitOnFailure) {
    return { outcome: 'Failed', reason: JobReason.BackoffLimitExceeded, message: BACKOFF_LIMIT_MESSAGE };
  }
  const deadlineAt = activeDeadlineAt(job);
  if (deadlineAt !== undefined && now >= deadlineAt) {
    return { outcome: 'Failed', reason: JobReason.DeadlineExceeded, message: DEADLINE_MESSAGE };
  }
  const { completions } = job.spec;
  const complete =
    completions === undefined ? counts.succeeded > 0 && counts.active === 0 : counts.succeeded >= completions;
  if (complete) {
    return { outcome: 'Complete', reason: JobReason.CompletionsReached, message: COMPLETIONS_REACHED_MESSAGE };
  }
  return undefined;
}

/** When the job's `activeDeadlineSeconds` runs out (ms), counted from `status.startTime`. */
export function activeDeadlineAt(job: Job): number | undefined {
  const start = job.status?.startTime;
  const seconds = job.spec.activeDeadlineSeconds;
  if (start === undefined || seconds === undefined) return undefined;
  return Date.parse(start) + seconds * 1000;
}

/**
 * How many pods the job wants running: `parallelism`, but no more than the
 * completions still to go; without `completions`, none new once one pod has
 * succeeded (the ones running may finish).
 */
export function wantedActive(job: Job, counts: Pick<JobCounts, 'active' | 'succeeded'>): number {
  const { completions, parallelism } = job.spec;
  if (completions === undefined) return counts.succeeded > 0 ? counts.active : parallelism;
  return Math.max(0, Math.min(parallelism, completions - counts.succeeded));
}
