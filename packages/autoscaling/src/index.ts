export type { Decision, ScalingHistory, ScalingRules } from './behavior';
export {
  DEFAULT_DOWNSCALE_STABILIZATION_MS,
  emptyHistory,
  limit,
  limitWithBehavior,
  recordScaleEvent,
  SCALE_UP_LIMIT_FACTOR,
  SCALE_UP_LIMIT_MINIMUM,
  scaleDownLimit,
  scaleUpLimit,
  stabilize,
  stabilizeWithBehavior,
} from './behavior';
export type { HpaControllerOptions } from './hpaController';
export {
  DEFAULT_HPA_SYNC_PERIOD_MS,
  HPA_CONTROLLER_NAME,
  horizontalPodAutoscalerController,
} from './hpaController';
export type { HpaAction, HpaErrorLabel } from './hpaMetrics';
export { HPA_DURATION_BUCKETS } from './hpaMetrics';
export type { ContainerUsage, MetricsServer, MetricsServerOptions, NodeUsage, PodUsage } from './metricsServer';
export { createMetricsServer, DEFAULT_METRIC_RESOLUTION_MS } from './metricsServer';
export type { MetricsSource } from './metricsSource';
export type { MetricFailure, Proposal, ProposalContext } from './proposals';
export { failureReason, milli, proposalFor, quantityOf } from './proposals';
export type { CalculatorOptions, PodGroups, PodMetric, PodMetrics, ResourceReplicas } from './replicaCalculator';
export {
  DEFAULT_CPU_INITIALIZATION_PERIOD_MS,
  DEFAULT_INITIAL_READINESS_DELAY_MS,
  DEFAULT_TOLERANCE,
  groupPods,
  metricUsageRatio,
  objectMetricReplicas,
  objectPerPodMetricReplicas,
  plainMetricReplicas,
  podRequests,
  ReplicaCalculationError,
  readyPodCount,
  resourceReplicas,
  resourceUtilizationRatio,
} from './replicaCalculator';
