/**
 * `createScheduler`: the scheduling framework as a running component. It
 * watches pods and nodes through informers into an incremental cache, takes
 * pending pods of its profiles from the scheduling queue one at a time, runs
 * the scheduling cycle synchronously (so the cache never changes under it),
 * assumes the pod on the chosen node, and binds in the background so the
 * next pod is scheduled while the bind is in flight.
 */
import type { Pod } from '@keelson/api';
import { type Clock, cryptoRandom, type Random, systemClock } from '@keelson/clock';
import {
  createEventRecorder,
  type EventRecorder,
  type LeaderElectionOptions,
  LeaderElector,
} from '@keelson/controller';
import { InvalidError, type MetricsRegistry, type Store } from '@keelson/core';
import { decide } from '../algorithm/cycle';
import type { FilterContext } from '../algorithm/feasible';
import { fitErrorMessage, NO_NODES_AVAILABLE } from '../algorithm/fitError';
import { ScoreScratch } from '../algorithm/prioritize';
import type { CycleState } from '../framework/cycleState';
import { type PodInfo, podInfoOf } from '../framework/podInfo';
import type { Status } from '../framework/status';
import type { PluginFactory, QueuedPodInfo, SchedulerProfile } from '../framework/types';
import type { Framework } from '../profile/framework';
import { SchedulingQueue } from '../queue/schedulingQueue';
import { SchedulerCache } from './cache';
import { ClusterHooks } from './clusterHooks';
import { ClusterWatch, isAssigned } from './clusterWatch';
import { Nominator } from './nominator';
import { PermitGate, type WaitingPod } from './permit';
import { writeFailure } from './podStatus';
import { buildProfiles } from './profiles';
import { SchedulerMetrics } from './schedulerMetrics';
import { VolumeInformers } from './volumeInformers';

export interface SchedulerOptions {
  store: Store;
  clock?: Clock;
  /** Ties between equally scored nodes and preemption's start offset (default: crypto-backed). */
  random?: Random;
  /** Default: one profile, `default-scheduler`, with Kubernetes' default plugins. */
  profiles?: SchedulerProfile[];
  /** Out-of-tree plugins by name, usable in `profiles`. */
  registry?: Record<string, PluginFactory>;
  /** Events about pods (`FailedScheduling`, `Scheduled`, `Preempted`); `false` records none. */
  recorder?: EventRecorder | false;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  podMaxInUnschedulableMs?: number;
  /** Failures the scheduler cannot pin on a pod (default: `console.warn`). */
  onError?: (error: unknown) => void;
  /**
   * Schedule only while holding this Lease (`name` default `kube-scheduler`, namespace
   * `kube-system`), as kube-scheduler runs with several replicas: the others keep their caches
   * warm and take over when the leader's lease expires.
   */
  leaderElection?: Omit<LeaderElectionOptions, 'name'> & { name?: string };
  /** Registers kube-scheduler's metrics (`keelson_scheduler_*`) here; none without it. */
  metricsRegistry?: MetricsRegistry;
}

/** Counters, for tests and dashboards. */
export interface SchedulerStats {
  attempts: number;
  scheduled: number;
  unschedulable: number;
  errors: number;
  preemptions: number;
}

export interface Scheduler {
  /** Starts the informers and the scheduling loop; resolves once the caches have synced. */
  start(): Promise<void>;
  /** Stops scheduling and waits for binds in flight. */
  stop(): Promise<void>;
  readonly stats: Readonly<SchedulerStats>;
  /** How many pods wait in each part of the queue. */
  queueLength(): { active: number; backoff: number; unschedulable: number };
  /** Pods held by a Permit plugin's `Wait`, by `namespace/name`. */
  waitingPod(key: string): WaitingPod | undefined;
  /** Resolves when no pod is in activeQ, being scheduled or being bound (pods held by Permit do not count). */
  idle(): Promise<void>;
  /** Whether this scheduler schedules now (always, without leader election). */
  isLeader(): boolean;
}

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
    this.#onError = options.onError ?? ((error) => console.warn('scheduler:', error));
    this.#recorder =
      options.recorder === false
        ? undefined
        : (options.recorder ??
          createEventRecorder(this.#store, {
            component: 'default-scheduler',
            clock: this.#clock,
            random: this.#random.fork('events'),
            sweep: false,
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
    });
  }

  readonly #tieBreaks: Random;
  readonly #scratch = new ScoreScratch();
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
        this.#scheduleOne(queued);
      } catch (error) {
        this.#onError(error);
        this.#queue.requeue(queued, { unschedulable: false, cycle: this.#queue.schedulingCycle });
      }
    }
  }

  #scheduleOne(queued: QueuedPodInfo): void {
    const cycle = this.#queue.schedulingCycle;
    const current = this.#watch.pod(queued.podInfo.pod.metadata.name, queued.podInfo.pod.metadata.namespace);
    if (current === undefined || isAssigned(current) || current.metadata.deletionTimestamp !== undefined) {
      this.#queue.done(queued.podInfo.key);
      return;
    }
    const pod = podInfoOf(current);
    const framework = this.#frameworks.get(current.spec.schedulerName);
    if (framework === undefined) {
      this.#queue.done(pod.key);
      return;
    }
    this.stats.attempts++;
    this.#metrics?.attemptBegins(pod.key);
    const ctx = this.#filterContexts.get(framework) as FilterContext;
    if (this.#cache.nodes.nodes.length === 0) {
      this.#fail(queued, current, { unschedulable: true, message: NO_NODES_AVAILABLE, plugins: [], cycle });
      return;
    }
    const outcome = decide(ctx, this.#tieBreaks, pod, false, this.#scratch);
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
        this.stats.preemptions++;
        break;
      }
      if (result?.status?.reasons.length) postFilterMessage = result.status.reasons.join(', ');
    }
    const plugins = new Set<string>();
    for (const status of statuses.values()) if (status.plugin) plugins.add(status.plugin);
    const message = fitErrorMessage(this.#cache.nodes.nodes.length, statuses, preFilterMessage, postFilterMessage);
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
    if (failure.unschedulable) this.stats.unschedulable++;
    else this.stats.errors++;
    this.#metrics?.attempted(
      queued.podInfo.key,
      failure.unschedulable ? 'unschedulable' : 'error',
      pod.spec.schedulerName,
    );
    void this.#recorder?.event(pod, 'Warning', 'FailedScheduling', failure.message);
    const write = writeFailure(
      this.#store,
      pod,
      {
        reason: failure.unschedulable ? 'Unschedulable' : 'SchedulerError',
        message: failure.message,
        ...(failure.nominatedNodeName ? { nominatedNodeName: failure.nominatedNodeName } : {}),
      },
      `${new Date(this.#clock.now()).toISOString().slice(0, 19)}Z`,
    ).catch(this.#onError);
    this.#track(write);
    this.#queue.requeue(queued, {
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
    this.#cache.assume(pod, nodeName);
    const undo = (message: string, unschedulable: boolean, plugin?: string) => {
      framework.runUnreserve(state, pod, nodeName);
      this.#cache.forget(pod.key);
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
        const waiting = this.#permits.wait(pod.key, permit.waitMs);
        this.#checkIdle();
        const verdict = await waiting;
        if (verdict !== undefined) {
          undo(verdict, true);
          this.#queue.moveOnEvent('AssignedPodDelete');
          return;
        }
      }
      const bound = await framework.runBindingCycle(state, pod, nodeName);
      if (bound !== undefined) {
        undo(bound.reasons.join(', '), false, bound.plugin);
        this.#queue.moveOnEvent('AssignedPodDelete');
        return;
      }
      this.stats.scheduled++;
      this.#metrics?.attempted(pod.key, 'scheduled', pod.pod.spec.schedulerName);
      this.#queue.done(pod.key);
      framework.runPostBind(state, pod, nodeName);
      void this.#recorder?.event(pod.pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.key} to ${nodeName}`);
    };
    this.#track(bind().catch(this.#onError));
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
