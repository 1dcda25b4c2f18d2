/**
 * The node agent's Prometheus metrics, with the kubelet's names and the `keelson_` prefix, on
 * the registry the application passes (`metricsRegistry`); none without one. Durations are
 * measured on the agent's clock, so a run on virtual time reports virtual seconds.
 */
import type { Pod } from '@keelson/api';
import { counterOn, gaugeOn, histogramOn, type MetricsRegistry } from '@keelson/core';
import type { ProbeRun } from '@keelson/health';
import type { Counter, Gauge, Histogram } from 'prom-client';

/** The kubelet's pod startup buckets (seconds), shared by the three pod start histograms. */
export const POD_STARTUP_BUCKETS: readonly number[] = [
  0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200, 1800, 2700, 3600,
];

/** Prometheus' default buckets, which the kubelet's pod worker and probe histograms use. */
const DEFAULT_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The `operation_type` of `keelson_kubelet_pod_worker_duration_seconds`, as the kubelet's sync types. */
export type PodSyncOperation = 'create' | 'update' | 'sync' | 'kill';

/** The `container_state` of `keelson_kubelet_running_containers`. */
export type ContainerStateLabel = 'created' | 'running' | 'exited' | 'unknown';

/** What one pod contributes to the running gauges. */
export interface RunningContribution {
  pods: number;
  containers: Partial<Record<ContainerStateLabel, number>>;
}

/** The kubelet's `container_state` label of a CRI container state. */
export function containerStateLabel(state: string): ContainerStateLabel {
  const label = state.replace(/^CONTAINER_/, '').toLowerCase();
  return label === 'created' || label === 'running' || label === 'exited' ? label : 'unknown';
}

const PROBE_TYPE = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' } as const;
const PROBE_RESULT = { Success: 'successful', Failure: 'failed', Unknown: 'unknown' } as const;

/** The agent's metrics; every method is a no-op when no registry was given. */
export class NodeAgentMetrics {
  private readonly podWorker?: Histogram<'operation_type'>;
  private readonly podStart?: Histogram;
  private readonly podStartSli?: Histogram;
  private readonly podStartTotal?: Histogram;
  private readonly probes?: Counter<'probe_type' | 'result' | 'container' | 'pod' | 'namespace' | 'pod_uid'>;
  private readonly probeDuration?: Histogram<'probe_type' | 'container' | 'pod' | 'namespace'>;
  private readonly runningPods?: Gauge;
  private readonly runningContainers?: Gauge<'container_state'>;

  constructor(registry: MetricsRegistry | undefined) {
    if (registry === undefined) return;
    this.podWorker = histogramOn(registry, {
      name: 'keelson_kubelet_pod_worker_duration_seconds',
      help: 'Duration in seconds to sync a single pod. Broken down by operation type: create, update, sync or kill.',
      labelNames: ['operation_type'],
      buckets: DEFAULT_BUCKETS,
    });
    this.podStart = histogramOn(registry, {
      name: 'keelson_kubelet_pod_start_duration_seconds',
      help: 'Duration in seconds from the node agent seeing a pod for the first time to the pod starting to run.',
      buckets: POD_STARTUP_BUCKETS,
    });
    this.podStartSli = histogramOn(registry, {
      name: 'keelson_kubelet_pod_start_sli_duration_seconds',
      help: 'Duration in seconds to start a pod, excluding time to pull images, measured from pod creation timestamp to when all its containers are reported as started and observed via watch.',
      buckets: POD_STARTUP_BUCKETS,
    });
    this.podStartTotal = histogramOn(registry, {
      name: 'keelson_kubelet_pod_start_total_duration_seconds',
      help: 'Duration in seconds to start a pod since creation, including time to pull images, measured from pod creation timestamp to when all its containers are reported as started and observed via watch.',
      buckets: POD_STARTUP_BUCKETS,
    });
    this.probes = counterOn(registry, {
      name: 'keelson_prober_probe_total',
      help: 'Cumulative number of a liveness, readiness or startup probe for a container by result.',
      labelNames: ['probe_type', 'result', 'container', 'pod', 'namespace', 'pod_uid'],
    });
    this.probeDuration = histogramOn(registry, {
      name: 'keelson_prober_probe_duration_seconds',
      help: 'Duration in seconds for a probe response.',
      labelNames: ['probe_type', 'container', 'pod', 'namespace'],
      buckets: DEFAULT_BUCKETS,
    });
    this.runningPods = gaugeOn(registry, {
      name: 'keelson_kubelet_running_pods',
      help: 'Number of pods that have a running pod sandbox.',
    });
    this.runningContainers = gaugeOn(registry, {
      name: 'keelson_kubelet_running_containers',
      help: 'Number of containers currently running, by container state.',
      labelNames: ['container_state'],
    });
  }

  /** One pod sync of `operation` took `seconds`. */
  podSynced(operation: PodSyncOperation, seconds: number): void {
    this.podWorker?.observe({ operation_type: operation }, seconds);
  }

  /** The pod started: the SLI (image pulls excluded), the total since creation, and since first seen. */
  podStarted(durations: { sli: number; total: number; sinceSeen: number | undefined }): void {
    this.podStartSli?.observe(durations.sli);
    this.podStartTotal?.observe(durations.total);
    if (durations.sinceSeen !== undefined) this.podStart?.observe(durations.sinceSeen);
  }

  /** One probe run of `container` in `pod`. */
  probed(pod: Pod, container: string, run: ProbeRun): void {
    const probe_type = PROBE_TYPE[run.kind];
    const { name: podName, namespace = 'default', uid = '' } = pod.metadata;
    this.probes?.inc({
      probe_type,
      result: PROBE_RESULT[run.observed],
      container,
      pod: podName,
      namespace,
      pod_uid: uid,
    });
    this.probeDuration?.observe({ probe_type, container, pod: podName, namespace }, run.durationMs / 1_000);
  }

  /** Replaces what one pod contributed to the running gauges (`before`) with `after`. */
  running(before: RunningContribution, after: RunningContribution): void {
    if (this.runningPods === undefined || this.runningContainers === undefined) return;
    if (after.pods !== before.pods) this.runningPods.inc(after.pods - before.pods);
    for (const state of ['created', 'running', 'exited', 'unknown'] as const) {
      const delta = (after.containers[state] ?? 0) - (before.containers[state] ?? 0);
      if (delta !== 0) this.runningContainers.inc({ container_state: state }, delta);
    }
  }
}
