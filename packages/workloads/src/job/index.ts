export {
  BACKOFF_LIMIT_MESSAGE,
  COMPLETIONS_REACHED_MESSAGE,
  DEADLINE_MESSAGE,
  DEFAULT_JOB_POD_FAILURE_BACKOFF_MS,
  JOB_COMPLETION_INDEX_ANNOTATION,
  JOB_COMPLETION_INDEX_ENV,
  JOB_CONTROLLER_NAME,
  JOB_TRACKING_FINALIZER,
  JobReason,
  MAX_JOB_POD_FAILURE_BACKOFF_MS,
} from './constants';
export { formatIndexes, parseIndexes } from './indexes';
export type { JobControllerOptions } from './jobController';
export { jobController, jobFinishedCondition } from './jobController';
export type { BackoffRecord } from './jobPods';
export { isJobPodFailed, nextBackoffRecord, pastBackoffLimitOnFailure, remainingBackoff } from './jobPods';
export type { JobCounts, JobVerdict } from './jobVerdict';
export { activeDeadlineAt, jobVerdict, wantedActive } from './jobVerdict';
export { jobExpiresAt, TTL_AFTER_FINISHED_CONTROLLER_NAME, ttlAfterFinishedController } from './ttlAfterFinished';
