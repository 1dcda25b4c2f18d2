/**
 * What metrics-server does for a cluster: every resolution period (15 s) it
 * reads each node's container stats through the CRI, turns cumulative CPU
 * time into millicores over the window since the last scrape and takes the
 * memory working set, and keeps the latest per-pod and per-node usage in
 * memory — for `kubectl top`-style reads and as the resource metrics of the
 * HorizontalPodAutoscaler. Nothing is written to the store or its log.
 */
import { Pod } from '@keelson/api';
import type { Clock, TimerHandle } from '@keelson/clock';
import { InvalidError, type Store } from '@keelson/core';
import { KubeletLabel, type RuntimeService } from '@keelson/cri';
import type { MetricsSource } from './metricsSource';
import type { PodMetric } from './replicaCalculator';

/** metrics-server's default `--metric-resolution`. */
export const DEFAULT_METRIC_RESOLUTION_MS = 15_000;

/** One container's usage: CPU in millicores, memory in bytes. */
export interface ContainerUsage {
  name: string;
  cpu: number;
  memory: number;
}

/** A pod's usage over the last window, as `PodMetrics` reports it. */
export interface PodUsage {
  namespace: string;
  name: string;
  node: string;
  /** When the window ended (ms). */
  timestamp: number;
  windowMs: number;
  containers: ContainerUsage[];
}

/** A node's usage (the sum of its containers), as `NodeMetrics` reports it. */
export interface NodeUsage {
  name: string;
  timestamp: number;
  windowMs: number;
  cpu: number;
  memory: number;
}

/** Options for {@link createMetricsServer}. */
export interface MetricsServerOptions {
  /** Where pods' labels are read, to answer selector queries. */
  store: Store;
  /** The runtime of each node, read at every scrape (nodes may come and go). */
  runtimes: () => Iterable<readonly [node: string, runtime: RuntimeService]>;
  /** Default: the store's clock. */
  clock?: Clock;
  /** How often to scrape (default 15 s). */
  resolutionMs?: number;
}

/** A running metrics server; it is also a {@link MetricsSource} for the autoscaler. */
export interface MetricsServer extends MetricsSource {
  /** Starts scraping every resolution period (the first scrape only records CPU counters). */
  start(): void;
  stop(): void;
  /** Scrapes every node now. */
  scrape(): Promise<void>;
  /** The latest usage of each pod (in a namespace), like `kubectl top pods`. */
  pods(namespace?: string): PodUsage[];
  /** The latest usage of each node, like `kubectl top nodes`. */
  nodes(): NodeUsage[];
  resourceMetrics: NonNullable<MetricsSource['resourceMetrics']>;
}

interface Counter {
  at: number;
  cpuNanos: bigint;
}

/** A metrics server over the nodes' runtimes. */
export function createMetricsServer(options: MetricsServerOptions): MetricsServer {
  if (options === null || typeof options !== 'object' || options.store === undefined) {
    throw new InvalidError('createMetricsServer: options.store is required');
  }
  if (typeof options.runtimes !== 'function') {
    throw new InvalidError('createMetricsServer: options.runtimes must be a function returning [node, runtime] pairs');
  }
  const resolution = options.resolutionMs ?? DEFAULT_METRIC_RESOLUTION_MS;
  if (!Number.isFinite(resolution) || resolution <= 0) {
    throw new InvalidError(`createMetricsServer: options.resolutionMs must be > 0, got ${String(resolution)}`);
  }
  const clock = options.clock ?? options.store.clock;
  const counters = new Map<string, Counter>();
  let podUsage = new Map<string, PodUsage>();
  let nodeUsage = new Map<string, NodeUsage>();
  let timer: TimerHandle | undefined;
  let running = false;

  async function scrapeNode(
    node: string,
    runtime: RuntimeService,
    now: number,
    pods: Map<string, PodUsage>,
    seen: Set<string>,
  ) {
    let stats: Awaited<ReturnType<RuntimeService['listContainerStats']>>;
    try {
      stats = await runtime.listContainerStats();
    } catch {
      return undefined; // an unreachable node has no metrics this round, as in metrics-server
    }
    let cpu = 0;
    let memory = 0;
    let window = 0;
    for (const stat of stats) {
      const labels = stat.attributes.labels;
      const podName = labels[KubeletLabel.PodName];
      const namespace = labels[KubeletLabel.PodNamespace];
      const cumulative = stat.cpu?.usageCoreNanoSeconds;
      if (podName === undefined || namespace === undefined || cumulative === undefined) continue;
      seen.add(stat.attributes.id);
      const previous = counters.get(stat.attributes.id);
      counters.set(stat.attributes.id, { at: now, cpuNanos: cumulative });
      if (previous === undefined || now <= previous.at || cumulative < previous.cpuNanos) continue;
      const windowMs = now - previous.at;
      // nanoseconds of CPU per millisecond of wall time → millicores: ns / (ms × 1000).
      const millicores = Number(cumulative - previous.cpuNanos) / (windowMs * 1000);
      const bytes = stat.memory?.workingSetBytes ?? 0;
      const key = `${namespace}/${podName}`;
      const usage = pods.get(key) ?? { namespace, name: podName, node, timestamp: now, windowMs, containers: [] };
      usage.containers.push({ name: stat.attributes.metadata.name, cpu: Math.round(millicores), memory: bytes });
      pods.set(key, usage);
      cpu += millicores;
      memory += bytes;
      window = windowMs;
    }
    return window === 0 ? undefined : { name: node, timestamp: now, windowMs: window, cpu: Math.round(cpu), memory };
  }

  async function scrape(): Promise<void> {
    const now = clock.now();
    const pods = new Map<string, PodUsage>();
    const nodes = new Map<string, NodeUsage>();
    const seen = new Set<string>();
    for (const [node, runtime] of options.runtimes()) {
      const usage = await scrapeNode(node, runtime, now, pods, seen);
      if (usage !== undefined) nodes.set(node, usage);
    }
    for (const id of counters.keys()) if (!seen.has(id)) counters.delete(id);
    podUsage = pods;
    nodeUsage = nodes;
  }

  const tick = () => {
    if (!running) return;
    scrape().finally(() => {
      if (running) timer = clock.setTimeout(tick, resolution, { background: true });
    });
  };

  const sorted = <T extends { name: string; namespace?: string }>(items: Iterable<T>) =>
    [...items].sort((a, b) => `${a.namespace ?? ''}/${a.name}`.localeCompare(`${b.namespace ?? ''}/${b.name}`));

  return {
    start() {
      if (running) return;
      running = true;
      tick();
    },
    stop() {
      running = false;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
    scrape,
    pods: (namespace) =>
      sorted([...podUsage.values()].filter((p) => namespace === undefined || p.namespace === namespace)),
    nodes: () => sorted(nodeUsage.values()),
    async resourceMetrics({ resource, namespace, selector, container }) {
      if (resource !== 'cpu' && resource !== 'memory') return new Map();
      const selected = (await options.store.list(Pod, { namespace, labelSelector: selector.toString() })).items;
      const metrics = new Map<string, PodMetric>();
      for (const pod of selected) {
        const usage = podUsage.get(`${namespace}/${pod.metadata.name}`);
        if (usage === undefined) continue;
        const containers = usage.containers.filter((c) => container === undefined || c.name === container);
        if (containers.length === 0) continue;
        // Milli-units: millicores of CPU, milli-bytes of memory.
        const value = containers.reduce((sum, c) => sum + (resource === 'cpu' ? c.cpu : c.memory * 1000), 0);
        metrics.set(pod.metadata.name, { value, timestamp: usage.timestamp, windowMs: usage.windowMs });
      }
      return metrics;
    },
  };
}
