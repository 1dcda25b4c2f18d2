/**
 * Prometheus metrics through prom-client, registered only on the registry an application passes
 * in (`metricsRegistry` in each component's options): nothing lands in prom-client's global
 * registry unless that registry is the one passed. Several components on one registry share a
 * metric (e.g. two managers' work queues), so every metric is get-or-create by name.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type { Registry as MetricsRegistry } from 'prom-client';

/** Latency buckets in seconds, from 100 µs to a minute (store requests, reconciles, syncs). */
export const LATENCY_BUCKETS: readonly number[] = [
  0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

/** Duration buckets in seconds for things that take real or virtual time (queueing, pod startup). */
export const DURATION_BUCKETS: readonly number[] = [
  0.001, 0.01, 0.1, 0.5, 1, 2, 5, 10, 20, 30, 45, 60, 120, 300, 600, 1800, 3600,
];

interface MetricConfig<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
}

function existing<M>(registry: Registry, name: string, kind: new (...args: never[]) => M): M | undefined {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return undefined;
  if (!(metric instanceof kind)) {
    throw new TypeError(`metric ${name} is already registered with another type on this registry`);
  }
  return metric;
}

/** The counter `name` on `registry`, created on first use. */
export function counterOn<L extends string>(registry: Registry, config: MetricConfig<L>): Counter<L> {
  return (
    existing<Counter<L>>(registry, config.name, Counter) ??
    new Counter<L>({ ...config, labelNames: config.labelNames ?? [], registers: [registry] })
  );
}

/** The gauge `name` on `registry`, created on first use. */
export function gaugeOn<L extends string>(registry: Registry, config: MetricConfig<L>): Gauge<L> {
  return (
    existing<Gauge<L>>(registry, config.name, Gauge) ??
    new Gauge<L>({ ...config, labelNames: config.labelNames ?? [], registers: [registry] })
  );
}

/** The histogram `name` on `registry`, created on first use. */
export function histogramOn<L extends string>(
  registry: Registry,
  config: MetricConfig<L> & { buckets?: readonly number[] },
): Histogram<L> {
  return (
    existing<Histogram<L>>(registry, config.name, Histogram) ??
    new Histogram<L>({
      ...config,
      labelNames: config.labelNames ?? [],
      buckets: [...(config.buckets ?? LATENCY_BUCKETS)],
      registers: [registry],
    })
  );
}

/** Seconds since `start`, a `performance.now()` reading: processing time, which virtual time does not see. */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1_000;
}
