/**
 * A load on a Service: its requests per second spread evenly over the ready
 * endpoints the load balancer sees (round-robin gives each an equal share),
 * each share served by the pod's container on its node's mock runtime,
 * where it costs CPU — so the metrics server, `PodMetrics` and the
 * autoscaler see it, and scaling out lowers each pod's usage.
 */
import { Pod, Service } from '@keelson/api';
import type { Clock, TimerHandle } from '@keelson/clock';
import { InvalidError, NotFoundError, type Store } from '@keelson/core';
import type { MockRuntime } from '@keelson/runtime-mock';
import { createLoadBalancer } from '@keelson/workloads';
import { checkRate, type LoadProfile } from './loadProfile';

/** Options of `cluster.load`. */
export interface ServiceLoadOptions {
  /** CPU each request per second costs a pod, in millicores (e.g. 5: 40 req/s use 200m). */
  costPerRequestMillicores: number;
  /** CPU a pod uses while it serves, whatever the rate, in millicores (default 0), on top of its image's own. */
  baseMillicores?: number;
  /** The Service's namespace (default `default`). */
  namespace?: string;
  /** The container serving the requests (default: each pod's first container). */
  container?: string;
}

/** A load applied to a Service. */
export interface ServiceLoad {
  /** The Service's requests per second now. */
  rate(): number;
  /** Each ready endpoint's share now, by pod. */
  shares(): { pod: string; node: string | undefined; requestsPerSecond: number }[];
  /** Ends the load: the pods serve nothing from now on. */
  stop(): void;
}

/** What a load needs from the cluster. */
export interface LoadHost {
  store: Store;
  clock: Clock;
  runtimeOf(node: string): MockRuntime | undefined;
}

/** How often the load follows the rotation, as kube-proxy's minimum sync period (1 s). */
const SYNC_MS = 1_000;

interface Served {
  pod: string;
  node: string | undefined;
  container: string;
}

function checkOptions(options: ServiceLoadOptions) {
  if (options === null || typeof options !== 'object') {
    throw new InvalidError('cluster.load: options must be an object such as { costPerRequestMillicores: 5 }');
  }
  const cost = options.costPerRequestMillicores;
  if (typeof cost !== 'number' || !Number.isFinite(cost) || cost < 0) {
    throw new InvalidError(
      `cluster.load: costPerRequestMillicores must be a number of millicores >= 0, got ${JSON.stringify(cost)}`,
    );
  }
  const base = options.baseMillicores ?? 0;
  if (typeof base !== 'number' || !Number.isFinite(base) || base < 0) {
    throw new InvalidError(
      `cluster.load: baseMillicores must be a number of millicores >= 0, got ${JSON.stringify(base)}`,
    );
  }
  if (options.container !== undefined && (typeof options.container !== 'string' || options.container === '')) {
    throw new InvalidError('cluster.load: container must be a container name');
  }
  return { cost, base, namespace: options.namespace ?? 'default' };
}

function checkProfile(profile: LoadProfile | number): LoadProfile {
  if (typeof profile === 'number') {
    const rate = checkRate(profile, 'cluster.load: profile');
    return () => rate;
  }
  if (typeof profile !== 'function') {
    throw new InvalidError(
      'cluster.load: profile must be requests per second or a LoadProfile such as stepLoad([...])',
    );
  }
  checkRate(profile(0), 'cluster.load: profile(0)');
  return profile;
}

/** Applies `profile` to a Service; checks everything before anything changes. */
export async function applyServiceLoad(
  host: LoadHost,
  service: string,
  profileInput: LoadProfile | number,
  options: ServiceLoadOptions,
): Promise<ServiceLoad> {
  if (typeof service !== 'string' || service === '')
    throw new InvalidError('cluster.load: service must be a Service name');
  const profile = checkProfile(profileInput);
  const { cost, base, namespace } = checkOptions(options);
  try {
    await host.store.get(Service, service, { namespace });
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new InvalidError(`cluster.load: service "${service}" does not exist in namespace "${namespace}"`);
    }
    throw error;
  }
  const { store, clock } = host;
  const source = `${namespace}/${service}`;
  const start = clock.now();
  const rate = () => Math.max(0, profile(clock.now() - start) || 0);
  const lb = createLoadBalancer(store, { namespace, service });
  await lb.synced();
  let served: Served[] = [];
  let timer: TimerHandle | undefined;
  let stopped = false;

  const setLoad = (s: Served, endpoints: number | undefined) =>
    host.runtimeOf(s.node ?? '')?.setServedLoad(
      { namespace, pod: s.pod, container: s.container, source },
      endpoints === undefined
        ? undefined
        : {
            requestsPerSecond: (now) => Math.max(0, profile(now - start) || 0) / endpoints,
            nanoCoresPerRequest: cost * 1e6,
            baseNanoCores: base * 1e6,
          },
    );

  async function containerOf(pod: string): Promise<string | undefined> {
    if (options.container !== undefined) return options.container;
    const found = await store.get(Pod, pod, { namespace }).catch(() => undefined);
    return found?.spec.containers[0]?.name;
  }

  async function sync(): Promise<void> {
    const rotation = lb.endpoints().filter((e) => e.pod !== undefined);
    const key = (list: readonly { pod?: string | undefined; node?: string | undefined }[]) =>
      list.map((e) => `${e.pod}@${e.node}`).join();
    if (key(rotation) === key(served)) return;
    for (const s of served) setLoad(s, undefined);
    const next: Served[] = [];
    for (const endpoint of rotation) {
      const container = await containerOf(endpoint.pod as string);
      if (container !== undefined) next.push({ pod: endpoint.pod as string, node: endpoint.node, container });
    }
    if (stopped) return;
    served = next;
    for (const s of served) setLoad(s, served.length);
  }

  const next = () => {
    if (!stopped) timer = clock.setTimeout(tick, SYNC_MS, { background: true });
  };
  const tick = () => {
    if (!stopped) void sync().finally(next);
  };
  await sync();
  next();

  return {
    rate,
    shares: () =>
      served.map((s) => ({
        pod: s.pod,
        node: s.node,
        requestsPerSecond: served.length === 0 ? 0 : rate() / served.length,
      })),
    stop() {
      if (stopped) return;
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      for (const s of served) setLoad(s, undefined);
      served = [];
      lb.close();
    },
  };
}
