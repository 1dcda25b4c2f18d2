/** Test support: a store, a mock runtime and an agent on one virtual clock. Not exported. */
import {
  bindPod,
  builtinAdmission,
  builtinTypes,
  type ContainerInput,
  Event,
  ensureSystemNamespaces,
  type Pod,
  Pod as PodKind,
} from '@keelson/api';
import { createRandom, VirtualClock } from '@keelson/clock';
import { createEventRecorder } from '@keelson/controller';
import { createStore, type Logger, type MetricsRegistry, type Store } from '@keelson/core';
import type { CsiNodeDriver } from '@keelson/cri';
import {
  createImageRegistry,
  createMockRuntime,
  type MockFiles,
  type MockRegistry,
  type MockRuntime,
} from '@keelson/runtime-mock';
import { createNodeAgent, type NodeAgent } from './createNodeAgent';

export const T0 = Date.UTC(2026, 0, 1);

export interface Harness {
  clock: VirtualClock;
  store: Store;
  registry: MockRegistry;
  runtime: MockRuntime;
  agent: NodeAgent;
  errors: unknown[];
  /** Creates a pod and binds it to `node-1`. */
  runPod(name: string, containers: ContainerInput[], spec?: Record<string, unknown>): Promise<Pod>;
  pod(name: string): Promise<Pod>;
  /** Advances the clock and lets the agent's work settle. */
  advance(ms: number): Promise<void>;
  /** The files the pod's container sees now. */
  files(pod: string, container: string): Promise<MockFiles>;
  /** The Events stored in `default` (the agent records them when started with `events: true`), oldest first. */
  events(): Promise<Event[]>;
}

export async function startHarness(
  capacity = { cpu: '4', memory: '8Gi', pods: '110' },
  options: {
    runtimeHandlers?: readonly string[] /** Give the agent a kubelet event recorder. */;
    events?: boolean;
    /** CSI node drivers for the agent, made over its runtime. */
    csiDrivers?: (runtime: MockRuntime) => CsiNodeDriver[];
    metricsRegistry?: MetricsRegistry;
    logger?: Logger;
  } = {},
): Promise<Harness> {
  const clock = new VirtualClock(T0);
  const store = await createStore({
    types: builtinTypes,
    admission: builtinAdmission(),
    clock,
    random: createRandom(1, 'agent'),
    logger: { warn() {} },
  });
  await ensureSystemNamespaces(store);
  const registry = createImageRegistry();
  const { events, csiDrivers, metricsRegistry, logger, ...runtimeOptions } = options;
  const runtime = createMockRuntime({ clock, registry, seed: 1, ...runtimeOptions });
  const errors: unknown[] = [];
  const recorder =
    events === true
      ? createEventRecorder(store, {
          component: 'kubelet',
          host: 'node-1',
          clock,
          sweep: false,
          random: createRandom(1, 'events'),
        })
      : undefined;
  const agent = createNodeAgent({
    store,
    runtime,
    images: runtime,
    nodeName: 'node-1',
    clock,
    capacity,
    onError: (error) => errors.push(error),
    ...(recorder === undefined ? {} : { recorder }),
    ...(csiDrivers === undefined ? {} : { csiDrivers: csiDrivers(runtime) }),
    ...(metricsRegistry === undefined ? {} : { metricsRegistry }),
    ...(logger === undefined ? {} : { logger }),
  });
  await agent.start();
  const advance = async (ms: number) => {
    await clock.advance(ms);
    for (let i = 0; i < 5; i++) await clock.advance(0);
  };
  return {
    clock,
    store,
    registry,
    runtime,
    agent,
    errors,
    advance,
    async runPod(name, containers, spec = {}) {
      await store.create(PodKind, { metadata: { name, namespace: 'default' }, spec: { containers, ...spec } });
      const bound = await bindPod(store, { metadata: { name, namespace: 'default' } }, 'node-1');
      await advance(0);
      return bound;
    },
    pod: (name) => store.get(PodKind, name, { namespace: 'default' }),
    async files(name, container) {
      const pod = await store.get(PodKind, name, { namespace: 'default' });
      const status = pod.status?.containerStatuses?.find((s) => s.name === container);
      const id = status?.containerID?.replace(/^mock:\/\//, '');
      if (id === undefined) throw new Error(`container ${container} of pod ${name} has not been created`);
      return runtime.containerFiles(id);
    },
    async events() {
      const { items } = await store.list(Event, { namespace: 'default' });
      return [...items].sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
    },
  };
}
