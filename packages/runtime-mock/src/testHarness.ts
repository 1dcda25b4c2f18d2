// Shared set-up of this package's own tests (not part of the published API).
import { VirtualClock } from '@keelson/clock';
import type { ContainerConfig, PodSandboxConfig } from '@keelson/cri';
import type { ImageBehaviour } from './behaviour';
import { createMockRuntime, type MockRuntimeOptions } from './createMockRuntime';
import { createImageRegistry, type ImageOptions } from './MockRegistry';
import type { MockRuntime } from './MockRuntime';

/** 2025-01-01T00:00:00Z: a realistic epoch, so CRI timestamps are > 0. */
export const START = Date.UTC(2025, 0, 1);

/** Nanoseconds of a clock time in ms, as CRI timestamps carry it. */
export const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;

export function setup(options: Omit<MockRuntimeOptions, 'clock' | 'registry'> = {}) {
  const clock = new VirtualClock(START);
  const registry = createImageRegistry();
  const runtime = createMockRuntime({ seed: 7, ...options, clock, registry });
  let pods = 0;

  function sandboxConfig(overrides: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
    const n = ++pods;
    return {
      metadata: { name: `pod-${n}`, uid: `uid-${n}`, namespace: 'default', attempt: 0 },
      logDirectory: `/var/log/pods/default_pod-${n}_uid-${n}`,
      labels: { app: 'test' },
      ...overrides,
    };
  }

  function containerConfig(image: string, name = 'main', memoryLimitInBytes?: number): ContainerConfig {
    return {
      metadata: { name, attempt: 0 },
      image: { image },
      logPath: `${name}/0.log`,
      ...(memoryLimitInBytes === undefined ? {} : { linux: { resources: { memoryLimitInBytes } } }),
    };
  }

  /** Adds `image` to the registry with `behaviour`, pulls it, runs a sandbox and creates (and by default starts) a container. */
  async function run(
    image: string,
    behaviour: ImageBehaviour = {},
    options: { memoryLimitInBytes?: number; start?: boolean; imageOptions?: ImageOptions } = {},
  ): Promise<{ sandboxId: string; containerId: string; sandbox: PodSandboxConfig }> {
    if (registry.get(image) === undefined) registry.add(image, { ...options.imageOptions, behaviour });
    await runtime.pullImage({ image });
    const sandbox = sandboxConfig();
    const sandboxId = await runtime.runPodSandbox(sandbox);
    const containerId = await runtime.createContainer(
      sandboxId,
      containerConfig(image, 'main', options.memoryLimitInBytes),
      sandbox,
    );
    if (options.start !== false) await runtime.startContainer(containerId);
    return { sandboxId, containerId, sandbox };
  }

  const status = async (id: string) => (await runtime.containerStatus(id)).status;

  return { clock, registry, runtime, sandboxConfig, containerConfig, run, status };
}

/** Settles `promise` into a tagged value without throwing, to check it while time passes. */
export function track<T>(promise: Promise<T>): {
  readonly settled: boolean;
  readonly value?: T;
  readonly error?: unknown;
} {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => {
      state.settled = true;
      state.value = value;
    },
    (error: unknown) => {
      state.settled = true;
      state.error = error;
    },
  );
  return state;
}

export type { MockRuntime };
