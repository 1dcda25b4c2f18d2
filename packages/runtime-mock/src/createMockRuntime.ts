import { type Clock, createRandom, type Random, systemClock } from '@keelson/clock';
import { ContainerEventHub } from './events';
import { prepareHostTree } from './fs/files';
import { FileTree } from './fs/fileTree';
import { createImageRegistry, type MockRegistry } from './MockRegistry';
import { MockRuntime } from './MockRuntime';
import { NodeImages } from './nodeImages';
import { DEFAULT_POD_CIDR, PodNetwork } from './podNetwork';

/** Options of {@link createMockRuntime}. */
export interface MockRuntimeOptions {
  /** Drives every delay (pulls, exits, stops, probes); a `VirtualClock` in tests. Default: `systemClock`. */
  clock?: Clock;
  /** Where images come from; share one between runtimes to simulate nodes of one cluster. Default: a new empty one. */
  registry?: MockRegistry;
  /** Seed of the random source that makes sandbox and container ids (default 0). Ignored when `random` is given. */
  seed?: number | string;
  /** A random source to draw ids from instead of `seed` (e.g. `random.fork(nodeName)`, so nodes differ). */
  random?: Random;
  /** `VersionResponse.runtimeName` (default `keelson-mock`). */
  runtimeName?: string;
  /** `VersionResponse.runtimeVersion` (default `0.1.0`). */
  runtimeVersion?: string;
  /** RuntimeClass handlers `runPodSandbox` accepts besides the default `''`. */
  runtimeHandlers?: readonly string[];
  /** Pod IPs come from this range until `updateRuntimeConfig` sets another (default `10.88.0.0/16`). */
  podCidr?: string;
}

/**
 * A deterministic in-memory container runtime implementing CRI's
 * `RuntimeService` and `ImageService`: sandboxes and containers with
 * containerd's semantics, images from a {@link MockRegistry} with scripted
 * behaviour, injected faults, simulated probes, and no processes. The same
 * clock start, seed and calls give the same ids, events and statuses.
 *
 * @example
 * ```ts
 * import { VirtualClock } from '@keelson/clock';
 * import { createImageRegistry, createMockRuntime } from '@keelson/runtime-mock';
 *
 * const clock = new VirtualClock(1_700_000_000_000);
 * const registry = createImageRegistry();
 * registry.add('registry.example.com/job:1.0', { pullMs: 3_000, behaviour: { exitAfterMs: 10_000, exitCode: 2 } });
 * const runtime = createMockRuntime({ clock, registry, seed: 42 });
 *
 * const pulled = runtime.pullImage({ image: 'registry.example.com/job:1.0' });
 * await clock.advance(3_000);
 * await pulled;
 * const sandboxConfig = { metadata: { name: 'job-abc', uid: 'u1', namespace: 'default', attempt: 0 } };
 * const sandbox = await runtime.runPodSandbox(sandboxConfig);
 * const id = await runtime.createContainer(
 *   sandbox,
 *   { metadata: { name: 'main', attempt: 0 }, image: { image: 'registry.example.com/job:1.0' } },
 *   sandboxConfig,
 * );
 * await runtime.startContainer(id);
 * await clock.advance(10_000);
 * (await runtime.containerStatus(id)).status; // CONTAINER_EXITED, exitCode 2, reason 'Error'
 * runtime.faults.runtimeDown();               // every RPC now rejects with Unavailable
 * ```
 */
export function createMockRuntime(options: MockRuntimeOptions = {}): MockRuntime {
  const random = options.random ?? createRandom(options.seed ?? 0, 'runtime-mock');
  const host = new FileTree();
  prepareHostTree(host);
  return new MockRuntime({
    clock: options.clock ?? systemClock,
    ids: random.fork('ids'),
    registry: options.registry ?? createImageRegistry(),
    runtimeName: options.runtimeName ?? 'keelson-mock',
    runtimeVersion: options.runtimeVersion ?? '0.1.0',
    runtimeHandlers: [...(options.runtimeHandlers ?? [])],
    sandboxes: new Map(),
    containers: new Map(),
    logs: new Map(),
    images: new NodeImages(),
    network: new PodNetwork(options.podCidr ?? DEFAULT_POD_CIDR),
    host,
    events: new ContainerEventHub(),
    history: [],
    pulls: [],
    pullFaults: { slow: new Map(), failing: new Map() },
    down: false,
  });
}
