/** The public shapes of `createScheduler`: its options, its counters and the running scheduler. */
import type { Clock, Random } from '@keelson/clock';
import type { EventRecorder, LeaderElectionOptions } from '@keelson/controller';
import type { Logger, MetricsRegistry, Store } from '@keelson/core';
import type { PluginFactory, SchedulerProfile } from '../framework/types';
import type { QueueLength } from '../queue/schedulingQueue';
import type { WaitingPod } from './permit';

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
  /** Failures the scheduler cannot pin on a pod (default: an `error` line on `logger`). */
  onError?: (error: unknown) => void;
  /**
   * A pino-compatible logger (binding `component: 'scheduler'`): pods bound and pods that could
   * not be scheduled at `info`, failures at `error`. Silent by default.
   */
  logger?: Logger;
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
  queueLength(): QueueLength;
  /** Pods held by a Permit plugin's `Wait`, by `namespace/name`. */
  waitingPod(key: string): WaitingPod | undefined;
  /** Resolves when no pod is in activeQ, being scheduled or being bound (pods held by Permit do not count). */
  idle(): Promise<void>;
  /** Whether this scheduler schedules now (always, without leader election). */
  isLeader(): boolean;
}
