/**
 * The HPA controller's Prometheus metrics, with kube-controller-manager's names
 * (`horizontal_pod_autoscaler_controller_*`) and the `keelson_` prefix; none without a registry.
 * Durations are measured on the controller's clock.
 */
import { counterOn, histogramOn, type MetricsRegistry } from '@keelson/core';
import type { Counter, Histogram } from 'prom-client';

/** What a reconcile (or one metric's computation) would do to the target: the `action` label. */
export type HpaAction = 'scale_up' | 'scale_down' | 'none';

/** Where it went wrong: `spec` for a bad HPA spec, `internal` for anything else, `none` when it did not. */
export type HpaErrorLabel = 'spec' | 'internal' | 'none';

/** Kubernetes' buckets for both HPA duration histograms: exponential from 1 ms, factor 2, 15 buckets. */
export const HPA_DURATION_BUCKETS: readonly number[] = Array.from({ length: 15 }, (_, i) => 0.001 * 2 ** i);

const SUBSYSTEM = 'keelson_horizontal_pod_autoscaler_controller';

/** The `action` for a change from `current` to `desired` replicas. */
export function hpaAction(current: number, desired: number): HpaAction {
  return desired > current ? 'scale_up' : desired < current ? 'scale_down' : 'none';
}

/** The HPA controller's metrics; every method is a no-op without a registry. */
export class HpaMetrics {
  private readonly reconciliations?: Counter<'action' | 'error'>;
  private readonly reconciliationDuration?: Histogram<'action' | 'error'>;
  private readonly computations?: Counter<'action' | 'error' | 'metric_type'>;
  private readonly computationDuration?: Histogram<'action' | 'error' | 'metric_type'>;

  constructor(registry: MetricsRegistry | undefined) {
    if (registry === undefined) return;
    this.reconciliations = counterOn(registry, {
      name: `${SUBSYSTEM}_reconciliations_total`,
      help: 'Number of reconciliations of HPA controller. The label "action" should be either "scale_down", "scale_up", or "none". Also, the label "error" should be either "spec", "internal", or "none". Note that if both spec and internal errors happen during a reconciliation, the first one to occur is reported in "error" label.',
      labelNames: ['action', 'error'],
    });
    this.reconciliationDuration = histogramOn(registry, {
      name: `${SUBSYSTEM}_reconciliation_duration_seconds`,
      help: 'The time(seconds) that the HPA controller takes to reconcile once. The label "action" should be either "scale_down", "scale_up", or "none". Also, the label "error" should be either "spec", "internal", or "none". Note that if both spec and internal errors happen during a reconciliation, the first one to occur is reported in "error" label.',
      labelNames: ['action', 'error'],
      buckets: HPA_DURATION_BUCKETS,
    });
    this.computations = counterOn(registry, {
      name: `${SUBSYSTEM}_metric_computation_total`,
      help: 'Number of metric computations. The label "action" should be either "scale_down", "scale_up", or "none". Also, the label "error" should be either "spec", "internal", or "none". The label "metric_type" corresponds to HPA.spec.metrics[*].type',
      labelNames: ['action', 'error', 'metric_type'],
    });
    this.computationDuration = histogramOn(registry, {
      name: `${SUBSYSTEM}_metric_computation_duration_seconds`,
      help: 'The time(seconds) that the HPA controller takes to calculate one metric. The label "action" should be either "scale_down", "scale_up", or "none". The label "error" should be either "spec", "internal", or "none". The label "metric_type" corresponds to HPA.spec.metrics[*].type',
      labelNames: ['action', 'error', 'metric_type'],
      buckets: HPA_DURATION_BUCKETS,
    });
  }

  /** One reconcile ended with `action` and `error`, taking `seconds`. */
  reconciled(action: HpaAction, error: HpaErrorLabel, seconds: number): void {
    this.reconciliations?.inc({ action, error });
    this.reconciliationDuration?.observe({ action, error }, seconds);
  }

  /** One metric of type `metricType` was computed (or failed), taking `seconds`. */
  computed(action: HpaAction, error: HpaErrorLabel, metricType: string, seconds: number): void {
    const labels = { action, error, metric_type: metricType };
    this.computations?.inc(labels);
    this.computationDuration?.observe(labels, seconds);
  }
}
