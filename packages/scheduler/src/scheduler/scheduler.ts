/**
 * `createScheduler`: the scheduling framework as a running component. It
 * watches pods and nodes through informers into an incremental cache, takes
 * pending pods of its profiles from the scheduling queue one at a time, runs
 * the scheduling cycle synchronously (so the cache never changes under it),
 * assumes the pod on the chosen node, and binds in the background so the
 * next pod is scheduled while the bind is in flight.
 */
import { type Clock, cryptoRandom, type Random, systemClock } from '@keelson/clock';
import { createEventRecorder, type EventRecorder, LeaderElector } from '@keelson/controller';
import { componentLogger, errorFields, InvalidError, type Logger, type Store } from '@keelson/core';
import type { FilterContext } from '../algorithm/feasible';
import type { PodInfo } from '../framework/podInfo';
import type { Status } from '../framework/status';
import type { QueuedPodInfo } from '../framework/types';
import type { Framework } from '../profile/framework';
import { SchedulingQueue } from '../queue/schedulingQueue';
import { SchedulingAttempts } from './attempt';
import { SchedulerCache } from './cache';
import { ClusterHooks } from './clusterHooks';
import { ClusterWatch } from './clusterWatch';
import { Nominator } from './nominator';
import { PermitGate, type WaitingPod } from './permit';
import { buildProfiles } from './profiles';
import { SchedulerMetrics } from './schedulerMetrics';
import type { Scheduler, SchedulerOptions, SchedulerStats } from './schedulerTypes';
import { VolumeInformers } from './volumeInformers';

export type { Scheduler, SchedulerOptions, SchedulerStats } from './schedulerTypes';

class KeelsonScheduler implements Scheduler {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #metrics: SchedulerMetrics | undefined;
  readonly #random: Random;
  readonly #frameworks = new Map<string, Framework>();
  readonly #cache = new SchedulerCache();
  readonly #nominator = new Nominator();
  readonly #queue: SchedulingQueue;
  readonly #watch: ClusterWatch;
  readonly #recorder: EventRecorder | undefined;
  readonly #onError: (error: unknown) => void;
  readonly #logger: Logger;
  readonly #filterContexts = new Map<Framework, FilterContext>();
  readonly #permits: PermitGate;
  readonly #inFlight = new Set<Promise<void>>();
  #loop: Promise<void> | undefined;
  #started = false;
  #leading = false;
  readonly #elector: LeaderElector | undefined;
  #busy = false;
  #idleWaiters: Array<() => void> = [];
  readonly stats: SchedulerStats = { attempts: 0, scheduled: 0, unschedulable: 0, errors: 0, preemptions: 0 };

  constructor(options: SchedulerOptions) {
    if (typeof options?.store?.patch !== 'function') {
      throw new InvalidError('createScheduler: options.store must be a store from createStore');
    }
    this.#store = options.store;
    this.#clock = options.clock ?? options.store.clock ?? systemClock;
    this.#metrics = options.metricsRegistry ? new SchedulerMetrics(options.metricsRegistry, this.#clock) : undefined;
    this.#random = options.random ?? cryptoRandom();
    this.#logger = componentLogger(options.logger, 'scheduler');
    this.#onError = options.onError ?? ((error) => this.#logger.error(errorFields(error), 'scheduling failed'));
    this.#recorder =
      options.recorder === false
        ? undefined
        : (options.recorder ??
          createEventRecorder(this.#store, {
            component: 'default-scheduler',
            clock: this.#clock,
            random: this.#random.fork('events'),
            sweep: false,
            logger: this.#logger,
          }));
    this.#hooks = new ClusterHooks(this.#store);
    this.#volumes = new VolumeInformers(this.#store, (event) => this.#queue.moveOnEvent(event));
    const profiles = buildProfiles(options, {
      hooks: this.#hooks,
      volumes: this.#volumes,
      cache: this.#cache,
      nominator: this.#nominator,
      clock: this.#clock,
      random: this.#random,
      store: this.#store,
      ...(this.#recorder ? { recorder: this.#recorder } : {}),
    });
    for (const [name, framework] of profiles.frameworks) this.#frameworks.set(name, framework);
    for (const [framework, ctx] of profiles.contexts) this.#filterContexts.set(framework, ctx);
    const tieBreaks = this.#random.fork('select-host');
    this.#tieBreaks = tieBreaks;
    const first = this.#frameworks.values().next().value as Framework;
    const sorter = first.profile.points.queueSort[0];
    const less = (a: QueuedPodInfo, b: QueuedPodInfo) => sorter?.less?.(a, b) ?? false;
    const interest = new Map<string, ReadonlySet<string>>();
    for (const framework of this.#frameworks.values()) {
      for (const [plugin, events] of framework.pluginsInterestedIn()) interest.set(plugin, new Set(events));
    }
    this.#queue = new SchedulingQueue({
      clock: this.#clock,
      less,
      preEnqueue: (pod) => this.#preEnqueue(pod),
      interestedIn: (event, plugin) => interest.get(plugin)?.has(event) ?? true,
      ...(options.podInitialBackoffMs === undefined ? {} : { initialBackoffMs: options.podInitialBackoffMs }),
      ...(options.podMaxBackoffMs === undefined ? {} : { maxBackoffMs: options.podMaxBackoffMs }),
      ...(options.podMaxInUnschedulableMs === undefined
        ? {}
        : { maxInUnschedulableMs: options.podMaxInUnschedulableMs }),
    });
    this.#permits = new PermitGate(this.#clock);
    if (options.leaderElection !== undefined) {
      const identity: unknown = options.leaderElection?.identity;
      if (typeof identity !== 'string' || identity === '') {
        throw new InvalidError('createScheduler: leaderElection.identity must name this scheduler (e.g. its host)');
      }
      const election = { name: 'kube-scheduler', ...options.leaderElection };
      this.#elector = new LeaderElector(this.#store, this.#clock, election, {
        onStartedLeading: () => this.#lead(),
        onStoppedLeading: () => this.#follow(),
        onNewLeader: () => undefined,
      });
    }
    this.#watch = new ClusterWatch(this.#store, {
      cache: this.#cache,
      queue: this.#queue,
      nominator: this.#nominator,
      responsibleFor: (pod) => this.#frameworks.has(pod.spec.schedulerName),
      ...(this.#metrics === undefined ? {} : { onPodEvent: () => this.#metrics?.queueSizes(this.#queue.length) }),
    });
    this.#attempts = new SchedulingAttempts({
      store: this.#store,
      clock: this.#clock,
      metrics: this.#metrics,
      cache: this.#cache,
      queue: this.#queue,
      watch: this.#watch,
      recorder: this.#recorder,
      onError: this.#onError,
      logger: this.#logger,
      permits: this.#permits,
      frameworks: this.#frameworks,
      filterContexts: this.#filterContexts,
      tieBreaks: this.#tieBreaks,
      stats: this.stats,
      track: (work) => this.#track(work),
      checkIdle: () => this.#checkIdle(),
    });
  }

  readonly #tieBreaks: Random;
  readonly #attempts: SchedulingAttempts;
  readonly #hooks: ClusterHooks;
  readonly #volumes: VolumeInformers;

  #preEnqueue(pod: PodInfo): Status | undefined {
    const framework = this.#frameworks.get(pod.pod.spec.schedulerName);
    for (const plugin of framework?.profile.points.preEnqueue ?? []) {
      const status = plugin.preEnqueue?.(pod.pod);
      if (status !== undefined && status.code !== 'Success') return status;
    }
    return undefined;
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await this.#hooks.start();
    await this.#volumes.start();
    await this.#watch.start();
    if (this.#elector === undefined) this.#lead();
    else this.#elector.start();
  }

  /** Starts taking pods from the queue (at start, or on winning the election). */
  #lead(): void {
    this.#leading = true;
    this.#loop = this.#run();
  }

  /** Stops taking pods (the lease was lost); binds in flight finish, guarded by bindPod's precondition. */
  #follow(): void {
    this.#leading = false;
    this.#queue.interrupt();
    this.#checkIdle();
  }

  isLeader(): boolean {
    return this.#leading;
  }

  async stop(): Promise<void> {
    this.#elector?.stop();
    this.#leading = false;
    this.#queue.close();
    this.#permits.rejectAll('scheduler stopped');
    this.#watch.stop();
    this.#hooks.stop();
    this.#volumes.stop();
    this.#recorder?.stop();
    await this.#loop;
    await Promise.allSettled([...this.#inFlight]);
  }

  queueLength() {
    return this.#queue.length;
  }

  waitingPod(key: string): WaitingPod | undefined {
    return this.#permits.get(key);
  }

  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #isIdle(): boolean {
    const waiting = this.#leading ? this.#queue.length.active : 0; // a follower takes no pods
    return !this.#busy && waiting === 0 && this.#inFlight.size === this.#permits.size;
  }

  #checkIdle(): void {
    if (this.#idleWaiters.length > 0 && this.#isIdle()) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  async #run(): Promise<void> {
    for (;;) {
      this.#busy = false;
      this.#metrics?.queueSizes(this.#queue.length);
      this.#checkIdle();
      if (!this.#leading) return;
      const queued = await this.#queue.pop();
      if (queued === undefined || !this.#leading) {
        if (queued !== undefined)
          this.#queue.requeue(queued, { unschedulable: false, cycle: this.#queue.schedulingCycle });
        return;
      }
      this.#busy = true;
      try {
        this.#attempts.scheduleOne(queued);
      } catch (error) {
        this.#onError(error);
        this.#queue.requeue(queued, { unschedulable: false, cycle: this.#queue.schedulingCycle });
      }
    }
  }

  #track(work: Promise<void>): void {
    this.#inFlight.add(work);
    void work.finally(() => {
      this.#inFlight.delete(work);
      this.#checkIdle();
    });
  }
}

/**
 * Creates a scheduler for the pods whose `spec.schedulerName` names one of
 * its profiles. Call `start()`; pods are then placed as they appear.
 *
 * @example
 * ```ts
 * const scheduler = createScheduler({ store, clock, random: createRandom(42, 'scheduler') });
 * await scheduler.start();
 * ```
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  return new KeelsonScheduler(options);
}
