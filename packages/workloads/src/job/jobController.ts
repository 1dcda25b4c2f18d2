/**
 * The Job controller (job_controller.go): runs a job's pods to completion —
 * `parallelism` at a time until `completions` succeed — counting finished
 * pods through a tracking finalizer, delaying new pods after failures
 * (10 s doubling to 10 min), failing the job at its backoff limit or active
 * deadline, deleting its pods while suspended.
 */
import { getCondition, Job, Pod, setCondition } from '@keelson/api';
import { type Controller, defineController, type ReconcileContext, type Result } from '@keelson/controller';
import { InvalidError, isKeelsonError, labelSelectorFromStructured } from '@keelson/core';
import { podsToDelete } from '../replicaset/ranking';
import {
  BURST_REPLICAS,
  claimCandidates,
  claimObjects,
  deletePodWithRetry,
  Expectations,
  errorMessage,
  isPodActive,
  isPodReadyNow,
  observedPods,
  podFromTemplate,
  slowStartBatch,
} from '../shared/index';
import { formatTime } from '../shared/time';
import {
  JOB_COMPLETION_INDEX_ANNOTATION,
  JOB_COMPLETION_INDEX_ENV,
  JOB_CONTROLLER_NAME,
  JOB_TRACKING_FINALIZER,
  JobReason,
} from './constants';
import { parseIndexes } from './indexes';
import {
  type BackoffRecord,
  completionIndexOf,
  isPodTerminating,
  nextBackoffRecord,
  pastBackoffLimitOnFailure,
  remainingBackoff,
} from './jobPods';
import { countFinishedPods } from './jobTracking';
import { activeDeadlineAt, type JobVerdict, jobVerdict, wantedActive } from './jobVerdict';

/** Options for {@link jobController}. */
export interface JobControllerOptions {
  /** Most pods created or deleted in one sync (Kubernetes: 500). */
  burstReplicas?: number;
}

type JobStatus = NonNullable<Job['status']>;
type JobCondition = NonNullable<JobStatus['conditions']>[number];

/** Per job: what its syncs created and deleted, which pods were counted, and its failure backoff. */
interface JobMemory {
  expectations: Expectations;
  counted: Map<string, Set<string>>;
  backoff: Map<string, BackoffRecord>;
}

/** The terminal condition (`Complete` or `Failed` True) a job has reached, if any. */
export function jobFinishedCondition(job: Job): JobCondition | undefined {
  return job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** The verdict a job recorded earlier as `FailureTarget` / `SuccessCriteriaMet`, if any. */
function recordedVerdict(job: Job): JobVerdict | undefined {
  for (const c of job.status?.conditions ?? []) {
    if (c.status !== 'True') continue;
    if (c.type === 'FailureTarget') return { outcome: 'Failed', reason: c.reason ?? '', message: c.message ?? '' };
    if (c.type === 'SuccessCriteriaMet') {
      return { outcome: 'Complete', reason: c.reason ?? '', message: c.message ?? '' };
    }
  }
  return undefined;
}

function withCondition(
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
function pendingIndexes(job: Job, status: JobStatus, active: readonly Pod[], count: number): number[] {
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

async function createPods(
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

async function deletePods(
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

/**
 * The Job controller, for a manager: owns Pods (their events wake their
 * job). Times — the active deadline, the failure backoff — run on the
 * manager's clock.
 *
 * @example
 * ```ts
 * manager.add(jobController());
 * ```
 * @throws InvalidError for bad options.
 */
export function jobController(options: JobControllerOptions = {}): Controller<Job> {
  const burst = options.burstReplicas ?? BURST_REPLICAS;
  if (!Number.isSafeInteger(burst) || burst < 1) {
    throw new InvalidError(
      `jobController: options.burstReplicas must be an integer >= 1 (Kubernetes uses ${BURST_REPLICAS}), got ${String(options.burstReplicas)}`,
    );
  }
  let memory: JobMemory | undefined;
  return defineController({
    name: JOB_CONTROLLER_NAME,
    for: Job,
    owns: [Pod],
    async reconcile(request, context): Promise<Result | undefined> {
      memory ??= { expectations: new Expectations(context.clock), counted: new Map(), backoff: new Map() };
      const key = `${request.namespace ?? ''}/${request.name}`;
      const { cache, client, clock } = context;
      const job = cache.get(Job, request.name, request.namespace);
      if (job === undefined) {
        memory.expectations.forget(key);
        memory.counted.delete(key);
        memory.backoff.delete(key);
        return undefined;
      }
      const namespace = job.metadata.namespace;
      const now = clock.now();
      const nowText = formatTime(now);
      const satisfied = memory.expectations.satisfied(key, observedPods(cache, namespace));
      const pods = await claimObjects({
        client,
        owner: job,
        type: Pod,
        selector: labelSelectorFromStructured(job.spec.selector),
        candidates: claimCandidates(cache, Pod, namespace, job.metadata.uid),
        canAdopt: async () => {
          try {
            const fresh = await client.get(Job, job.metadata.name, { namespace });
            return fresh.metadata.uid === job.metadata.uid && fresh.metadata.deletionTimestamp === undefined;
          } catch (error) {
            if (isKeelsonError(error, 'NotFound')) return false;
            throw error;
          }
        },
      });

      // Forget counted pods the cache now shows without their finalizer.
      const skip = memory.counted.get(key) ?? new Set<string>();
      memory.counted.set(key, skip);
      for (const uid of [...skip]) {
        const pod = pods.find((p) => p.metadata.uid === uid);
        if (pod === undefined || !pod.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)) skip.delete(uid);
      }

      const finished = jobFinishedCondition(job);
      let verdict = finished ? undefined : recordedVerdict(job);
      const tally = await countFinishedPods(client, job, pods, {
        finishing: finished !== undefined || verdict !== undefined || job.metadata.deletionTimestamp !== undefined,
        skip,
        now,
      });
      let status: JobStatus = tally.status;
      const record = nextBackoffRecord(
        memory.backoff.get(key) ?? { failuresAfterLastSuccess: 0, lastFailureAt: undefined },
        tally.finished,
      );
      memory.backoff.set(key, record);

      const written = tally.job;
      let active = pods.filter(isPodActive);
      let activeCount = active.length;
      let terminating = pods.filter(isPodTerminating).length;
      const succeeded = status.succeeded ?? 0;
      const failed = status.failed ?? 0;
      let conditions = status.conditions;
      let requeueAfter: number | undefined;
      const requeue = (ms: number) => {
        requeueAfter = requeueAfter === undefined ? ms : Math.min(requeueAfter, ms);
      };

      if (finished === undefined && job.metadata.deletionTimestamp === undefined) {
        if (!job.spec.suspend && status.startTime === undefined) status = { ...status, startTime: nowText };
        const current = { ...job, status };
        verdict ??= jobVerdict(
          current,
          {
            active: active.length,
            succeeded,
            failed,
            pastBackoffLimitOnFailure: pastBackoffLimitOnFailure(job, pods),
          },
          now,
        );
        if (verdict !== undefined) {
          const interim = verdict.outcome === 'Failed' ? 'FailureTarget' : 'SuccessCriteriaMet';
          if (getCondition(conditions, interim)?.status !== 'True') {
            conditions = withCondition(conditions, interim, 'True', verdict.reason, verdict.message, nowText);
          }
          if (active.length > 0) {
            await deletePods(job, active, context, memory, key);
            terminating += active.length;
            active = [];
            activeCount = 0;
          }
          if (terminating === 0) {
            conditions = withCondition(conditions, verdict.outcome, 'True', verdict.reason, verdict.message, nowText);
            if (verdict.outcome === 'Complete') {
              status = { ...status, completionTime: nowText };
              await context.recorder?.event(job, 'Normal', 'Completed', 'Job completed');
            } else {
              await context.recorder?.event(job, 'Warning', verdict.reason, verdict.message);
            }
          }
        } else if (job.spec.suspend) {
          if (active.length > 0) {
            await deletePods(job, active, context, memory, key);
            terminating += active.length;
            active = [];
            activeCount = 0;
          }
          if (getCondition(conditions, 'Suspended')?.status !== 'True') {
            conditions = withCondition(
              conditions,
              'Suspended',
              'True',
              JobReason.JobSuspended,
              'Job suspended',
              nowText,
            );
            await context.recorder?.event(job, 'Normal', 'Suspended', 'Job suspended');
          }
        } else {
          if (getCondition(conditions, 'Suspended')?.status === 'True') {
            conditions = withCondition(conditions, 'Suspended', 'False', JobReason.JobResumed, 'Job resumed', nowText);
            status = { ...status, startTime: nowText };
            await context.recorder?.event(job, 'Normal', 'Resumed', 'Job resumed');
          }
          const deadline = activeDeadlineAt({ ...job, status });
          if (deadline !== undefined) requeue(Math.max(1, deadline - now));
          if (satisfied) {
            const want = wantedActive(job, { active: active.length, succeeded });
            if (active.length > want) {
              const victims = podsToDelete(active, Math.min(active.length - want, burst));
              await deletePods(job, victims, context, memory, key);
              const gone = new Set(victims.map((v) => v.metadata.uid));
              active = active.filter((p) => !gone.has(p.metadata.uid));
              activeCount = active.length;
              terminating += victims.length;
            } else if (active.length < want) {
              const wait = remainingBackoff(record, now);
              if (wait > 0) requeue(wait);
              else {
                const count = Math.min(want - active.length, burst);
                const indexes =
                  job.spec.completionMode === 'Indexed'
                    ? pendingIndexes(job, status, active, count)
                    : Array(count).fill(undefined);
                activeCount += await createPods(job, indexes, context, memory, key);
              }
            }
          }
        }
      }

      const next: JobStatus = {
        ...status,
        ...(conditions === undefined ? {} : { conditions }),
        active: activeCount,
        ready: active.filter(isPodReadyNow).length,
        terminating,
        succeeded,
        failed,
        uncountedTerminatedPods: {},
      };
      if (JSON.stringify(next) !== JSON.stringify(written.status ?? {})) {
        try {
          await client.updateStatus({ ...written, status: next });
        } catch (error) {
          if (!isKeelsonError(error, 'NotFound')) throw error;
        }
      }
      return requeueAfter === undefined ? undefined : { requeueAfter };
    },
  });
}
