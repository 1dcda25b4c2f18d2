/** A work queue's Prometheus metrics, with client-go's workqueue names and the `keelson_` prefix. */
import type { Clock } from '@keelson/clock';
import { counterOn, DURATION_BUCKETS, gaugeOn, histogramOn, type MetricsRegistry } from '@keelson/core';
import type { Counter, Gauge, Histogram } from 'prom-client';

/** @internal Created by `createWorkQueue` when it is given a `metricsRegistry`; durations are on the queue's clock. */
export class WorkQueueMetrics<T> {
  private readonly depth: Gauge<'name'>;
  private readonly adds: Counter<'name'>;
  private readonly retries: Counter<'name'>;
  private readonly queueDuration: Histogram<'name'>;
  private readonly workDuration: Histogram<'name'>;
  private readonly labels: { name: string };
  /** When each queued item was first added since it was last taken. */
  private readonly addedAt = new Map<T, number>();
  /** When each item being processed was taken. */
  private readonly startedAt = new Map<T, number>();

  constructor(
    registry: MetricsRegistry,
    name: string,
    private readonly clock: Clock,
  ) {
    this.labels = { name };
    const labelNames = ['name'] as const;
    this.depth = gaugeOn(registry, {
      name: 'keelson_workqueue_depth',
      help: 'Current depth of the work queue: items queued and not yet taken.',
      labelNames,
    });
    this.adds = counterOn(registry, {
      name: 'keelson_workqueue_adds_total',
      help: 'Items added to the work queue (adds of an item already waiting are not counted).',
      labelNames,
    });
    this.retries = counterOn(registry, {
      name: 'keelson_workqueue_retries_total',
      help: 'Rate-limited re-adds (retries) handled by the work queue.',
      labelNames,
    });
    this.queueDuration = histogramOn(registry, {
      name: 'keelson_workqueue_queue_duration_seconds',
      help: 'Seconds (of the queue clock) an item stays in the work queue before being taken.',
      labelNames,
      buckets: DURATION_BUCKETS,
    });
    this.workDuration = histogramOn(registry, {
      name: 'keelson_workqueue_work_duration_seconds',
      help: 'Seconds (of the queue clock) between taking an item from the work queue and marking it done.',
      labelNames,
      buckets: DURATION_BUCKETS,
    });
    this.depth.set(this.labels, 0);
    this.adds.inc(this.labels, 0);
    this.retries.inc(this.labels, 0);
  }

  /** An item became dirty (newly needing processing). */
  added(item: T): void {
    this.adds.inc(this.labels);
    if (!this.addedAt.has(item)) this.addedAt.set(item, this.clock.now());
  }

  /** An item was taken by a worker. */
  taken(item: T): void {
    const now = this.clock.now();
    const since = this.addedAt.get(item);
    this.addedAt.delete(item);
    if (since !== undefined) this.queueDuration.observe(this.labels, (now - since) / 1_000);
    this.startedAt.set(item, now);
  }

  /** A worker finished an item. */
  finished(item: T): void {
    const since = this.startedAt.get(item);
    this.startedAt.delete(item);
    if (since !== undefined) this.workDuration.observe(this.labels, (this.clock.now() - since) / 1_000);
  }

  /** A rate-limited re-add. */
  retried(): void {
    this.retries.inc(this.labels);
  }

  /** Records the current number of queued items. */
  setDepth(depth: number): void {
    this.depth.set(this.labels, depth);
  }
}
