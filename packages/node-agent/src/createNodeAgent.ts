import { Pod, parseQuantity, type Taint } from '@keelson/api';
import type { Clock, TimerHandle } from '@keelson/clock';
import { createInformer, type EventRecorder, type Informer } from '@keelson/controller';
import { componentLogger, InvalidError, type Logger, type MetricsRegistry, type Store } from '@keelson/core';
import type { CsiNodeDriver, ImageService, NodeFilesystem, RuntimeService } from '@keelson/cri';
import { createProber, type ProbeNetwork, probeNetworkOf, type SimulatedProbes } from '@keelson/health';
import { admitPod } from './admission';
import { Backoff } from './backoff';
import { NODE_LEASE_RENEW_INTERVAL_MS, renewNodeLease } from './lease';
import { NodeAgentMetrics } from './metrics';
import {
  computeNodeStatus,
  NODE_STATUS_REPORT_MS,
  NODE_STATUS_UPDATE_MS,
  type NodeIdentity,
  nodeStatusChanged,
  registerNode,
  writeNodeStatus,
} from './node';
import { PodStartupTracker } from './podStartup';
import { PodWorker, type PodWorkerContext } from './podWorker';
import { followContainerEvents, startRelist } from './runtimeEvents';
import type { VolumeHost } from './volumes/plugins';

/** Options of {@link createNodeAgent}. */
export interface NodeAgentOptions {
  /** The API server. Its clock is used unless `clock` is given. */
  store: Store;
  /** The container runtime (CRI `RuntimeService`). */
  runtime: RuntimeService;
  /** The image service (CRI `ImageService`); often the same object as `runtime`. */
  images: ImageService;
  /** The node's name: a DNS-1123 subdomain. */
  nodeName: string;
  /** Every timer goes through it (default: the store's clock). */
  clock?: Clock;
  /** What the node has, e.g. `{ cpu: '4', memory: '8Gi', pods: '110' }`; allocatable equals it. */
  capacity: Readonly<Record<string, string>>;
  /** Extra node labels (`kubernetes.io/hostname` is always set). */
  labels?: Readonly<Record<string, string>>;
  /** The node's taints. */
  taints?: readonly Taint[];
  /** Records pod events (Pulled, Started, Killing, …) when given. */
  recorder?: EventRecorder;
  /** The node's InternalIP, the pods' `hostIP` (default `10.0.0.1`). */
  hostIP?: string;
  /**
   * The node's filesystem, where pod volumes are set up under
   * `/var/lib/kubelet/pods/<uid>/volumes` (default: the runtime's
   * `hostFilesystem` when it has one, as the mock runtime does). Without
   * one, volumes are not set up and containers get no mounts.
   */
  filesystem?: NodeFilesystem;
  /** CSI node drivers for PersistentVolumes with a `csi` source, by their `name`. */
  csiDrivers?: readonly CsiNodeDriver[];
  /** Unexpected errors of background work (default: logged at error level). */
  onError?: (error: unknown) => void;
  /**
   * Registers the kubelet's metrics (`keelson_kubelet_*`, `keelson_prober_*`) here; none without
   * it. Several agents may share one registry: their series add up.
   */
  metricsRegistry?: MetricsRegistry;
  /** A pino-compatible logger (bindings `component: 'node-agent'`, `node`); silent by default. */
  logger?: Logger;
}

/** A running node agent. */
export interface NodeAgent {
  /** Registers the node, starts heartbeats and starts running the pods bound to it. */
  start(): Promise<void>;
  /** Stops every timer, watch and probe; leaves containers as they are, like a stopped kubelet. */
  stop(): Promise<void>;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function validate(options: NodeAgentOptions): void {
  const fail = (message: string): never => {
    throw new InvalidError(`createNodeAgent: ${message}`);
  };
  if (options === null || typeof options !== 'object') fail('options must be an object');
  if (options.store === undefined) fail('store is required');
  if (options.runtime === undefined) fail('runtime is required');
  if (options.images === undefined) fail('images is required');
  if (typeof options.nodeName !== 'string' || options.nodeName.length > 253 || !NAME.test(options.nodeName)) {
    fail(`nodeName must be a DNS-1123 subdomain, got ${JSON.stringify(options.nodeName)}`);
  }
  if (options.capacity === null || typeof options.capacity !== 'object') fail('capacity must be a resource list');
  for (const [name, value] of Object.entries(options.capacity)) {
    let valid = typeof value === 'string' && value !== '';
    try {
      if (valid) parseQuantity(value);
    } catch {
      valid = false;
    }
    if (!valid) fail(`capacity.${name} must be a quantity such as '4' or '8Gi', got ${JSON.stringify(value)}`);
  }
  if (options.csiDrivers !== undefined && !Array.isArray(options.csiDrivers))
    fail('csiDrivers must be a list of CSI node drivers');
  const names = new Set<string>();
  for (const [i, driver] of (options.csiDrivers ?? []).entries()) {
    if (driver === null || typeof driver !== 'object' || typeof driver.name !== 'string' || driver.name === '') {
      fail(`csiDrivers[${i}] must be a CSI node driver with a name`);
    }
    if (typeof driver.nodePublishVolume !== 'function' || typeof driver.nodeUnpublishVolume !== 'function') {
      fail(`csiDrivers[${i}] (${driver.name}) must have nodePublishVolume and nodeUnpublishVolume`);
    }
    if (names.has(driver.name)) fail(`csiDrivers[${i}]: driver "${driver.name}" is given twice`);
    names.add(driver.name);
  }
}

/** The filesystem volumes go to: the option, else the runtime's own (the mock runtime's host filesystem). */
function filesystemOf(options: NodeAgentOptions): NodeFilesystem | undefined {
  if (options.filesystem !== undefined) return options.filesystem;
  const own = (options.runtime as { hostFilesystem?: NodeFilesystem }).hostFilesystem;
  return own !== undefined && typeof own.mkdir === 'function' ? own : undefined;
}

/**
 * Keelson's kubelet: registers `nodeName` as a Node, renews its Lease every
 * 10 s, keeps its status, and runs every pod bound to it through CRI —
 * sandbox, pulls with backoff, init containers, containers, restarts with
 * crash-loop backoff, probes, graceful termination and the final delete.
 *
 * @example
 * ```ts
 * const agent = createNodeAgent({ store, runtime, images: runtime, nodeName: 'node-1', capacity: { cpu: '4', memory: '8Gi', pods: '110' } });
 * await agent.start();
 * await bindPod(store, pod, 'node-1'); // the agent runs it
 * await agent.stop();
 * ```
 * @throws InvalidError for bad options.
 */
export function createNodeAgent(options: NodeAgentOptions): NodeAgent {
  validate(options);
  const { store, runtime, images, nodeName } = options;
  const clock = options.clock ?? store.clock;
  const logger = componentLogger(options.logger, 'node-agent').child({ node: nodeName });
  const onError =
    options.onError ?? ((error: unknown) => logger.error({ err: error }, 'node agent background work failed'));
  const metrics = new NodeAgentMetrics(options.metricsRegistry);
  const identity: NodeIdentity = {
    nodeName,
    capacity: Object.freeze({ ...options.capacity }),
    labels: { ...options.labels },
    taints: [...(options.taints ?? [])],
    hostIP: options.hostIP ?? '10.0.0.1',
  };
  const prober = createProber({ clock, runtime });
  const network: ProbeNetwork | undefined =
    'probeHttp' in runtime && 'probeTcp' in runtime ? probeNetworkOf(runtime as unknown as SimulatedProbes) : undefined;
  const workers = new Map<string, PodWorker>();
  const timers = new Set<TimerHandle>();
  let informer: Informer<Pod> | undefined;
  let abort: AbortController | undefined;
  let events: Promise<void> | undefined;
  let stopRelist: (() => void) | undefined;
  let running = false;
  let lastStatusWrite = Number.NEGATIVE_INFINITY;
  let nodeStatus: Awaited<ReturnType<typeof computeNodeStatus>> | undefined;

  function volumeHost(): VolumeHost | undefined {
    const fs = filesystemOf(options);
    if (fs === undefined) return undefined;
    const csiDrivers = new Map((options.csiDrivers ?? []).map((driver) => [driver.name, driver] as const));
    let sequence = 0;
    return { store, fs, clock, csiDrivers, sequence: () => ++sequence };
  }

  const ctx: PodWorkerContext = {
    store,
    runtime,
    images,
    clock,
    hostIP: identity.hostIP,
    runtimeType: 'mock',
    prober,
    network,
    crashBackoff: new Backoff(),
    pullBackoff: new Backoff(),
    recorder: options.recorder,
    volumes: volumeHost(),
    metrics,
    startup: new PodStartupTracker(clock, metrics),
    logger,
    onDone: (uid) => {
      workers.delete(uid);
      ctx.startup.forget(uid);
      ctx.crashBackoff.resetPrefix(`${uid}/`);
      ctx.pullBackoff.resetPrefix(`${uid}/`);
    },
    onError,
  };

  function every(periodMs: number, work: () => Promise<void>): void {
    const tick = () => {
      timers.delete(handle);
      if (!running) return;
      handle = clock.setTimeout(tick, periodMs, { background: true });
      timers.add(handle);
      work().catch(onError);
    };
    let handle = clock.setTimeout(tick, periodMs, { background: true });
    timers.add(handle);
  }

  async function syncNodeStatus(): Promise<void> {
    const next = await computeNodeStatus(identity, runtime, clock, nodeStatus, images);
    if (!nodeStatusChanged(nodeStatus, next) && clock.now() - lastStatusWrite < NODE_STATUS_REPORT_MS) return;
    nodeStatus = (await writeNodeStatus(store, nodeName, next)).status;
    lastStatusWrite = clock.now();
  }

  /** The runtime's handlers ('' is the default), read at start. */
  let runtimeHandlers: ReadonlySet<string> | undefined;

  function handlePod(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    ctx.startup.observe(pod);
    const existing = workers.get(uid);
    if (existing !== undefined) {
      existing.update(pod);
      return;
    }
    const worker = new PodWorker(pod, ctx);
    workers.set(uid, worker);
    const phase = pod.status?.phase;
    if (pod.metadata.deletionTimestamp === undefined && phase !== 'Succeeded' && phase !== 'Failed') {
      const admitted = [...workers.values()].filter((w) => w !== worker && w.active).map((w) => w.current);
      const rejection = admitPod(pod, admitted, identity.capacity, runtimeHandlers);
      if (rejection !== undefined) {
        worker.rejected = true;
        worker.putStatus({ ...pod.status, phase: 'Failed', ...rejection }).catch(onError);
        return;
      }
    }
    worker.requestSync();
  }

  return {
    async start() {
      if (running) return;
      running = true;
      const version = await runtime.version('0.1.0');
      ctx.runtimeType = version.runtimeName.replace(/^keelson-/, '');
      runtimeHandlers = new Set(['', ...(await runtime.status()).runtimeHandlers.map((h) => h.name)]);
      nodeStatus = (await registerNode(store, identity, runtime, clock, images)).status;
      lastStatusWrite = clock.now();
      await renewNodeLease(store, clock, nodeName);
      every(NODE_LEASE_RENEW_INTERVAL_MS, async () => {
        await renewNodeLease(store, clock, nodeName);
      });
      every(NODE_STATUS_UPDATE_MS, syncNodeStatus);
      abort = new AbortController();
      events = followContainerEvents(runtime, abort.signal, (uid) => workers.get(uid)?.requestSync());
      stopRelist = startRelist(clock, () => {
        for (const worker of workers.values()) worker.requestSync();
      });
      informer = createInformer(store, Pod, { fieldSelector: `spec.nodeName=${nodeName}` });
      informer.on('add', (pod) => handlePod(pod));
      informer.on('update', (_old, pod) => handlePod(pod));
      informer.on('delete', (pod) => workers.get(pod.metadata.uid ?? '')?.markGone());
      informer.start();
      await informer.waitForSync();
    },
    async stop() {
      if (!running) return;
      running = false;
      for (const handle of timers) clock.clearTimeout(handle);
      timers.clear();
      stopRelist?.();
      informer?.stop();
      abort?.abort();
      for (const worker of workers.values()) worker.stop();
      workers.clear();
      prober.stop();
      await events;
    },
  };
}
