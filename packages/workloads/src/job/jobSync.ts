/**
 * The steps of a Job sync that act on its pods and conditions: the
 * manifests of new pods (Indexed jobs' indexes and hostnames), creating and
 * deleting them with expectations and events, and the conditions it records.
 */
import { type Job, Pod, setCondition } from '@keelson/api';
import type { ReconcileContext } from '@keelson/controller';
import { isKeelsonError } from '@keelson/core';
import { deletePodWithRetry, type Expectations, errorMessage, podFromTemplate, slowStartBatch } from '../shared/index';
import { JOB_COMPLETION_INDEX_ANNOTATION, JOB_COMPLETION_INDEX_ENV, JOB_TRACKING_FINALIZER } from './constants';
import { parseIndexes } from './indexes';
import { type BackoffRecord, completionIndexOf } from './jobPods';
import type { JobVerdict } from './jobVerdict';

/** A Job's status. */
export type JobStatus = NonNullable<Job['status']>;
/** One condition of a Job's status. */
export type JobCondition = NonNullable<JobStatus['conditions']>[number];

/** Per job: what its syncs created and deleted, which pods were counted, and its failure backoff. */
export interface JobMemory {
  expectations: Expectations;
  counted: Map<string, Set<string>>;
  backoff: Map<string, BackoffRecord>;
}

/** The terminal condition (`Complete` or `Failed` True) a job has reached, if any. */
export function jobFinishedCondition(job: Job): JobCondition | undefined {
  return job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** The verdict a job recorded earlier as `FailureTarget` / `SuccessCriteriaMet`, if any. */
export function recordedVerdict(job: Job): JobVerdict | undefined {
  for (const c of job.status?.conditions ?? []) {
    if (c.status !== 'True') continue;
    if (c.type === 'FailureTarget') return { outcome: 'Failed', reason: c.reason ?? '', message: c.message ?? '' };
    if (c.type === 'SuccessCriteriaMet') {
      return { outcome: 'Complete', reason: c.reason ?? '', message: c.message ?? '' };
    }
  }
  return undefined;
}

/** `conditions` with `type` set, its probe and transition times at `now`. */
export function withCondition(
  conditions: JobStatus['conditions'],
  type: string,
  status: 'True' | 'False',
  reason: string,
  message: string,
  now: string,
): JobCondition[] {
  return setCondition(conditions, { type, status, reason, message, lastProbeTime: now }, now);
}

/** The manifests of `count` new pods: the template, a controller reference, the tracking finalizer and, for Indexed jobs, an index each. */
function newPods(job: Job, indexes: readonly (number | undefined)[]) {
  return indexes.map((index) => {
    const pod = podFromTemplate(
      job.spec.template,
      job,
      index === undefined
        ? {}
        : {
            generateName: `${job.metadata.name}-${index}-`,
            labels: { [JOB_COMPLETION_INDEX_ANNOTATION]: String(index) },
            spec: {
              hostname: `${job.metadata.name}-${index}`,
              containers: job.spec.template.spec.containers.map((c) => ({
                ...c,
                env: [...(c.env ?? []), { name: JOB_COMPLETION_INDEX_ENV, value: String(index) }],
              })),
            },
          },
    );
    return {
      ...pod,
      metadata: {
        ...pod.metadata,
        finalizers: [JOB_TRACKING_FINALIZER],
        ...(index === undefined
          ? {}
          : { annotations: { ...pod.metadata.annotations, [JOB_COMPLETION_INDEX_ANNOTATION]: String(index) } }),
      },
    };
  });
}

/** The indexes an Indexed job should start next: the lowest neither completed nor running. */
export function pendingIndexes(job: Job, status: JobStatus, active: readonly Pod[], count: number): number[] {
  const completions = job.spec.completions ?? 0;
  const taken = parseIndexes(status.completedIndexes, completions);
  for (const pod of active) {
    const index = completionIndexOf(pod);
    if (index !== undefined) taken.add(index);
  }
  const pending: number[] = [];
  for (let i = 0; i < completions && pending.length < count; i++) if (!taken.has(i)) pending.push(i);
  return pending;
}

/** Creates a job's new pods in slow-start batches, each expected and recorded as an event; resolves with how many were made. */
export async function createPods(
  job: Job,
  indexes: readonly (number | undefined)[],
  context: ReconcileContext,
  memory: JobMemory,
  key: string,
): Promise<number> {
  const manifests = newPods(job, indexes);
  let next = 0;
  let created = 0;
  const { error } = await slowStartBatch(manifests.length, async () => {
    const manifest = manifests[next++];
    try {
      const pod = await context.client.create(Pod, manifest as never);
      created++;
      memory.expectations.created(key, pod.metadata.name);
      await context.recorder?.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
    } catch (e) {
      await context.recorder?.event(job, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(e)}`);
      throw e;
    }
  });
  if (error !== undefined) throw error;
  return created;
}

/** Deletes a job's pods (already gone is fine), each expected and recorded as an event. */
export async function deletePods(
  job: Job,
  victims: readonly Pod[],
  context: ReconcileContext,
  memory: JobMemory,
  key: string,
): Promise<void> {
  await Promise.all(
    victims.map(async (pod) => {
      try {
        await deletePodWithRetry(context.client, pod);
        memory.expectations.deleted(key, pod.metadata.uid);
        await context.recorder?.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      } catch (e) {
        if (!isKeelsonError(e, 'NotFound')) throw e;
      }
    }),
  );
}
