/** The scheduler's Prometheus metrics, with kube-scheduler's names and the `keelson_` prefix. */
import type { Clock } from '@keelson/clock';
import { counterOn, gaugeOn, histogramOn, LATENCY_BUCKETS, type MetricsRegistry } from '@keelson/core';
import type { Counter, Gauge, Histogram } from 'prom-client';
import type { QueueLength } from '../queue/schedulingQueue';

/** The `result` label of `keelson_scheduler_schedule_attempts_total`. */
export type ScheduleResult = 'scheduled' | 'unschedulable' | 'error';

/** @internal Created by `createScheduler` when it is given a `metricsRegistry`. */
export class SchedulerMetrics {
  private readonly attempts: Counter<'result' | 'profile'>;
  private readonly pending: Gauge<'queue'>;
  private readonly duration: Histogram<'result' | 'profile'>;
  /** When the running attempt for each pod key began, on the scheduler's clock. */
  private readonly began = new Map<string, number>();

  constructor(
    registry: MetricsRegistry,
    private readonly clock: Clock,
  ) {
    this.duration = histogramOn(registry, {
      name: 'keelson_scheduler_scheduling_attempt_duration_seconds',
      help: 'Scheduling attempt latency in seconds of the scheduler clock (scheduling cycle and binding), by result and profile.',
      labelNames: ['result', 'profile'],
      buckets: LATENCY_BUCKETS,
    });
    this.attempts = counterOn(registry, {
      name: 'keelson_scheduler_schedule_attempts_total',
      help: 'Attempts to schedule pods, by result (scheduled, unschedulable, error) and profile.',
      labelNames: ['result', 'profile'],
    });
    this.pending = gaugeOn(registry, {
      name: 'keelson_scheduler_pending_pods',
      help: 'Pending pods by scheduling queue (active, backoff, unschedulable, gated: held by schedulingGates or another PreEnqueue plugin), refreshed at each scheduling attempt and pod event.',
      labelNames: ['queue'],
    });
  }

  /** An attempt to schedule the pod `key` begins. */
  attemptBegins(key: string): void {
    this.began.set(key, this.clock.now());
  }

  /** Counts one attempt for the pod `key` of `profile` that ended with `result`, observing its duration. */
  attempted(key: string, result: ScheduleResult, profile: string): void {
    this.attempts.inc({ result, profile });
    const since = this.began.get(key);
    this.began.delete(key);
    if (since !== undefined) this.duration.observe({ result, profile }, (this.clock.now() - since) / 1_000);
  }

  /** Records the scheduling queue's sizes. */
  queueSizes(sizes: QueueLength): void {
    for (const [queue, size] of Object.entries(sizes)) this.pending.set({ queue }, size);
  }
}
