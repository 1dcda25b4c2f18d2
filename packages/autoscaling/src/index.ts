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
