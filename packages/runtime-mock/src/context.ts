import type { Clock, Random, TimerHandle } from '@keelson/clock';
import type {
  ContainerConfig,
  ContainerEventType,
  ContainerMetadata,
  ContainerState,
  ImageSpec,
  LinuxContainerResources,
  PodSandboxConfig,
  PodSandboxMetadata,
  PodSandboxState,
} from '@keelson/cri';
import type { CpuIntegral, ImageBehaviour } from './behaviour';
import type { ContainerLog } from './containerLogs';
import type { ContainerEventHub } from './events';
import type { FileTree } from './fs/fileTree';
import { randomHex } from './ids';
import type { MockRegistry, PullFailureKind } from './MockRegistry';
import type { NodeImages } from './nodeImages';
import type { PodNetwork } from './podNetwork';

/** A sandbox as the mock keeps it. */
export interface SandboxRecord {
  readonly id: string;
  readonly metadata: PodSandboxMetadata;
  readonly config: PodSandboxConfig;
  readonly runtimeHandler: string;
  readonly createdAt: bigint;
  state: PodSandboxState;
  /** The pod IP while the sandbox is ready and has its own network. */
  ip: string;
  /** Container ids in creation order. */
  readonly containers: Set<string>;
}

/** A container as the mock keeps it. */
export interface ContainerRecord {
  readonly id: string;
  readonly sandboxId: string;
  readonly metadata: ContainerMetadata;
  readonly config: ContainerConfig;
  /** The image spec as statuses report it (the normalised name the container was created from). */
  readonly image: ImageSpec;
  readonly imageRef: string;
  readonly imageId: string;
  readonly behaviour: ImageBehaviour;
  readonly logPath: string;
  readonly createdAt: bigint;
  resources: LinuxContainerResources | undefined;
  state: ContainerState;
  /** Clock time of the start, in ms; NaN until started. */
  startedMs: number;
  startedAt: bigint;
  finishedAt: bigint;
  exitCode: number;
  reason: string;
  message: string;
  /** faults.hang: the process no longer answers. */
  hung: boolean;
  /** Timers that end with the process (exit, OOM, stop). */
  readonly timers: Set<TimerHandle>;
  /** The OOM ones among `timers`, re-armed when the memory limit changes. */
  readonly oomTimers: Set<TimerHandle>;
  /** Called once when the process ends. */
  readonly onExit: Array<() => void>;
  readonly cpu: CpuIntegral;
  /** CPU used up to the exit, frozen then. */
  cpuAtExit: bigint;
  /** Per script of `behaviour.logs`, how many of its lines are written. */
  readonly logCursor: number[];
  /** The container's filesystem: its own root plus its mounts. */
  readonly files: FileTree;
}

/** One line of {@link MockRuntime.eventHistory}. */
export interface ContainerEventRecord {
  readonly type: ContainerEventType;
  readonly containerId: string;
  readonly podSandboxId: string;
  /** Nanoseconds, as in the event itself. */
  readonly createdAt: bigint;
}

/** One line of {@link MockRuntime.pullHistory}. */
export interface PullRecord {
  /** The normalised reference pulled. */
  readonly image: string;
  /** Clock time (ms) the pull started and settled. */
  readonly startedMs: number;
  readonly finishedMs: number;
  /** The image id on success, else the CRI error code it failed with. */
  readonly outcome: { readonly imageId: string } | { readonly error: string };
}

/** Node-level pull faults (faults.slowPull / faults.failPull). */
export interface PullFaults {
  readonly slow: Map<string, number>;
  readonly failing: Map<string, { kind: PullFailureKind; remaining: number }>;
}

/** Everything the runtime's parts share. */
export interface RuntimeContext {
  readonly clock: Clock;
  readonly ids: Random;
  readonly registry: MockRegistry;
  readonly runtimeName: string;
  readonly runtimeVersion: string;
  readonly runtimeHandlers: readonly string[];
  readonly sandboxes: Map<string, SandboxRecord>;
  readonly containers: Map<string, ContainerRecord>;
  /** Container logs by container id: those of existing containers and the last removed one per name and sandbox. */
  readonly logs: Map<string, ContainerLog>;
  readonly images: NodeImages;
  readonly network: PodNetwork;
  /** The node's host filesystem, which mounts bind from. */
  readonly host: FileTree;
  readonly events: ContainerEventHub;
  readonly history: ContainerEventRecord[];
  readonly pulls: PullRecord[];
  readonly pullFaults: PullFaults;
  down: boolean;
}

/** The clock's time as CRI nanoseconds; never 0n, which CRI reads as "not set". */
export function nowNanos(clock: Clock): bigint {
  const nanos = BigInt(Math.floor(clock.now())) * 1_000_000n;
  return nanos > 0n ? nanos : 1n;
}

/**
 * Deep copy of caller data, so neither side sees the other's later mutations.
 * CRI messages are plain objects, arrays, strings, numbers, booleans and
 * bigints: those are copied by a walk (structuredClone serialises, and costs
 * microseconds per small object); anything else goes to structuredClone.
 */
export function copy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copy) as T;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key]);
  return out as T;
}

/** Milliseconds since `record` started (0 before). */
export function elapsedMs(ctx: RuntimeContext, record: ContainerRecord): number {
  return Number.isNaN(record.startedMs) ? 0 : ctx.clock.now() - record.startedMs;
}

/** A fresh id not used by any sandbox or container. */
export function newId(ctx: RuntimeContext): string {
  for (;;) {
    const id = randomHex(ctx.ids);
    if (!ctx.sandboxes.has(id) && !ctx.containers.has(id)) return id;
  }
}
