/**
 * The Job controller (job_controller.go): runs a job's pods to completion —
 * `parallelism` at a time until `completions` succeed — counting finished
 * pods through a tracking finalizer, delaying new pods after failures
 * (10 s doubling to 10 min), failing the job at its backoff limit or active
 * deadline, deleting its pods while suspended.
 */
import { getCondition, Job, Pod } from '@keelson/api';
import { type Controller, defineController, type Result } from '@keelson/controller';
import { InvalidError, isKeelsonError, labelSelectorFromStructured } from '@keelson/core';
import { podsToDelete } from '../replicaset/ranking';
import {
  BURST_REPLICAS,
  claimCandidates,
  claimObjects,
  Expectations,
  isPodActive,
  isPodReadyNow,
  observedPods,
} from '../shared/index';
import { formatTime } from '../shared/time';
import { JOB_CONTROLLER_NAME, JOB_TRACKING_FINALIZER, JobReason } from './constants';
import { isPodTerminating, nextBackoffRecord, pastBackoffLimitOnFailure, remainingBackoff } from './jobPods';
import {
  createPods,
  deletePods,
  type JobMemory,
  type JobStatus,
  jobFinishedCondition,
  pendingIndexes,
  recordedVerdict,
  withCondition,
} from './jobSync';
import { countFinishedPods } from './jobTracking';
import { activeDeadlineAt, jobVerdict, wantedActive } from './jobVerdict';

export { jobFinishedCondition } from './jobSync';

/** Options for {@link jobController}. */
export interface JobControllerOptions {
  /** Most pods created or deleted in one sync (Kubernetes: 500). */
  burstReplicas?: number;
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
