/**
 * One scheduling attempt of `createScheduler`: the scheduling cycle for a pod
 * taken from the queue, then either its failure (status, event, requeue, and
 * PostFilter's preemption) or Reserve, Permit and the binding cycle in the
 * background.
 */
import type { Pod } from '@keelson/api';
import type { Clock, Random } from '@keelson/clock';
import type { EventRecorder } from '@keelson/controller';
import { InvalidError, type Logger, type Store } from '@keelson/core';
import { decide } from '../algorithm/cycle';
import type { FilterContext } from '../algorithm/feasible';
import { fitErrorMessage, NO_NODES_AVAILABLE } from '../algorithm/fitError';
import { ScoreScratch } from '../algorithm/prioritize';
import type { CycleState } from '../framework/cycleState';
import { type PodInfo, podInfoOf } from '../framework/podInfo';
import type { Status } from '../framework/status';
import type { QueuedPodInfo } from '../framework/types';
import type { Framework } from '../profile/framework';
import type { SchedulingQueue } from '../queue/schedulingQueue';
import type { SchedulerCache } from './cache';
import { type ClusterWatch, isAssigned } from './clusterWatch';
import type { PermitGate } from './permit';
import { writeFailure } from './podStatus';
import type { SchedulerMetrics } from './schedulerMetrics';
import type { SchedulerStats } from './schedulerTypes';

/** What an attempt works with: the scheduler's parts. */
export interface AttemptDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly metrics: SchedulerMetrics | undefined;
  readonly cache: SchedulerCache;
  readonly queue: SchedulingQueue;
  readonly watch: ClusterWatch;
  readonly recorder: EventRecorder | undefined;
  readonly onError: (error: unknown) => void;
  readonly logger: Logger;
  readonly permits: PermitGate;
  readonly frameworks: ReadonlyMap<string, Framework>;
  readonly filterContexts: ReadonlyMap<Framework, FilterContext>;
  readonly tieBreaks: Random;
  readonly stats: SchedulerStats;
  /** Keeps `work` counted as in flight until it settles. */
  track(work: Promise<void>): void;
  /** Wakes `idle()` waiters when nothing is left to do. */
  checkIdle(): void;
}

export class SchedulingAttempts {
  readonly #d: AttemptDeps;
  readonly #scratch = new ScoreScratch();

  constructor(deps: AttemptDeps) {
    this.#d = deps;
  }

  /** One scheduling attempt for a pod taken from the queue. */
  scheduleOne(queued: QueuedPodInfo): void {
    const cycle = this.#d.queue.schedulingCycle;
    const current = this.#d.watch.pod(queued.podInfo.pod.metadata.name, queued.podInfo.pod.metadata.namespace);
    if (current === undefined || isAssigned(current) || current.metadata.deletionTimestamp !== undefined) {
      this.#d.queue.done(queued.podInfo.key);
      return;
    }
    const pod = podInfoOf(current);
    const framework = this.#d.frameworks.get(current.spec.schedulerName);
    if (framework === undefined) {
      this.#d.queue.done(pod.key);
      return;
    }
    this.#d.stats.attempts++;
    this.#d.metrics?.attemptBegins(pod.key);
    const ctx = this.#d.filterContexts.get(framework) as FilterContext;
    if (this.#d.cache.nodes.nodes.length === 0) {
      this.#fail(queued, current, { unschedulable: true, message: NO_NODES_AVAILABLE, plugins: [], cycle });
      return;
    }
    const outcome = decide(ctx, this.#d.tieBreaks, pod, false, this.#scratch);
    if (outcome.error !== undefined) {
      this.#fail(queued, current, {
        unschedulable: false,
        message: outcome.error.reasons.join(', '),
        plugins: [],
        cycle,
      });
      return;
    }
    if (outcome.nodeName === undefined) {
      this.#unschedulable(queued, current, framework, outcome.state, outcome.statuses, outcome.preFilterMessage, cycle);
      return;
    }
    this.#assumeAndBind(queued, pod, framework, outcome.state, outcome.nodeName, cycle);
  }

  #unschedulable(
    queued: QueuedPodInfo,
    current: Pod,
    framework: Framework,
    state: CycleState,
    statuses: ReadonlyMap<string, Status>,
    preFilterMessage: string | undefined,
    cycle: number,
  ): void {
    const pod = podInfoOf(current);
    let postFilterMessage: string | undefined;
    let nominatedNodeName: string | undefined;
    for (const plugin of framework.profile.points.postFilter) {
      const result = plugin.postFilter?.(state, pod, statuses);
      if (result instanceof Promise) throw new InvalidError(`${plugin.name}: postFilter must be synchronous here`);
      if (result?.nominatedNodeName) {
        nominatedNodeName = result.nominatedNodeName;
        this.#d.stats.preemptions++;
        break;
      }
      if (result?.status?.reasons.length) postFilterMessage = result.status.reasons.join(', ');
    }
    const plugins = new Set<string>();
    for (const status of statuses.values()) if (status.plugin) plugins.add(status.plugin);
    const message = fitErrorMessage(this.#d.cache.nodes.nodes.length, statuses, preFilterMessage, postFilterMessage);
    this.#fail(queued, current, {
      unschedulable: true,
      message,
      plugins,
      cycle,
      ...(nominatedNodeName ? { nominatedNodeName } : {}),
    });
  }

  #fail(
    queued: QueuedPodInfo,
    pod: Pod,
    failure: {
      unschedulable: boolean;
      message: string;
      plugins: Iterable<string>;
      cycle: number;
      nominatedNodeName?: string;
    },
  ): void {
    if (failure.unschedulable) this.#d.stats.unschedulable++;
    else this.#d.stats.errors++;
    this.#d.metrics?.attempted(
      queued.podInfo.key,
      failure.unschedulable ? 'unschedulable' : 'error',
      pod.spec.schedulerName,
    );
    const fields = { pod: queued.podInfo.key, reason: failure.unschedulable ? 'Unschedulable' : 'SchedulerError' };
    if (failure.unschedulable)
      this.#d.logger.info({ ...fields, error: failure.message }, 'Unable to schedule pod; no fit; waiting');
    else this.#d.logger.error({ ...fields, error: failure.message }, 'Error scheduling pod; retrying');
    void this.#d.recorder?.event(pod, 'Warning', 'FailedScheduling', failure.message);
    const write = writeFailure(
      this.#d.store,
      pod,
      {
        reason: failure.unschedulable ? 'Unschedulable' : 'SchedulerError',
        message: failure.message,
        ...(failure.nominatedNodeName ? { nominatedNodeName: failure.nominatedNodeName } : {}),
      },
      `${new Date(this.#d.clock.now()).toISOString().slice(0, 19)}Z`,
    ).catch(this.#d.onError);
    this.#d.track(write);
    this.#d.queue.requeue(queued, {
      unschedulable: failure.unschedulable,
      plugins: failure.plugins,
      cycle: failure.cycle,
    });
  }

  #assumeAndBind(
    queued: QueuedPodInfo,
    pod: PodInfo,
    framework: Framework,
    state: CycleState,
    nodeName: string,
    cycle: number,
  ): void {
    this.#d.cache.assume(pod, nodeName);
    const undo = (message: string, unschedulable: boolean, plugin?: string) => {
      framework.runUnreserve(state, pod, nodeName);
      this.#d.cache.forget(pod.key);
      this.#fail(queued, pod.pod, { unschedulable, message, plugins: plugin ? [plugin] : [], cycle });
    };
    const reserved = framework.runReserve(state, pod, nodeName);
    if (reserved !== undefined) {
      undo(reserved.reasons.join(', '), reserved.code !== 'Error', reserved.plugin);
      return;
    }
    const permit = framework.runPermit(state, pod, nodeName);
    if (permit.status !== undefined) {
      undo(permit.status.reasons.join(', '), permit.status.code !== 'Error', permit.status.plugin);
      return;
    }
    const bind = async () => {
      if (permit.waitMs !== undefined) {
        const waiting = this.#d.permits.wait(pod.key, permit.waitMs);
        this.#d.checkIdle();
        const verdict = await waiting;
        if (verdict !== undefined) {
          undo(verdict, true);
          this.#d.queue.moveOnEvent('AssignedPodDelete');
          return;
        }
      }
      const bound = await framework.runBindingCycle(state, pod, nodeName);
      if (bound !== undefined) {
        undo(bound.reasons.join(', '), false, bound.plugin);
        this.#d.queue.moveOnEvent('AssignedPodDelete');
        return;
      }
      this.#d.stats.scheduled++;
      this.#d.metrics?.attempted(pod.key, 'scheduled', pod.pod.spec.schedulerName);
      this.#d.queue.done(pod.key);
      framework.runPostBind(state, pod, nodeName);
      this.#d.logger.info({ pod: pod.key, node: nodeName }, 'Successfully bound pod to node');
      void this.#d.recorder?.event(pod.pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.key} to ${nodeName}`);
    };
    this.#d.track(bind().catch(this.#d.onError));
  }
}
