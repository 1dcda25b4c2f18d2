/**
 * `createTestCluster`: a store, the scheduler, node agents on mock runtimes
 * and the built-in controllers, on one clock, seeded — a whole cluster in
 * one test.
 */
import { builtinAdmission, builtinTypes, ensureSystemNamespaces, Node } from '@keelson/api';
import {
  createMetricsServer,
  horizontalPodAutoscalerController,
  type MetricsServer,
  type MetricsSource,
} from '@keelson/autoscaling';
import { createRandom, VirtualClock } from '@keelson/clock';
import { createEventRecorder, createManager, type EventRecorder, type Manager } from '@keelson/controller';
import {
  componentLogger,
  createStore,
  InvalidError,
  type KubeObject,
  NotFoundError,
  type ResourceType,
} from '@keelson/core';
import { createMemoryLog } from '@keelson/eventlog';
import { createNodeLifecycleController, type NodeLifecycleController } from '@keelson/health';
import { createMockDisks } from '@keelson/runtime-mock';
import { createScheduler, type Scheduler } from '@keelson/scheduler';
import { workloadControllers } from '@keelson/workloads';
import { applyServiceLoad, type ServiceLoad } from '../load/serviceLoad';
import { typedObjects } from '../manifests';
import { chooseControllers } from './controllerChoice';
import { describeCluster } from './dump';
import { toMs } from './duration';
import { createFaults } from './faults';
import { autoRegistry } from './images';
import { podFiles } from './podFiles';
import { createPodLogSource, readAll } from './podLogs';
import { nodeSpecs, SimNode } from './simNode';
import { clusterStorage, ensureStandardStorageClass } from './storage';
import { ActivityMonitor, advanceClock, settle, waitFor } from './timeControl';
import type { NodeSpec, TestCluster, TestClusterOptions } from './types';
import { Wire } from './wire';

/** Virtual time zero of a test cluster: 2026-01-01T00:00:00Z. */
export const TEST_CLUSTER_START = Date.UTC(2026, 0, 1);

/**
 * A whole cluster in one process: by default 3 nodes on a `VirtualClock`,
 * seeded, with every built-in controller.
 *
 * @example
 * ```ts
 * const cluster = await createTestCluster({ nodes: 3, seed: 42 });
 * await cluster.apply(deploymentYaml);
 * await cluster.waitFor(async (c) => (await c.list(Pod)).length === 3, { timeout: '2m' });
 * await cluster.close();
 * ```
 * @throws InvalidError for bad options, before anything starts.
 */
export async function createTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  if (options === null || typeof options !== 'object')
    throw new InvalidError('createTestCluster: options must be an object');
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed))
    throw new InvalidError(`createTestCluster: seed must be a whole number, got ${String(seed)}`);
  const specs = nodeSpecs(options.nodes);
  const clock = options.clock ?? new VirtualClock(TEST_CLUSTER_START);
  const random = createRandom(seed, 'test-cluster');
  const types: ResourceType[] = [...builtinTypes, ...(options.types ?? [])].filter((t, i, all) => all.indexOf(t) === i);
  // The autoscaler reads the metrics server, which needs the store and the nodes made below.
  let metricsServer: MetricsServer | undefined;
  const metricsProxy: MetricsSource = options.metrics ?? {
    resourceMetrics: async (query) => (metricsServer ? metricsServer.resourceMetrics(query) : new Map()),
  };
  const { metricsRegistry, logger } = options;
  const observability = { ...(metricsRegistry && { metricsRegistry }), ...(logger && { logger }) };
  const disks = createMockDisks();
  const storage = clusterStorage(options, clock, disks);
  const { names, workloads } = chooseControllers(options.controllers, [
    ...workloadControllers({ types }),
    horizontalPodAutoscalerController({ metrics: metricsProxy, types, ...observability }),
    ...storage.controllers,
  ]);
  const ownLog = options.log === undefined;
  const log = options.log ?? createMemoryLog();
  const store = await createStore({
    log,
    types,
    admission: builtinAdmission(),
    clock,
    random: random.fork('store'),
    logger: componentLogger(logger, 'store'),
    ...(metricsRegistry && { metricsRegistry }),
  });
  await ensureSystemNamespaces(store);
  if (options.defaultStorageClass !== false) await ensureStandardStorageClass(store);
  const monitor = new ActivityMonitor(clock);
  await monitor.start(log);
  const wire = new Wire(store, clock, random.fork('wire'));
  const recorderLogger = componentLogger(logger, 'event-recorder');
  const recorders: EventRecorder[] = [];
  const recorder = (component: string, host?: string, sweep = false) => {
    const r = createEventRecorder(store, {
      component,
      ...(host === undefined ? {} : { host }),
      clock,
      random: random.fork(`events ${component} ${host ?? ''}`),
      sweep,
      logger: recorderLogger,
    });
    recorders.push(r);
    return r;
  };
  storage.setRecorder(recorder('persistentvolume-controller'));
  const registry = autoRegistry(options.images ?? {}, options.strictImages ?? false);
  const nodeContext = {
    store,
    clock,
    random: random.fork('nodes'),
    registry,
    disks,
    wire,
    recorder: (host: string) => recorder('kubelet', host),
    observability,
  };
  const nodes = new Map<string, SimNode>();
  let nodeCount = 0;
  const startNode = async (name: string, spec: NodeSpec) => {
    const node = new SimNode(name, spec, nodeCount++, nodeContext);
    nodes.set(name, node);
    await node.start();
  };
  for (const [name, spec] of specs) await startNode(name, spec);
  const metrics = createMetricsServer({
    store,
    clock,
    runtimes: () => [...nodes].map(([name, sim]) => [name, sim.runtime] as const),
  });
  metricsServer = metrics;
  metrics.start();

  let lifecycle: NodeLifecycleController | undefined;
  if (names.has('node-lifecycle')) {
    lifecycle = createNodeLifecycleController(wire.view('node-lifecycle').store.as('system:node-controller'), {
      clock,
      recorder: recorder('node-controller'),
      ...(logger && { logger }),
    });
    await lifecycle.start();
  }
  let scheduler: Scheduler | undefined;
  if (names.has('scheduler')) {
    scheduler = createScheduler({
      store: wire.view('scheduler').store.as('system:kube-scheduler'),
      clock,
      random: random.fork('scheduler'),
      recorder: recorder('default-scheduler'),
      ...observability,
      ...(options.scheduler?.profiles === undefined ? {} : { profiles: options.scheduler.profiles }),
      ...(options.scheduler?.registry === undefined ? {} : { registry: options.scheduler.registry }),
    });
    await scheduler.start();
  }
  const controllers = [...workloads, ...(options.extra ?? [])];
  let manager: Manager | undefined;
  if (controllers.length > 0) {
    manager = createManager({
      store: wire.view('controller-manager').store.as('system:kube-controller-manager'),
      clock,
      recorder: recorder('controller-manager', undefined, true),
      ...observability,
    });
    for (const controller of controllers) manager.add(controller);
    await manager.start();
  }
  await advanceClock(clock, 0);

  const node = (name: string): SimNode => {
    const found = nodes.get(name);
    if (found === undefined) {
      throw new InvalidError(`no node "${name}" in this cluster (nodes: ${[...nodes.keys()].join(', ') || 'none'})`);
    }
    return found;
  };
  const describe = () => describeCluster(store);
  const host = { clock, monitor, manager, describe };
  const loads: ServiceLoad[] = [];
  const podLogs = createPodLogSource({ store, runtimeOf: (name) => nodes.get(name)?.runtime }, () => clock.now());

  const cluster: TestCluster = {
    store,
    clock,
    log,
    get nodes() {
      return [...nodes.keys()];
    },
    metrics,
    runtime: (name) => node(name).runtime,
    nodeAgent: (name) => node(name).agent,
    disks,
    files: (pod, request) => podFiles(store, (name) => nodes.get(name)?.runtime, pod, request),
    async apply(input) {
      const written: KubeObject[] = [];
      for (const { type, object } of typedObjects(input, types)) written.push(await applyOne(type, object));
      return written;
    },
    get: (type, name, namespace) => store.get(type, name, namespace === undefined ? {} : { namespace }),
    async list(type, listOptions = {}) {
      return (await store.list(type, listOptions)).items;
    },
    delete: (type, name, deleteOptions = {}) => store.delete(type, name, deleteOptions),
    advance: (duration) => advanceClock(clock, toMs(duration, 'advance')),
    settle: (settleOptions) => settle(host, settleOptions),
    waitFor: (predicate, waitOptions) => waitFor(host, () => predicate(cluster), waitOptions),
    async addNode(spec = {}) {
      const [[name, checked]] = nodeSpecs([spec], nodeCount + 1) as [[string, NodeSpec]];
      if (nodes.has(name)) throw new InvalidError(`addNode: a node named "${name}" exists already`);
      await startNode(name, checked);
      await advanceClock(clock, 0);
      return name;
    },
    async removeNode(name) {
      await node(name).stop();
      nodes.delete(name);
      await store.delete(Node, name).catch((error: unknown) => {
        if (!(error instanceof NotFoundError)) throw error;
      });
      await advanceClock(clock, 0);
    },
    podLogs,
    logs: (pod, logOptions = {}) =>
      readAll(podLogs, {
        namespace: logOptions.namespace ?? 'default',
        pod,
        ...(logOptions.container === undefined ? {} : { container: logOptions.container }),
        ...(logOptions.previous === undefined ? {} : { previous: logOptions.previous }),
      }),
    dump: describe,
    faults: createFaults({ store, clock, wire, node }),
    async load(service, profile, loadOptions) {
      const runtimeOf = (name: string) => nodes.get(name)?.runtime;
      const applied = await applyServiceLoad({ store, clock, runtimeOf }, service, profile, loadOptions);
      loads.push(applied);
      return applied;
    },
    provisioner: storage.mock,
    async close() {
      for (const l of loads) l.stop();
      await manager?.stop();
      await scheduler?.stop();
      await lifecycle?.stop();
      metrics.stop();
      for (const n of nodes.values()) await n.stop();
      for (const r of recorders) r.stop();
      monitor.stop();
      await store.close();
      if (ownLog) await log.close();
    },
  };

  async function applyOne(type: ResourceType, object: KubeObject): Promise<KubeObject> {
    const name = object.metadata.name;
    const namespace = type.namespaced ? (object.metadata.namespace ?? 'default') : undefined;
    if (name !== undefined) {
      const existing = await store
        .get(type, name, namespace === undefined ? {} : { namespace })
        .catch((error: unknown) => {
          if (error instanceof NotFoundError) return undefined;
          throw error;
        });
      if (existing !== undefined) {
        const metadata = { ...object.metadata, resourceVersion: existing.metadata.resourceVersion };
        return store.update({ ...object, metadata } as KubeObject);
      }
    }
    const metadata = namespace === undefined ? object.metadata : { ...object.metadata, namespace };
    return store.create(type, { ...object, metadata } as never);
  }

  return cluster;
}
