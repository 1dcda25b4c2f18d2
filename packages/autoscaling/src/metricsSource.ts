/**
 * Where an autoscaler reads its metrics: the role of metrics-server and of
 * the custom and external metrics APIs. Values are milli-units (millicores
 * of CPU, milli-bytes of memory, milli-requests per second).
 */
import type { LabelSelector } from '@keelson/core';
import type { PodMetrics } from './replicaCalculator';

/** A metrics source for {@link horizontalPodAutoscalerController}; each kind of metric is optional. */
export interface MetricsSource {
  /** Per-pod usage of a resource (`cpu`, `memory`) for the pods `selector` picks, summed over containers (or the one named). */
  resourceMetrics?(query: {
    resource: string;
    namespace: string;
    selector: LabelSelector;
    container?: string;
  }): Promise<PodMetrics>;
  /** A per-pod custom metric (`Pods` metrics). */
  podMetrics?(query: {
    metric: string;
    namespace: string;
    selector: LabelSelector;
    metricSelector?: LabelSelector;
  }): Promise<PodMetrics>;
  /** A metric of one object (`Object` metrics). */
  objectMetric?(query: {
    metric: string;
    namespace: string;
    object: { apiVersion?: string; kind: string; name: string };
    metricSelector?: LabelSelector;
  }): Promise<{ value: number; timestamp: number }>;
  /** The values of a metric from outside the cluster (`External` metrics), summed by the autoscaler. */
  externalMetric?(query: {
    metric: string;
    namespace: string;
    metricSelector?: LabelSelector;
  }): Promise<{ values: number[]; timestamp: number }>;
}
