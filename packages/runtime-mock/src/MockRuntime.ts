import type {
  AuthConfig,
  ContainerStatus,
  Image,
  ImageFilter,
  ImageFsInfoResponse,
  ImageService,
  ImageSpec,
  ImageStatusResponse,
  NodeFilesystem,
  PodSandboxStatus,
} from '@keelson/cri';
import { type LogStream, valueAt } from './behaviour';
import { appendLog, type ContainerLogListener, followLog, getLog } from './containerLogs';
import { type ContainerEventRecord, elapsedMs, nowNanos, type PullRecord, type RuntimeContext } from './context';
import { containerNotFound, type ProbeConnectionError } from './errors';
import { createFaults, type MockRuntimeFaults } from './faults';
import { filesOf, hostFilesOf, type MockFiles, type MockHostFiles, nodeFilesystemOf } from './fs/files';
import type { FileTree } from './fs/fileTree';
import * as images from './images';
import { runningContainer } from './lifecycle';
import type { ContainerLogEntry } from './logFormat';
import type { MockRegistry } from './MockRegistry';
import { batchOf, MockRuntimeService } from './MockRuntimeService';
import { NodeImages } from './nodeImages';
import { type HttpProbeTarget, probeHttp, probeTcp, type TcpProbeOptions } from './probes';
import { type ServedLoad, type ServedLoadTarget, servedNow, setServedLoad } from './servedLoad';
import { containerStatusOf, sandboxStatusOf } from './statuses';

/** What {@link MockRuntime.inspectContainer} tells a test beyond the CRI status. */
export interface ContainerInspection {
  readonly status: ContainerStatus;
  readonly podSandboxId: string;
  /** Running, past its `startupMs`, and not hung: probes get answers. */
  readonly ready: boolean;
  readonly hung: boolean;
  /** Milliseconds since it started (0 before). */
  readonly elapsedMs: number;
  /** Scripted memory use now (0 unless running). */
  readonly memoryBytes: number;
}

/** Everything on the node at one instant, for dumps and comparisons. */
export interface RuntimeSnapshot {
  readonly sandboxes: PodSandboxStatus[];
  readonly containers: ContainerStatus[];
  readonly images: Image[];
}

/**
 * A deterministic, in-memory container runtime: CRI's `RuntimeService`
 * (see {@link MockRuntimeService}) and {@link ImageService} in one object,
 * driven by an injected clock and a seeded random source, with scripted
 * images, injected {@link MockRuntime.faults}, simulated probe answers and
 * introspection for tests. Create one with `createMockRuntime`.
 */
export class MockRuntime extends MockRuntimeService implements ImageService {
  /** Faults to inject into this runtime (this node). */
  readonly faults: MockRuntimeFaults;
  private nodeFs: NodeFilesystem | undefined;

  /** @internal use `createMockRuntime`. */
  constructor(ctx: RuntimeContext) {
    super(ctx);
    this.faults = createFaults(ctx);
  }

  /** The registry this runtime pulls from. */
  get registry(): MockRegistry {
    return this.ctx.registry;
  }

  // --- ImageService -----------------------------------------------------------

  async listImages(filter?: ImageFilter): Promise<Image[]> {
    this.guard();
    return images.listImages(this.ctx, filter);
  }

  streamImages(filter?: ImageFilter): AsyncIterable<Image[]> {
    return batchOf(() => this.listImages(filter));
  }

  async imageStatus(image: ImageSpec): Promise<ImageStatusResponse> {
    this.guard();
    const found = images.imageStatus(this.ctx, image);
    return found === undefined ? { info: {} } : { image: found, info: {} };
  }

  async pullImage(image: ImageSpec, auth?: AuthConfig): Promise<string> {
    this.guard();
    return images.pullImage(this.ctx, image, auth);
  }

  async removeImage(image: ImageSpec): Promise<void> {
    this.guard();
    images.removeImage(this.ctx, image);
  }

  async imageFsInfo(): Promise<ImageFsInfoResponse> {
    this.guard();
    return this.ctx.images.fsInfo(nowNanos(this.ctx.clock));
  }

  // --- Beyond CRI: the simulated network and introspection --------------------

  /**
   * The status code a kubelet `httpGet` probe of the container would get.
   * Rejects with a {@link ProbeConnectionError}: `ECONNREFUSED` before the
   * container is started and past its `startupMs`, or after it exited;
   * `ETIMEDOUT` after `timeoutMs` when it hangs; `EHOSTUNREACH` when it or
   * its sandbox's network is gone. Works while the runtime is down (probes
   * go over the pod network, not through the runtime).
   */
  probeHttp(containerId: string, target: HttpProbeTarget): Promise<number> {
    return probeHttp(this.ctx, containerId, target);
  }

  /** Whether a kubelet `tcpSocket` probe of the container would connect (false where `probeHttp` rejects). */
  probeTcp(containerId: string, port: number, options?: TcpProbeOptions): Promise<boolean> {
    return probeTcp(this.ctx, containerId, port, options);
  }

  /**
   * The requests a container serves from now on, and what each costs: its
   * CPU shows in `containerStats` (cumulative and current) on top of the
   * image's scripted `cpuNanoCores`, and past `behaviour.overload` its HTTP
   * probes fail. The target names the container by pod and container name,
   * so a restarted container serves the same load; `undefined` ends the
   * source's load. Loads of different sources add up.
   *
   * @example
   * ```ts
   * runtime.setServedLoad(
   *   { namespace: 'default', pod: 'web-1', container: 'app', source: 'default/web' },
   *   { requestsPerSecond: () => 50, nanoCoresPerRequest: 4e6 }, // 50 × 4m = 200m of CPU
   * );
   * ```
   * @throws RangeError for a cost that is not a finite number ≥ 0, or a rate that is not a function.
   */
  setServedLoad(target: ServedLoadTarget, load: ServedLoad | undefined): void {
    if (load !== undefined) {
      const costs = { nanoCoresPerRequest: load.nanoCoresPerRequest, baseNanoCores: load.baseNanoCores ?? 0 };
      for (const [field, value] of Object.entries(costs)) {
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
          throw new RangeError(`setServedLoad: ${field} must be a finite number >= 0, got ${String(value)}`);
        }
      }
      if (typeof load.requestsPerSecond !== 'function') {
        throw new RangeError('setServedLoad: requestsPerSecond must be a function of the clock time (ms)');
      }
    }
    setServedLoad(this.ctx, target, load);
  }

  /** What a running container serves now: requests per second, and their CPU in nanocores (zeros otherwise). */
  servedLoad(containerId: string): { requestsPerSecond: number; nanoCores: number } {
    const record = this.ctx.containers.get(containerId);
    return record === undefined ? { requestsPerSecond: 0, nanoCores: 0 } : servedNow(this.ctx, record);
  }

  /** A container's status plus what the script says about it now, or undefined for an unknown id. */
  inspectContainer(containerId: string): ContainerInspection | undefined {
    const record = this.ctx.containers.get(containerId);
    if (record === undefined) return undefined;
    const running = record.state === 'CONTAINER_RUNNING';
    const elapsed = elapsedMs(this.ctx, record);
    return {
      status: containerStatusOf(record),
      podSandboxId: record.sandboxId,
      ready: running && !record.hung && elapsed >= (record.behaviour.startupMs ?? 0),
      hung: record.hung,
      elapsedMs: elapsed,
      memoryBytes: running ? valueAt(record.behaviour.memoryBytes, elapsed) : 0,
    };
  }

  /**
   * What the container has written to stdout and stderr so far, oldest
   * first (format a line with `formatCriLogLine`). Kept after the container
   * exits, and after it is removed until the next container of the same
   * name in its sandbox is removed too (as the kubelet keeps the previous
   * container's log) or the sandbox is. Works while the runtime is down.
   *
   * @throws CriError `NotFound` when the runtime keeps no log for the id.
   */
  readContainerLog(containerId: string): ContainerLogEntry[] {
    return [...getLog(this.ctx, containerId).entries];
  }

  /**
   * Calls `listener.line` for each line the container writes from now on,
   * and `listener.end` once it exited (at once if it has); returns the
   * function that stops listening. Read the lines so far with
   * {@link MockRuntime.readContainerLog} in the same tick to miss none.
   *
   * @throws CriError `NotFound` when the runtime keeps no log for the id.
   */
  followContainerLog(containerId: string, listener: ContainerLogListener): () => void {
    return followLog(this.ctx, containerId, listener);
  }

  /**
   * The running container's process writes `text` now (a line per
   * `\n`-separated part), as scripted `logs` lines are written.
   *
   * @throws CriError `NotFound` / `FailedPrecondition` for an unknown or not running container.
   */
  writeContainerLog(containerId: string, text: string, stream: LogStream = 'stdout'): void {
    runningContainer(this.ctx, containerId, 'writeContainerLog');
    appendLog(this.ctx, containerId, nowNanos(this.ctx.clock), stream, text);
  }

  /**
   * The node's host filesystem as the node agent uses it (volumes are
   * written here; CRI mounts bind from here). Give it to `createNodeAgent`
   * as `filesystem`.
   */
  get hostFilesystem(): NodeFilesystem {
    this.nodeFs ??= nodeFilesystemOf(this.ctx.host);
    return this.nodeFs;
  }

  /** The node's host files, for tests to prepare (e.g. a hostPath directory) or inspect. */
  get hostFiles(): MockHostFiles {
    return hostFilesOf(this.ctx.host);
  }

  /** @internal the host tree, for the mock CSI driver. */
  get hostTree(): FileTree {
    return this.ctx.host;
  }

  /**
   * The container's filesystem as its process sees it: its own root plus
   * its mounts (writes through a read-only mount throw `EROFS`). Kept while
   * the container exists, also after it exited.
   *
   * @throws CriError `NotFound` for an unknown container.
   */
  containerFiles(containerId: string): MockFiles {
    const record = this.ctx.containers.get(containerId);
    if (record === undefined) throw containerNotFound(containerId);
    return filesOf(record.files);
  }

  /** Every container event since the runtime was created, in order (also those no stream saw). */
  eventHistory(): ContainerEventRecord[] {
    return this.ctx.history.map((entry) => ({ ...entry }));
  }

  /** Every pull attempt, in the order they settled. */
  pullHistory(): PullRecord[] {
    return this.ctx.pulls.map((entry) => ({ ...entry }));
  }

  /** Statuses of every sandbox, container and image now, in creation order. */
  snapshot(): RuntimeSnapshot {
    return {
      sandboxes: [...this.ctx.sandboxes.values()].map(sandboxStatusOf),
      containers: [...this.ctx.containers.values()].map(containerStatusOf),
      images: this.ctx.images.list().map((image) => NodeImages.toImage(image)),
    };
  }
}
