/**
 * Kubernetes' replica calculation (podautoscaler/replica_calculator.go) as
 * pure functions: how many replicas a metric asks for, given the pods, their
 * readiness and the samples of the metric — with the tolerance, the CPU
 * initialization period, and the rules for pods that are not ready or have
 * no sample, which make a scale-up less eager and a scale-down more careful.
 */
import { getCondition, type Pod, parseQuantity } from '@keelson/api';
import { KeelsonError } from '@keelson/core';

/** A metric sample of one pod, in milli-units (millicores, milli-bytes, milli-requests/s). */
export interface PodMetric {
  value: number;
  /** When the sample was taken (ms). */
  timestamp: number;
  /** The window it was measured over (ms). */
  windowMs: number;
}

/** Samples by pod name. */
export type PodMetrics = ReadonlyMap<string, PodMetric>;

/** The calculator's settings, with Kubernetes' defaults. */
export interface CalculatorOptions {
  /** The time of the calculation (ms). */
  now: number;
  /** Changes within this fraction of the target do nothing (default 0.1). */
  tolerance?: number;
  /** `--horizontal-pod-autoscaler-cpu-initialization-period` (default 5 min). */
  cpuInitializationPeriodMs?: number;
  /** `--horizontal-pod-autoscaler-initial-readiness-delay` (default 30 s). */
  delayOfInitialReadinessStatusMs?: number;
}

/** Kubernetes' defaults. */
export const DEFAULT_TOLERANCE = 0.1;
export const DEFAULT_CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
export const DEFAULT_INITIAL_READINESS_DELAY_MS = 30_000;

/** Why no replica count could be computed (no pods, no samples, a container without a request). */
export class ReplicaCalculationError extends KeelsonError {
  constructor(message: string) {
    super('ReplicaCalculation', 500, message);
  }
}

/** How `groupPods` sorts the pods of a target. */
export interface PodGroups {
  readyPodCount: number;
  /** Pending, or (for CPU) not ready or too fresh for a trustworthy sample. */
  unready: Set<string>;
  /** Without a sample. */
  missing: Set<string>;
  /** Being deleted, or failed. */
  ignored: Set<string>;
}

const parseTime = (text: string | undefined) => (text === undefined ? undefined : Date.parse(text));

/**
 * Kubernetes' `groupPods`. For CPU, a pod within its initialization period
 * counts only when ready and sampled a whole window after turning ready; an
 * older pod is left out only when it is not ready and has never been ready
 * since shortly after it started.
 */
export function groupPods(
  pods: readonly Pod[],
  metrics: PodMetrics,
  resource: string | undefined,
  options: CalculatorOptions,
): PodGroups {
  const groups: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  const init = options.cpuInitializationPeriodMs ?? DEFAULT_CPU_INITIALIZATION_PERIOD_MS;
  const delay = options.delayOfInitialReadinessStatusMs ?? DEFAULT_INITIAL_READINESS_DELAY_MS;
  for (const pod of pods) {
    const name = pod.metadata.name;
    if (pod.metadata.deletionTimestamp !== undefined || pod.status?.phase === 'Failed') {
      groups.ignored.add(name);
      continue;
    }
    if ((pod.status?.phase ?? 'Pending') === 'Pending') {
      groups.unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (metric === undefined) {
      groups.missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const condition = getCondition(pod.status?.conditions, 'Ready');
      const start = parseTime(pod.status?.startTime);
      let unready: boolean;
      if (condition === undefined || start === undefined) unready = true;
      else {
        const transition = parseTime(condition.lastTransitionTime) ?? start;
        if (start + init > options.now) {
          unready = condition.status === 'False' || metric.timestamp < transition + metric.windowMs;
        } else {
          unready = condition.status === 'False' && start + delay > transition;
        }
      }
      if (unready) {
        groups.unready.add(name);
        continue;
      }
    }
    groups.readyPodCount++;
  }
  return groups;
}

/** Each pod's request of `resource` (milli), summed over its containers (or the one named). */
export function podRequests(pods: readonly Pod[], resource: string, container?: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    for (const c of pod.spec.containers) {
      if (container !== undefined && c.name !== container) continue;
      const request = c.resources?.requests?.[resource];
      if (request === undefined) {
        throw new ReplicaCalculationError(
          `missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`,
        );
      }
      sum += Number(parseQuantity(String(request)).milliValue());
    }
    requests.set(pod.metadata.name, sum);
  }
  return requests;
}

/** Kubernetes' `GetResourceUtilizationRatio`, in its integer arithmetic. */
export function resourceUtilizationRatio(
  metrics: PodMetrics,
  requests: ReadonlyMap<string, number>,
  targetUtilization: number,
): { ratio: number; utilization: number; rawAverageValue: number } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [name, metric] of metrics) {
    const request = requests.get(name);
    if (request === undefined) continue;
    metricsTotal += metric.value;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0) throw new ReplicaCalculationError('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / targetUtilization, utilization, rawAverageValue: Math.trunc(metricsTotal / entries) };
}

/** Kubernetes' `GetMetricUsageRatio`: the average sample against the target. */
export function metricUsageRatio(metrics: PodMetrics, target: number): { ratio: number; usage: number } {
  let total = 0;
  for (const metric of metrics.values()) total += metric.value;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / target, usage };
}

function basics(pods: readonly Pod[], metrics: PodMetrics, resource: string | undefined, options: CalculatorOptions) {
  if (pods.length === 0)
    throw new ReplicaCalculationError('no pods returned by selector while calculating replica count');
  const groups = groupPods(pods, metrics, resource, options);
  const kept = new Map(metrics);
  for (const name of [...groups.ignored, ...groups.unready]) kept.delete(name);
  if (kept.size === 0) {
    throw new ReplicaCalculationError('did not receive metrics for targeted pods (pods might be unready)');
  }
  return { groups, kept };
}

/**
 * The replica count once unready and missing pods are accounted for: on a
 * scale-up they count as using nothing, on a scale-down missing ones as
 * using `fallback(pod)`; a result that flips direction or lands within the
 * tolerance keeps the current count.
 */
function adjusted(
  current: number,
  ratio: number,
  groups: PodGroups,
  kept: Map<string, PodMetric>,
  fallback: (pod: string) => number,
  recompute: (metrics: PodMetrics) => number,
  tolerance: number,
): number {
  const scaleUpWithUnready = groups.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    return Math.abs(1 - ratio) <= tolerance ? current : Math.ceil(ratio * groups.readyPodCount);
  }
  const sample = (value: number): PodMetric => ({ value, timestamp: 0, windowMs: 0 });
  if (ratio < 1) for (const pod of groups.missing) kept.set(pod, sample(fallback(pod)));
  else if (ratio > 1) for (const pod of groups.missing) kept.set(pod, sample(0));
  if (scaleUpWithUnready) for (const pod of groups.unready) kept.set(pod, sample(0));
  const next = recompute(kept);
  if (Math.abs(1 - next) <= tolerance || (ratio < 1 && next > 1) || (ratio > 1 && next < 1)) return current;
  const replicas = Math.ceil(next * kept.size);
  if ((next < 1 && replicas > current) || (next > 1 && replicas < current)) return current;
  return replicas;
}

/** What a Resource metric with a Utilization target asks for. */
export interface ResourceReplicas {
  replicas: number;
  /** The pods' usage as a percentage of their requests (before adjusting for unready and missing pods). */
  utilization: number;
  /** The average sample (milli). */
  rawAverageValue: number;
}

/** Kubernetes' `GetResourceReplicas`: a Resource metric against a target utilization of the requests. */
export function resourceReplicas(
  input: {
    currentReplicas: number;
    targetUtilization: number;
    resource: string;
    pods: readonly Pod[];
    metrics: PodMetrics;
    container?: string;
  },
  options: CalculatorOptions,
): ResourceReplicas {
  const { groups, kept } = basics(input.pods, input.metrics, input.resource, options);
  const requests = podRequests(input.pods, input.resource, input.container);
  const first = resourceUtilizationRatio(kept, requests, input.targetUtilization);
  const fallbackUtilization = Math.max(100, input.targetUtilization);
  const replicas = adjusted(
    input.currentReplicas,
    first.ratio,
    groups,
    kept,
    (pod) => Math.trunc(((requests.get(pod) ?? 0) * fallbackUtilization) / 100),
    (metrics) => resourceUtilizationRatio(metrics, requests, input.targetUtilization).ratio,
    options.tolerance ?? DEFAULT_TOLERANCE,
  );
  return { replicas, utilization: first.utilization, rawAverageValue: first.rawAverageValue };
}

/**
 * Kubernetes' `calcPlainMetricReplicas`: a Pods metric, or a Resource metric
 * with an AverageValue target — the average sample against a target value.
 */
export function plainMetricReplicas(
  input: {
    currentReplicas: number;
    targetAverageValue: number;
    resource?: string;
    pods: readonly Pod[];
    metrics: PodMetrics;
  },
  options: CalculatorOptions,
): { replicas: number; usage: number } {
  const { groups, kept } = basics(input.pods, input.metrics, input.resource, options);
  const first = metricUsageRatio(kept, input.targetAverageValue);
  const replicas = adjusted(
    input.currentReplicas,
    first.ratio,
    groups,
    kept,
    () => input.targetAverageValue,
    (metrics) => metricUsageRatio(metrics, input.targetAverageValue).ratio,
    options.tolerance ?? DEFAULT_TOLERANCE,
  );
  return { replicas, usage: first.usage };
}

/** The pods that are Running and Ready. */
export function readyPodCount(pods: readonly Pod[]): number {
  return pods.filter(
    (p) => p.status?.phase === 'Running' && getCondition(p.status?.conditions, 'Ready')?.status === 'True',
  ).length;
}

/**
 * Kubernetes' `GetObjectMetricReplicas` (Object or External metric, Value
 * target): the value against the target, times the ready pods; from 0
 * replicas, the ratio itself (scale from zero).
 */
export function objectMetricReplicas(
  input: { currentReplicas: number; targetValue: number; value: number; pods: readonly Pod[] },
  options: Pick<CalculatorOptions, 'tolerance'>,
): number {
  const ratio = input.value / input.targetValue;
  if (input.currentReplicas === 0) return Math.ceil(ratio);
  if (Math.abs(1 - ratio) <= (options.tolerance ?? DEFAULT_TOLERANCE)) return input.currentReplicas;
  if (input.pods.length === 0)
    throw new ReplicaCalculationError('no pods returned by selector while calculating replica count');
  return Math.ceil(ratio * readyPodCount(input.pods));
}

/**
 * Kubernetes' `GetObjectPerPodMetricReplicas` (Object or External metric,
 * AverageValue target): the value shared over the current replicas.
 */
export function objectPerPodMetricReplicas(
  input: { currentReplicas: number; targetAverageValue: number; value: number },
  options: Pick<CalculatorOptions, 'tolerance'>,
): { replicas: number; usage: number } {
  let replicas = input.currentReplicas;
  const ratio = input.value / (input.targetAverageValue * replicas);
  if (Math.abs(1 - ratio) > (options.tolerance ?? DEFAULT_TOLERANCE)) {
    replicas = Math.ceil(input.value / input.targetAverageValue);
  }
  return { replicas, usage: Math.ceil(input.value / input.currentReplicas) };
}
