/** Names and numbers of the Job controller, as Kubernetes has them. */

/** The Job controller's name in a manager. */
export const JOB_CONTROLLER_NAME = 'job-controller';

/** The finalizer a job's pods carry until the controller has counted them. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

/** The annotation (and label) with an Indexed job's completion index. */
export const JOB_COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';

/** The environment variable an Indexed job's containers read their index from. */
export const JOB_COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';

/** Kubernetes' `DefaultJobPodFailureBackOff`: the delay after a job's first pod failure. */
export const DEFAULT_JOB_POD_FAILURE_BACKOFF_MS = 10_000;

/** Kubernetes' `MaxJobPodFailureBackOff`: the delay doubles per failure up to this. */
export const MAX_JOB_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

/** Reasons and messages of the job's conditions and events. */
export const JobReason = {
  BackoffLimitExceeded: 'BackoffLimitExceeded',
  DeadlineExceeded: 'DeadlineExceeded',
  CompletionsReached: 'CompletionsReached',
  JobSuspended: 'JobSuspended',
  JobResumed: 'JobResumed',
} as const;

export const BACKOFF_LIMIT_MESSAGE = 'Job has reached the specified backoff limit';
export const DEADLINE_MESSAGE = 'Job was active longer than specified deadline';
export const COMPLETIONS_REACHED_MESSAGE = 'Reached expected number of succeeded pods';
