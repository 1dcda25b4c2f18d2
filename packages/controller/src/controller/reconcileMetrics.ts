/** A controller's reconcile metrics, with controller-runtime's names and the `keelson_` prefix. */
import type { Clock } from '@keelson/clock';
import { counterOn, histogramOn, LATENCY_BUCKETS, type MetricsRegistry } from '@keelson/core';
import type { Counter, Histogram } from 'prom-client';

/** How one reconcile ended, the `result` label of `keelson_controller_runtime_reconcile_total`. */
export type ReconcileOutcome = 'success' | 'error' | 'requeue' | 'requeue_after';

/** @internal Created by the manager for each controller when it is given a `metricsRegistry`. */
export class ReconcileMetrics {
  private readonly total: Counter<'controller' | 'result'>;
  private readonly errors: Counter<'controller'>;
  private readonly time: Histogram<'controller'>;

  constructor(
    registry: MetricsRegistry,
    private readonly controller: string,
    private readonly clock: Clock,
  ) {
    this.total = counterOn(registry, {
      name: 'keelson_controller_runtime_reconcile_total',
      help: 'Reconciles per controller, by result (success, error, requeue, requeue_after).',
      labelNames: ['controller', 'result'],
    });
    this.errors = counterOn(registry, {
      name: 'keelson_controller_runtime_reconcile_errors_total',
      help: 'Reconciles per controller that failed with an error.',
      labelNames: ['controller'],
    });
    this.time = histogramOn(registry, {
      name: 'keelson_controller_runtime_reconcile_time_seconds',
      help: 'Length of reconciles per controller, in seconds of the manager clock.',
      labelNames: ['controller'],
      buckets: LATENCY_BUCKETS,
    });
    for (const result of ['success', 'error', 'requeue', 'requeue_after'] as const)
      this.total.inc({ controller, result }, 0);
    this.errors.inc({ controller }, 0);
  }

  /** A clock reading to pass to {@link ReconcileMetrics.record}. */
  start(): number {
    return this.clock.now();
  }

  /** Counts one reconcile that began at `start` and ended with `outcome`. */
  record(start: number, outcome: ReconcileOutcome): void {
    const { controller } = this;
    this.total.inc({ controller, result: outcome });
    if (outcome === 'error') this.errors.inc({ controller });
    this.time.observe({ controller }, (this.clock.now() - start) / 1_000);
  }
}
