/** The scheduler's Prometheus metrics, with kube-scheduler's names and the `keelson_` prefix. */
import { counterOn, gaugeOn, type MetricsRegistry } from '@keelson/core';
import type { Counter, Gauge } from 'prom-client';

/** The `result` label of `keelson_scheduler_schedule_attempts_total`. */
export type ScheduleResult = 'scheduled' | 'unschedulable' | 'error';

/** @internal Created by `createScheduler` when it is given a `metricsRegistry`. */
export class SchedulerMetrics {
  private readonly attempts: Counter<'result' | 'profile'>;
  private readonly pending: Gauge<'queue'>;

  constructor(registry: MetricsRegistry) {
    this.attempts = counterOn(registry, {
      name: 'keelson_scheduler_schedule_attempts_total',
      help: 'Attempts to schedule pods, by result (scheduled, unschedulable, error) and profile.',
      labelNames: ['result', 'profile'],
    });
    this.pending = gaugeOn(registry, {
      name: 'keelson_scheduler_pending_pods',
      help: 'Pending pods by scheduling queue (active, backoff, unschedulable), refreshed at each scheduling attempt.',
      labelNames: ['queue'],
    });
  }

  /** Counts one attempt for a pod of `profile` that ended with `result`. */
  attempted(result: ScheduleResult, profile: string): void {
    this.attempts.inc({ result, profile });
  }

  /** Records the scheduling queue's sizes. */
  queueSizes(sizes: { active: number; backoff: number; unschedulable: number }): void {
    for (const [queue, size] of Object.entries(sizes)) this.pending.set({ queue }, size);
  }
}
