/**
 * The CronJob controller (cronjob_controllerv2.go): makes a Job for each
 * scheduled time of a CronJob's schedule, on the manager's clock — so a test
 * runs a week of schedules in milliseconds — honouring the concurrency
 * policy, the starting deadline and suspension, and keeps the configured
 * number of finished jobs.
 */
import { CronJob, getCondition, Job } from '@keelson/api';
import { type Controller, defineController, type ReconcileContext, type Result } from '@keelson/controller';
import { isKeelsonError } from '@keelson/core';
import { controllerRefTo, isControlledBy } from '../shared/index';
import { formatTime } from '../shared/time';
import {
  formatInTimeZone,
  jobNameFor,
  MAX_MISSED_START_TIMES,
  mostRecentScheduleTime,
  nextScheduleTime,
  scheduleOf,
} from './schedule';

/** The controller's name in a manager. */
export const CRONJOB_CONTROLLER_NAME = 'cronjob-controller';

/** The annotation a CronJob's job carries with its scheduled time, in the CronJob's time zone. */
export const CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

type CronJobStatus = NonNullable<CronJob['status']>;
type JobRef = NonNullable<CronJobStatus['active']>[number];

function finishedType(job: Job): 'Complete' | 'Failed' | undefined {
  for (const type of ['Complete', 'Failed'] as const) {
    if (getCondition(job.status?.conditions, type)?.status === 'True') return type;
  }
  return undefined;
}

function refTo(job: Job): JobRef {
  return {
    kind: 'Job',
    ...(job.metadata.namespace === undefined ? {} : { namespace: job.metadata.namespace }),
    name: job.metadata.name,
    uid: job.metadata.uid,
    apiVersion: 'batch/v1',
    resourceVersion: job.metadata.resourceVersion,
  };
}

/** The Job a CronJob starts for `scheduledTime` (Kubernetes' `getJobFromTemplate2`). */
export function jobForScheduledTime(cronJob: CronJob, scheduledTime: number) {
  const { metadata, spec } = cronJob.spec.jobTemplate;
  return {
    metadata: {
      name: jobNameFor(cronJob, scheduledTime),
      namespace: cronJob.metadata.namespace,
      ...(metadata.labels === undefined ? {} : { labels: { ...metadata.labels } }),
      annotations: {
        ...metadata.annotations,
        [CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]: formatInTimeZone(scheduledTime, cronJob.spec.timeZone),
      },
      ownerReferences: [controllerRefTo(cronJob)],
    },
    spec,
  };
}

/** Status bookkeeping: drop finished and vanished jobs from `active`, note the last success. */
async function reconcileActive(cronJob: CronJob, jobs: readonly Job[], context: ReconcileContext) {
  let active = [...(cronJob.status?.active ?? [])];
  let lastSuccessfulTime = cronJob.status?.lastSuccessfulTime;
  const { recorder } = context;
  for (const job of jobs) {
    const listed = active.some((ref) => ref.uid === job.metadata.uid);
    const finished = finishedType(job);
    if (!listed && finished === undefined) {
      await recorder?.event(
        cronJob,
        'Warning',
        'UnexpectedJob',
        `Saw a job that the controller did not create or forgot: ${job.metadata.name}`,
      );
    } else if (listed && finished !== undefined) {
      active = active.filter((ref) => ref.uid !== job.metadata.uid);
      await recorder?.event(
        cronJob,
        'Normal',
        'SawCompletedJob',
        `Saw completed job: ${job.metadata.name}, condition: ${finished}`,
      );
    }
    const completed = finished === 'Complete' ? job.status?.completionTime : undefined;
    if (
      completed !== undefined &&
      (lastSuccessfulTime === undefined || Date.parse(completed) > Date.parse(lastSuccessfulTime))
    ) {
      lastSuccessfulTime = completed;
    }
  }
  for (const ref of [...active]) {
    if (jobs.some((job) => job.metadata.uid === ref.uid)) continue;
    active = active.filter((r) => r.uid !== ref.uid);
    await recorder?.event(cronJob, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
  }
  return { active, lastSuccessfulTime };
}

async function deleteJob(cronJob: CronJob, job: { name?: string; uid?: string }, context: ReconcileContext) {
  try {
    await context.client.delete(Job, job.name ?? '', {
      namespace: cronJob.metadata.namespace,
      propagationPolicy: 'Background',
      ...(job.uid === undefined ? {} : { preconditions: { uid: job.uid } }),
    });
    await context.recorder?.event(cronJob, 'Normal', 'SuccessfulDelete', `Deleted job ${job.name}`);
  } catch (error) {
    if (!isKeelsonError(error, 'NotFound')) throw error;
  }
}

/** Deletes the oldest finished jobs beyond the history limits (successful and failed separately). */
async function cleanUpHistory(cronJob: CronJob, jobs: readonly Job[], context: ReconcileContext): Promise<void> {
  const limits = {
    Complete: cronJob.spec.successfulJobsHistoryLimit,
    Failed: cronJob.spec.failedJobsHistoryLimit,
  } as const;
  for (const outcome of ['Complete', 'Failed'] as const) {
    const finished = jobs
      .filter((job) => finishedType(job) === outcome && job.metadata.deletionTimestamp === undefined)
      .sort((a, b) => startOf(a) - startOf(b) || a.metadata.name.localeCompare(b.metadata.name));
    const excess = finished.length - limits[outcome];
    for (const job of finished.slice(0, Math.max(0, excess))) {
      await deleteJob(cronJob, { name: job.metadata.name, uid: job.metadata.uid }, context);
    }
  }
}

function startOf(job: Job): number {
  const start = job.status?.startTime ?? job.metadata.creationTimestamp;
  return start === undefined ? 0 : Date.parse(start);
}

/**
 * The CronJob controller, for a manager: owns Jobs. A CronJob without
 * `spec.timeZone` runs its schedule in UTC.
 *
 * @example
 * ```ts
 * manager.add(cronJobController());
 * ```
 */
export function cronJobController(): Controller<CronJob> {
  return defineController({
    name: CRONJOB_CONTROLLER_NAME,
    for: CronJob,
    owns: [Job],
    async reconcile(request, context): Promise<Result | undefined> {
      const { cache, client, clock, recorder } = context;
      const cronJob = cache.get(CronJob, request.name, request.namespace);
      if (cronJob === undefined) return undefined;
      const now = clock.now();
      const jobs = cache.controlledBy(Job, cronJob.metadata.namespace, cronJob.metadata.uid);
      const bookkeeping = await reconcileActive(cronJob, jobs, context);
      let status: CronJobStatus = {
        ...cronJob.status,
        active: bookkeeping.active,
        ...(bookkeeping.lastSuccessfulTime === undefined ? {} : { lastSuccessfulTime: bookkeeping.lastSuccessfulTime }),
      };
      let requeueAfter: number | undefined;
      const writeStatus = async () => {
        const next: CronJobStatus = { ...status, active: status.active ?? [] };
        if (next.active?.length === 0) delete next.active;
        if (JSON.stringify(next) === JSON.stringify(cronJob.status ?? {})) return;
        try {
          await client.updateStatus({ ...cronJob, status: next });
        } catch (error) {
          if (!isKeelsonError(error, 'NotFound')) throw error;
        }
      };
      if (cronJob.metadata.deletionTimestamp !== undefined) {
        await writeStatus();
        return undefined;
      }
      const schedule = scheduleOf(cronJob);
      if (typeof schedule === 'string') {
        await recorder?.event(cronJob, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${schedule}`);
        await writeStatus();
        return undefined;
      }
      const untilNext = () => {
        const next = nextScheduleTime(schedule, now);
        return next === undefined ? undefined : Math.max(1, next - now);
      };
      if (!cronJob.spec.suspend) {
        requeueAfter = untilNext();
        const { time: scheduledTime, missed } = mostRecentScheduleTime(cronJob, schedule, now);
        if (missed > MAX_MISSED_START_TIMES) {
          await recorder?.event(
            cronJob,
            'Warning',
            'TooManyMissedTimes',
            `too many missed start times: ${missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`,
          );
        }
        const deadline = cronJob.spec.startingDeadlineSeconds;
        const alreadyStarted =
          scheduledTime !== undefined &&
          ((status.active ?? []).some((ref) => ref.name === jobNameFor(cronJob, scheduledTime)) ||
            (status.lastScheduleTime !== undefined && Date.parse(status.lastScheduleTime) === scheduledTime));
        if (scheduledTime === undefined || alreadyStarted) {
          // Nothing due: wait for the next scheduled time.
        } else if (deadline !== undefined && scheduledTime + deadline * 1000 < now) {
          await recorder?.event(
            cronJob,
            'Warning',
            'MissSchedule',
            `Missed scheduled time to start a job: ${formatInTimeZone(scheduledTime, cronJob.spec.timeZone)}`,
          );
        } else if (cronJob.spec.concurrencyPolicy === 'Forbid' && (status.active ?? []).length > 0) {
          // The scheduled time stays unmet: it starts once the running job finishes (deadline permitting).
          await recorder?.event(
            cronJob,
            'Normal',
            'JobAlreadyActive',
            'Not starting job because prior execution is running and concurrency policy is Forbid',
          );
        } else {
          if (cronJob.spec.concurrencyPolicy === 'Replace') {
            for (const ref of status.active ?? []) await deleteJob(cronJob, ref, context);
            status = { ...status, active: [] };
          }
          const created = await createJob(cronJob, scheduledTime, context);
          if (created !== undefined) {
            status = {
              ...status,
              active: [...(status.active ?? []).filter((r) => r.uid !== created.metadata.uid), refTo(created)],
              lastScheduleTime: formatTime(scheduledTime),
            };
          }
        }
      }
      await cleanUpHistory(cronJob, jobs, context);
      await writeStatus();
      return requeueAfter === undefined ? undefined : { requeueAfter };
    },
  });
}

/** Creates the scheduled job; one already there that this CronJob controls counts as created. */
async function createJob(cronJob: CronJob, scheduledTime: number, context: ReconcileContext): Promise<Job | undefined> {
  const manifest = jobForScheduledTime(cronJob, scheduledTime);
  try {
    const job = await context.client.create(Job, manifest as never);
    await context.recorder?.event(cronJob, 'Normal', 'SuccessfulCreate', `Created job ${job.metadata.name}`);
    return job;
  } catch (error) {
    if (!isKeelsonError(error, 'AlreadyExists')) {
      await context.recorder?.event(cronJob, 'Warning', 'FailedCreate', `Error creating job: ${String(error)}`);
      throw error;
    }
    const existing = await context.client.get(Job, manifest.metadata.name, { namespace: cronJob.metadata.namespace });
    if (isControlledBy(existing, cronJob)) return existing;
    throw error;
  }
}
