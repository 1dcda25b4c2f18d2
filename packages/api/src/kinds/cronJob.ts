/**
 * `batch/v1` CronJob: a Job made on a schedule.
 */
import { defineResource, type FieldIssue, type ResourceOf } from '@keelson/core';
import { Cron } from 'croner';
import { z } from 'zod';
import { jobSpecSchema } from './job';
import { labelMap, nonNegativeInt32, objectReference, stringMap, time } from './primitives';

/** The longest CronJob name: its jobs add an 11-character suffix to it and must stay within 63. */
export const CRONJOB_MAX_NAME_LENGTH = 52;

/**
 * The parsed schedule of a CronJob, or the reason it does not parse: five
 * fields (minute, hour, day of month, month, day of week, with ranges,
 * lists, steps and names) or a descriptor (`@yearly`, `@annually`,
 * `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`), in `timeZone`
 * (an IANA name; default UTC). As in cron and Kubernetes, when both the day
 * of month and the day of week are restricted a day matching either runs.
 */
export function parseCronSchedule(schedule: string, timeZone?: string): Cron | string {
  if (/(^|\s)(CRON_TZ|TZ)=/.test(schedule)) {
    return 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';
  }
  if (timeZone !== undefined) {
    const problem = invalidTimeZone(timeZone);
    if (problem) return problem;
  }
  try {
    return new Cron(schedule.trim(), { mode: '5-part', timezone: timeZone ?? 'UTC', domAndDow: false });
  } catch (error) {
    return error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
  }
}

/** Why `timeZone` is not an IANA time zone this runtime knows, or undefined. */
export function invalidTimeZone(timeZone: string): string | undefined {
  if (timeZone.trim() !== timeZone || timeZone === '') return 'unknown time zone';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return undefined;
  } catch {
    return `unknown time zone ${timeZone}`;
  }
}

/** The Job a CronJob makes: its labels and annotations, and a Job spec. */
export const jobTemplateSpecSchema = z.object({
  metadata: z.object({ labels: labelMap.exactOptional(), annotations: stringMap.exactOptional() }).prefault({}),
  spec: jobSpecSchema,
});

/**
 * A CronJob's spec, with Kubernetes' defaults: `concurrencyPolicy` Allow,
 * `suspend` false, `successfulJobsHistoryLimit` 3, `failedJobsHistoryLimit` 1.
 */
export const cronJobSpecSchema = z.object({
  schedule: z.string().min(1, { error: 'Required value' }),
  timeZone: z.string().exactOptional(),
  startingDeadlineSeconds: z.int().min(0, { error: 'must be greater than or equal to 0' }).exactOptional(),
  concurrencyPolicy: z.enum(['Allow', 'Forbid', 'Replace']).default('Allow'),
  suspend: z.boolean().default(false),
  jobTemplate: jobTemplateSpecSchema,
  successfulJobsHistoryLimit: nonNegativeInt32.default(3),
  failedJobsHistoryLimit: nonNegativeInt32.default(1),
});

/** What the CronJob controller observed: the jobs running and when one last started and last succeeded. */
export const cronJobStatusSchema = z.object({
  active: z.array(objectReference).exactOptional(),
  lastScheduleTime: time.exactOptional(),
  lastSuccessfulTime: time.exactOptional(),
});

type CronJobSpec = z.output<typeof cronJobSpecSchema>;

function cronJobIssues(name: string, spec: CronJobSpec): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (name.length > CRONJOB_MAX_NAME_LENGTH) {
    issues.push({ path: 'metadata.name', message: `must be no more than ${CRONJOB_MAX_NAME_LENGTH} characters` });
  }
  if (spec.timeZone !== undefined) {
    const problem = invalidTimeZone(spec.timeZone);
    if (problem) issues.push({ path: 'spec.timeZone', message: `Invalid value: "${spec.timeZone}": ${problem}` });
  }
  const parsed = parseCronSchedule(spec.schedule, spec.timeZone === undefined ? undefined : 'UTC');
  if (typeof parsed === 'string') {
    issues.push({ path: 'spec.schedule', message: `Invalid value: "${spec.schedule}": ${parsed}` });
  }
  const policy = spec.jobTemplate.spec.template.spec.restartPolicy;
  if (policy !== 'OnFailure' && policy !== 'Never') {
    issues.push({
      path: 'spec.jobTemplate.spec.template.spec.restartPolicy',
      message: `Unsupported value: "${policy}": supported values: "OnFailure", "Never"`,
    });
  }
  return issues;
}

/**
 * The CronJob kind: `spec.schedule` must parse (see
 * {@link parseCronSchedule}), `spec.timeZone` must be a known IANA zone,
 * the name at most 52 characters and the job template's restart policy
 * OnFailure or Never.
 *
 * @example
 * ```ts
 * const nightly = await store.create(CronJob, {
 *   metadata: { name: 'backup', namespace: 'default' },
 *   spec: {
 *     schedule: '30 2 * * *',
 *     timeZone: 'Europe/Berlin',
 *     jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'backup', image: 'backup:1' }] } } } },
 *   },
 * });
 * nightly.spec.concurrencyPolicy; // 'Allow'
 * ```
 */
export const CronJob = defineResource({
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  namespaced: true,
  spec: cronJobSpecSchema,
  status: cronJobStatusSchema,
  strategy: {
    validate: (cronJob) => cronJobIssues(cronJob.metadata.name, cronJob.spec),
    validateUpdate: (_old, next) => cronJobIssues(next.metadata.name, next.spec),
  },
});
export type CronJob = ResourceOf<typeof CronJob>;
