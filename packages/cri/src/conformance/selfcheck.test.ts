// Runs the conformance suite against a small in-memory runtime written only
// for this test, so that the suite itself is known to be passable and
// self-consistent. It is not the mock runtime (that lives in
// @keelson/runtime-mock) and is not exported.

import { createHash } from 'node:crypto';
import { ContainerEventType, ContainerState, PodSandboxState } from '../enums';
import { CriError } from '../errors';
import type { ImageService, RuntimeService } from '../services';
import type {
  Container,
  ContainerConfig,
  ContainerEventResponse,
  ContainerEventsOptions,
  ContainerStats,
  ContainerStatus,
  Image,
  PodSandboxConfig,
  PodSandboxStatus,
} from '../types';
import { ContainerExitReason, CRI_API_VERSION, matchesLabelSelector } from '../wellKnown';
import { describeRuntimeConformance, type ImageBehaviour } from './index';

const NS = 1_000_000n;

class TestClock {
  private nowMs = Date.UTC(2025, 0, 1);
  private timers: { due: number; seq: number; fn: () => void }[] = [];
  private seq = 0;

  now(): bigint {
    return BigInt(this.nowMs) * NS;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const timer = { due: this.nowMs + ms, seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  async advance(ms: number): Promise<void> {
    const target = this.nowMs + ms;
    await new Promise((resolve) => setImmediate(resolve));
    for (;;) {
      const next = [...this.timers].sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (next === undefined || next.due > target) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.nowMs = next.due;
      next.fn();
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.nowMs = target;
  }
}

interface SandboxRecord {
  status: PodSandboxStatus;
}

interface ContainerRecord {
  sandboxId: string;
  status: ContainerStatus;
  behaviour: ImageBehaviour;
  cancelExit?: () => void;
}

const clone = <T>(value: T): T => structuredClone(value);
const invalid = (message: string) => new CriError('InvalidArgument', message);
const unimplemented = (rpc: string) => new CriError('Unimplemented', `${rpc} is not implemented by the test runtime`);

function createTestRuntime() {
  const clock = new TestClock();
  const registry = new Map<string, ImageBehaviour>();
  const pulled = new Map<string, Image>();
  const sandboxes = new Map<string, SandboxRecord>();
  const containers = new Map<string, ContainerRecord>();
  const subscribers = new Set<(event: ContainerEventResponse) => void>();
  let nextId = 0;

  const findImage = (ref: string): Image | undefined =>
    [...pulled.values()].find((image) => image.id === ref || image.repoTags.includes(ref));

  const sandboxOf = (id: string): SandboxRecord => {
    const sandbox = sandboxes.get(id);
    if (sandbox === undefined) throw new CriError('NotFound', `pod sandbox "${id}" not found`);
    return sandbox;
  };
  const containerOf = (id: string): ContainerRecord => {
    const container = containers.get(id);
    if (container === undefined) throw new CriError('NotFound', `container "${id}" not found`);
    return container;
  };

  const emit = (containerId: string, sandboxId: string, type: ContainerEventType) => {
    const event: ContainerEventResponse = {
      containerId,
      containerEventType: type,
      createdAt: clock.now(),
      containersStatuses: [...containers.values()].filter((c) => c.sandboxId === sandboxId).map((c) => c.status),
    };
    const sandbox = sandboxes.get(sandboxId);
    if (sandbox !== undefined) event.podSandboxStatus = sandbox.status;
    for (const deliver of subscribers) deliver(clone(event));
  };

  const exit = (record: ContainerRecord, exitCode: number) => {
    record.cancelExit?.();
    delete record.cancelExit;
    record.status.state = ContainerState.CONTAINER_EXITED;
    record.status.finishedAt = clock.now();
    record.status.exitCode = exitCode;
    record.status.reason = exitCode === 0 ? ContainerExitReason.Completed : ContainerExitReason.Error;
    emit(record.status.id, record.sandboxId, ContainerEventType.CONTAINER_STOPPED_EVENT);
  };

  const kill = (record: ContainerRecord) => {
    if (record.status.state === ContainerState.CONTAINER_RUNNING) exit(record, 137);
  };

  const remove = (id: string) => {
    const record = containers.get(id);
    if (record === undefined) return;
    kill(record);
    containers.delete(id);
    emit(id, record.sandboxId, ContainerEventType.CONTAINER_DELETED_EVENT);
  };

  const toContainer = (record: ContainerRecord): Container => {
    const s = record.status;
    return clone({
      id: s.id,
      podSandboxId: record.sandboxId,
      metadata: s.metadata,
      image: s.image,
      imageRef: s.imageRef,
      state: s.state,
      createdAt: s.createdAt,
      labels: s.labels,
      annotations: s.annotations,
      imageId: s.imageId,
    });
  };

  const stats = (record: ContainerRecord): ContainerStats => ({
    attributes: clone({
      id: record.status.id,
      metadata: record.status.metadata,
      labels: record.status.labels,
      annotations: record.status.annotations,
    }),
    cpu: { timestamp: clock.now(), usageCoreNanoSeconds: 0n, usageNanoCores: 0 },
    memory: { timestamp: clock.now(), workingSetBytes: 0 },
  });

  const runtime: RuntimeService = {
    async version() {
      return {
        version: '0.1.0',
        runtimeName: 'keelson-test',
        runtimeVersion: '0.0.1',
        runtimeApiVersion: CRI_API_VERSION,
      };
    },
    async runPodSandbox(config: PodSandboxConfig, runtimeHandler = '') {
      for (const field of ['name', 'uid', 'namespace'] as const) {
        if (!config.metadata?.[field]) throw invalid(`sandbox metadata.${field} must not be empty`);
      }
      if (runtimeHandler !== '')
        throw new CriError('NotFound', `runtime handler "${runtimeHandler}" is not configured`);
      const m = config.metadata;
      for (const s of sandboxes.values()) {
        const o = s.status.metadata;
        if (o.name === m.name && o.uid === m.uid && o.namespace === m.namespace && o.attempt === m.attempt) {
          throw new CriError('AlreadyExists', `sandbox "${m.namespace}/${m.name}" attempt ${m.attempt} exists`);
        }
      }
      const id = `sandbox-${++nextId}`;
      sandboxes.set(id, {
        status: clone({
          id,
          metadata: m,
          state: PodSandboxState.SANDBOX_READY,
          createdAt: clock.now(),
          network: { ip: `10.244.0.${nextId}`, additionalIps: [] },
          labels: config.labels ?? {},
          annotations: config.annotations ?? {},
          runtimeHandler,
        }),
      });
      return id;
    },
    async stopPodSandbox(id) {
      const sandbox = sandboxes.get(id);
      if (sandbox === undefined) return;
      for (const record of containers.values()) if (record.sandboxId === id) kill(record);
      sandbox.status.state = PodSandboxState.SANDBOX_NOTREADY;
    },
    async removePodSandbox(id) {
      if (!sandboxes.has(id)) return;
      for (const record of [...containers.values()]) if (record.sandboxId === id) remove(record.status.id);
      sandboxes.delete(id);
    },
    async podSandboxStatus(id, options) {
      const status = clone(sandboxOf(id).status);
      const containersStatuses = [...containers.values()].filter((c) => c.sandboxId === id).map((c) => clone(c.status));
      return { status, info: options?.verbose ? { id } : {}, containersStatuses, timestamp: clock.now() };
    },
    async listPodSandbox(filter) {
      return [...sandboxes.values()]
        .map((s) => s.status)
        .filter(
          (s) =>
            (!filter?.id || s.id === filter.id) &&
            (filter?.state === undefined || s.state === filter.state) &&
            matchesLabelSelector(s.labels, filter?.labelSelector),
        )
        .map(({ network: _n, linux: _l, ...rest }) => clone(rest));
    },
    // biome-ignore lint/correctness/useYield: rejects on first next()
    async *streamPodSandboxes() {
      throw unimplemented('StreamPodSandboxes');
    },
    async createContainer(sandboxId, config: ContainerConfig, sandboxConfig) {
      if (!config.metadata?.name) throw invalid('container metadata.name must not be empty');
      if (!config.image?.image) throw invalid('container image.image must not be empty');
      const sandbox = sandboxOf(sandboxId);
      if (sandbox.status.state !== PodSandboxState.SANDBOX_READY) {
        throw new CriError('FailedPrecondition', `pod sandbox "${sandboxId}" is not ready`);
      }
      const image = findImage(config.image.image);
      if (image === undefined) throw new CriError('NotFound', `image "${config.image.image}" is not on the node`);
      for (const c of containers.values()) {
        if (
          c.sandboxId === sandboxId &&
          c.status.metadata.name === config.metadata.name &&
          c.status.metadata.attempt === config.metadata.attempt
        ) {
          throw new CriError('AlreadyExists', `container "${config.metadata.name}" exists in "${sandboxId}"`);
        }
      }
      const id = `container-${++nextId}`;
      const logDirectory = sandboxConfig.logDirectory ?? '';
      const status: ContainerStatus = clone({
        id,
        metadata: config.metadata,
        state: ContainerState.CONTAINER_CREATED,
        createdAt: clock.now(),
        startedAt: 0n,
        finishedAt: 0n,
        exitCode: 0,
        image: config.image,
        imageRef: image.id,
        reason: '',
        message: '',
        labels: config.labels ?? {},
        annotations: config.annotations ?? {},
        mounts: config.mounts ?? [],
        logPath: logDirectory && config.logPath ? `${logDirectory}/${config.logPath}` : '',
        resources: { linux: config.linux?.resources ?? {} },
        imageId: image.id,
      });
      const behaviour = registry.get(image.repoTags[0] ?? '') ?? {};
      containers.set(id, { sandboxId, status, behaviour });
      emit(id, sandboxId, ContainerEventType.CONTAINER_CREATED_EVENT);
      return id;
    },
    async startContainer(id) {
      const record = containerOf(id);
      if (record.status.state !== ContainerState.CONTAINER_CREATED) {
        throw new CriError('FailedPrecondition', `container "${id}" is ${record.status.state}, not created`);
      }
      if (sandboxOf(record.sandboxId).status.state !== PodSandboxState.SANDBOX_READY) {
        throw new CriError('FailedPrecondition', `pod sandbox "${record.sandboxId}" is not ready`);
      }
      record.status.state = ContainerState.CONTAINER_RUNNING;
      record.status.startedAt = clock.now();
      const { exitAfterMs, exitCode = 0 } = record.behaviour;
      if (exitAfterMs !== undefined) record.cancelExit = clock.setTimeout(() => exit(record, exitCode), exitAfterMs);
      emit(id, record.sandboxId, ContainerEventType.CONTAINER_STARTED_EVENT);
    },
    async stopContainer(id, timeoutSeconds) {
      if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 0) throw invalid('timeout must be an integer >= 0');
      const record = containers.get(id);
      if (record !== undefined) kill(record);
    },
    async removeContainer(id) {
      remove(id);
    },
    async listContainers(filter) {
      return [...containers.values()]
        .filter(
          (c) =>
            (!filter?.id || c.status.id === filter.id) &&
            (filter?.state === undefined || c.status.state === filter.state) &&
            (!filter?.podSandboxId || c.sandboxId === filter.podSandboxId) &&
            matchesLabelSelector(c.status.labels, filter?.labelSelector),
        )
        .map(toContainer);
    },
    // biome-ignore lint/correctness/useYield: rejects on first next()
    async *streamContainers() {
      throw unimplemented('StreamContainers');
    },
    async containerStatus(id, options) {
      return { status: clone(containerOf(id).status), info: options?.verbose ? { id } : {} };
    },
    async updateContainerResources(id, update) {
      containerOf(id).status.resources = clone({ linux: update.linux ?? {} });
    },
    async reopenContainerLog(id) {
      containerOf(id);
    },
    async execSync(id, cmd, timeoutSeconds) {
      const record = containerOf(id);
      if (cmd.length === 0) throw invalid('cmd must not be empty');
      if (timeoutSeconds < 0) throw invalid('timeout must be >= 0');
      if (record.status.state !== ContainerState.CONTAINER_RUNNING) {
        throw new CriError('FailedPrecondition', `container "${id}" is not running`);
      }
      return { stdout: new TextEncoder().encode(`${cmd.slice(1).join(' ')}\n`), stderr: new Uint8Array(), exitCode: 0 };
    },
    async exec() {
      throw unimplemented('Exec');
    },
    async attach() {
      throw unimplemented('Attach');
    },
    async portForward() {
      throw unimplemented('PortForward');
    },
    async containerStats(id) {
      return stats(containerOf(id));
    },
    async listContainerStats(filter) {
      return [...containers.values()]
        .filter(
          (c) =>
            c.status.state === ContainerState.CONTAINER_RUNNING &&
            (!filter?.id || c.status.id === filter.id) &&
            (!filter?.podSandboxId || c.sandboxId === filter.podSandboxId) &&
            matchesLabelSelector(c.status.labels, filter?.labelSelector),
        )
        .map(stats);
    },
    // biome-ignore lint/correctness/useYield: rejects on first next()
    async *streamContainerStats() {
      throw unimplemented('StreamContainerStats');
    },
    async podSandboxStats() {
      throw unimplemented('PodSandboxStats');
    },
    async listPodSandboxStats() {
      throw unimplemented('ListPodSandboxStats');
    },
    // biome-ignore lint/correctness/useYield: rejects on first next()
    async *streamPodSandboxStats() {
      throw unimplemented('StreamPodSandboxStats');
    },
    async updateRuntimeConfig() {},
    async status(options) {
      return {
        status: {
          conditions: [
            { type: 'RuntimeReady', status: true, reason: '', message: '' },
            { type: 'NetworkReady', status: true, reason: '', message: '' },
          ],
        },
        info: options?.verbose ? { runtime: '"keelson-test"' } : {},
        runtimeHandlers: [],
      };
    },
    async checkpointContainer() {
      throw unimplemented('CheckpointContainer');
    },
    async checkpointPod() {
      throw unimplemented('CheckpointPod');
    },
    async restorePod() {
      throw unimplemented('RestorePod');
    },
    getContainerEvents(options?: ContainerEventsOptions): AsyncIterable<ContainerEventResponse> {
      return {
        [Symbol.asyncIterator]() {
          const queue: ContainerEventResponse[] = [];
          let wake: (() => void) | undefined;
          let ended = options?.signal?.aborted === true;
          const deliver = (event: ContainerEventResponse) => {
            queue.push(event);
            wake?.();
          };
          const end = () => {
            ended = true;
            subscribers.delete(deliver);
            wake?.();
          };
          if (!ended) subscribers.add(deliver);
          options?.signal?.addEventListener('abort', end, { once: true });
          return {
            async next(): Promise<IteratorResult<ContainerEventResponse>> {
              while (!ended && queue.length === 0) {
                await new Promise<void>((resolve) => {
                  wake = resolve;
                });
                wake = undefined;
              }
              const event = queue.shift();
              return ended || event === undefined ? { done: true, value: undefined } : { done: false, value: event };
            },
            async return(): Promise<IteratorResult<ContainerEventResponse>> {
              end();
              return { done: true, value: undefined };
            },
          };
        },
      };
    },
    async listMetricDescriptors() {
      return [];
    },
    async listPodSandboxMetrics() {
      return [];
    },
    // biome-ignore lint/correctness/useYield: rejects on first next()
    async *streamPodSandboxMetrics() {
      throw unimplemented('StreamPodSandboxMetrics');
    },
    async runtimeConfig() {
      throw unimplemented('RuntimeConfig');
    },
    async updatePodSandboxResources() {
      throw unimplemented('UpdatePodSandboxResources');
    },
  };

  const images: ImageService = {
    async listImages(filter) {
      const ref = filter?.image?.image;
      const found = ref ? [findImage(ref)].filter((i) => i !== undefined) : [...pulled.values()];
      return clone(found);
    },
    // biome-ignore lint/correctness/useYield: rejects on first next()
    async *streamImages() {
      throw unimplemented('StreamImages');
    },
    async imageStatus(spec, options) {
      if (!spec.image) throw invalid('image must not be empty');
      const image = findImage(spec.image);
      return image === undefined ? { info: {} } : { image: clone(image), info: options?.verbose ? { ok: 'true' } : {} };
    },
    async pullImage(spec) {
      if (!spec.image) throw invalid('image must not be empty');
      const present = findImage(spec.image);
      if (present !== undefined) return present.id;
      if (!registry.has(spec.image)) throw new CriError('NotFound', `image "${spec.image}" not found in the registry`);
      const id = `sha256:${createHash('sha256').update(spec.image).digest('hex')}`;
      pulled.set(id, { id, repoTags: [spec.image], repoDigests: [], size: 1024, username: '', pinned: false });
      return id;
    },
    async removeImage(spec) {
      if (!spec.image) throw invalid('image must not be empty');
      const image = findImage(spec.image);
      if (image !== undefined) pulled.delete(image.id);
    },
    async imageFsInfo() {
      return {
        imageFilesystems: [{ timestamp: clock.now(), fsId: { mountpoint: '/var/lib/keelson' }, usedBytes: 0 }],
        containerFilesystems: [],
      };
    },
  };

  return {
    runtime,
    images,
    image: (ref: string, behaviour: ImageBehaviour = {}) => {
      registry.set(ref, behaviour);
    },
    advance: (ms: number) => clock.advance(ms),
  };
}

describeRuntimeConformance('in-memory test runtime', () => createTestRuntime());
