import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContainerEventType, ContainerState, PodSandboxState } from '../enums';
import { type CriError, type CriErrorCode, isCriError } from '../errors';
import type { ImageService, RuntimeService } from '../services';
import type {
  ContainerConfig,
  ContainerEventResponse,
  ContainerStatus,
  PodSandboxConfig,
  PodSandboxStatus,
  StringMap,
} from '../types';
import {
  ContainerExitReason,
  CRI_API_VERSION,
  KUBELET_RUNTIME_API_VERSION,
  KubeletAnnotation,
  KubeletLabel,
  RuntimeConditionType,
} from '../wellKnown';

/** How every container made from an image behaves, for {@link RuntimeConformanceSubject.image}. */
export interface ImageBehaviour {
  /**
   * Milliseconds after `startContainer` at which the container's process
   * exits by itself. Absent: it runs until stopped.
   */
  exitAfterMs?: number;
  /** The exit code of that exit; default 0. Ignored without `exitAfterMs`. */
  exitCode?: number;
}

/**
 * A runtime under test, as {@link describeRuntimeConformance} drives it. The
 * factory makes a fresh one, with no sandboxes, containers or pulled images,
 * for every test.
 */
export interface RuntimeConformanceSubject {
  runtime: RuntimeService;
  images: ImageService;
  /**
   * Makes an image pullable (the mock adds it to its registry; a real runtime
   * would push it to a test registry). It is not on the node until pulled.
   * The suite may call it again for the same ref with the same behaviour;
   * that must be harmless. Each ref is a distinct image (its own id).
   */
  image(ref: string, behaviour?: ImageBehaviour): Promise<void> | void;
  /** Lets time pass: a VirtualClock's `advance`, or a real sleep. Never called concurrently. */
  advance(ms: number): Promise<void>;
  /** Releases whatever the subject holds (timers, processes, temp directories). */
  cleanup?(): Promise<void>;
}

const NS_PER_MS = 1_000_000n;
const REGISTRY = 'registry.keelson.test/conformance';
const APP_IMAGE = `${REGISTRY}/app:1.0`;
const OTHER_IMAGE = `${REGISTRY}/other:2.0`;
const MISSING_IMAGE = `${REGISTRY}/missing:0.0`;
const JOB_OK_IMAGE = `${REGISTRY}/job:succeeds`;
const JOB_FAIL_IMAGE = `${REGISTRY}/job:fails`;
const JOB_RUN_MS = 500;
const JOB_FAIL_CODE = 3;
const UNKNOWN_ID = 'keelson-conformance-no-such-id';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to reject, but it resolved');
}

async function expectCriError(promise: Promise<unknown>, code: CriErrorCode): Promise<CriError> {
  const error = await rejection(promise);
  expect(isCriError(error), `expected a CriError with code ${code}, got ${String(error)}`).toBe(true);
  const criError = error as CriError;
  expect(criError.code, `wrong code for: ${criError.message}`).toBe(code);
  expect(criError.message.length).toBeGreaterThan(0);
  return criError;
}

async function withinRealTime<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const sortedIds = (items: readonly { id: string }[]): string[] => items.map((item) => item.id).sort();

function expectExitReason(status: ContainerStatus): void {
  expect(Number.isInteger(status.exitCode), `exit code ${status.exitCode} is an integer`).toBe(true);
  if (status.reason === ContainerExitReason.OOMKilled) return;
  expect(status.reason).toBe(status.exitCode === 0 ? ContainerExitReason.Completed : ContainerExitReason.Error);
}

interface Subscription {
  readonly received: ContainerEventResponse[];
  /** The events about one container, in arrival order. */
  of(containerId: string): ContainerEventResponse[];
  types(containerId: string): string[];
  readonly failure: unknown;
  /** Aborts the subscription and waits for the iteration to end. */
  close(): Promise<void>;
}

/**
 * The suite every {@link RuntimeService} and {@link ImageService} pair must
 * pass, after kubernetes-sigs/cri-tools `pkg/validate`: sandbox and
 * container lifecycles, idempotent stop and remove, error codes, filters,
 * containers that exit by themselves, container events, exec and stats,
 * images, runtime info and input validation. Call it from a vitest test file
 * with a factory that makes a fresh subject per test.
 *
 * What the suite relies on beyond the TSDoc of the interfaces: every call
 * other than `stopContainer` with a positive timeout settles without time
 * passing (a virtual clock need not move), and the effect of a call is
 * visible as soon as its promise resolves. Timestamps are > 0, so a virtual
 * clock should start at a realistic epoch, not 0.
 *
 * @example
 * ```ts
 * import { describeRuntimeConformance } from '@keelson/cri/conformance';
 *
 * describeRuntimeConformance('mock', () => {
 *   const clock = new VirtualClock(Date.UTC(2025, 0, 1));
 *   const mock = createMockRuntime({ clock });
 *   return {
 *     runtime: mock,
 *     images: mock,
 *     image: (ref, behaviour) => {
 *       mock.registry.add(ref, { behaviour });
 *     },
 *     advance: (ms) => clock.advance(ms),
 *   };
 * });
 * ```
 */
export function describeRuntimeConformance(
  name: string,
  factory: () => RuntimeConformanceSubject | Promise<RuntimeConformanceSubject>,
): void {
  describe(`CRI runtime conformance: ${name}`, () => {
    let subject: RuntimeConformanceSubject;
    let runtime: RuntimeService;
    let images: ImageService;
    let sandboxes: string[];
    let subscriptions: Subscription[];
    let seq = 0;

    beforeEach(async () => {
      subject = await factory();
      runtime = subject.runtime;
      images = subject.images;
      sandboxes = [];
      subscriptions = [];
    });

    afterEach(async () => {
      for (const subscription of subscriptions) await subscription.close().catch(() => undefined);
      for (const id of sandboxes) {
        await runtime.stopPodSandbox(id).catch(() => undefined);
        await runtime.removePodSandbox(id).catch(() => undefined);
      }
      await subject.cleanup?.();
    });

    // ---------------------------------------------------------------------
    // Helpers

    function sandboxConfig(labels: StringMap = {}): PodSandboxConfig {
      const n = ++seq;
      const podName = `conformance-pod-${n}`;
      const uid = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      const namespace = 'keelson-conformance';
      return {
        metadata: { name: podName, uid, namespace, attempt: 0 },
        hostname: podName,
        logDirectory: `/var/log/pods/${namespace}_${podName}_${uid}`,
        dnsConfig: { servers: ['10.96.0.10'], searches: [`${namespace}.svc.cluster.local`], options: ['ndots:5'] },
        labels: {
          [KubeletLabel.PodName]: podName,
          [KubeletLabel.PodNamespace]: namespace,
          [KubeletLabel.PodUid]: uid,
          app: 'conformance',
          ...labels,
        },
        annotations: { 'kubernetes.io/config.source': 'api', 'conformance.keelson.dev/pod': podName },
      };
    }

    function containerConfig(
      sandbox: PodSandboxConfig,
      containerName: string,
      options: { image?: string; attempt?: number; labels?: StringMap } = {},
    ): ContainerConfig {
      const attempt = options.attempt ?? 0;
      const podLabels = sandbox.labels ?? {};
      return {
        metadata: { name: containerName, attempt },
        image: { image: options.image ?? APP_IMAGE },
        command: ['/app'],
        args: ['--serve'],
        workingDir: '/',
        envs: [{ key: 'MODE', value: 'conformance' }],
        labels: {
          [KubeletLabel.PodName]: podLabels[KubeletLabel.PodName] ?? '',
          [KubeletLabel.PodNamespace]: podLabels[KubeletLabel.PodNamespace] ?? '',
          [KubeletLabel.PodUid]: podLabels[KubeletLabel.PodUid] ?? '',
          [KubeletLabel.ContainerName]: containerName,
          ...options.labels,
        },
        annotations: {
          [KubeletAnnotation.ContainerHash]: 'c0ffee',
          [KubeletAnnotation.ContainerRestartCount]: String(attempt),
          [KubeletAnnotation.ContainerTerminationMessagePath]: '/dev/termination-log',
        },
        logPath: `${containerName}/${attempt}.log`,
        linux: { resources: { cpuShares: 102, memoryLimitInBytes: 64 * 1024 * 1024 } },
      };
    }

    async function runSandbox(config: PodSandboxConfig = sandboxConfig()): Promise<string> {
      const id = await runtime.runPodSandbox(config);
      sandboxes.push(id);
      return id;
    }

    async function pull(ref: string = APP_IMAGE, behaviour?: ImageBehaviour): Promise<string> {
      await subject.image(ref, behaviour);
      return images.pullImage({ image: ref });
    }

    interface Made {
      sandboxId: string;
      sandboxConfig: PodSandboxConfig;
      containerId: string;
      config: ContainerConfig;
      imageRef: string;
    }

    async function createContainer(
      options: {
        image?: string;
        behaviour?: ImageBehaviour;
        name?: string;
        labels?: StringMap;
        sandbox?: { id: string; config: PodSandboxConfig };
      } = {},
    ): Promise<Made> {
      const imageRef = await pull(options.image ?? APP_IMAGE, options.behaviour);
      let sandbox = options.sandbox;
      if (sandbox === undefined) {
        const config = sandboxConfig();
        sandbox = { id: await runSandbox(config), config };
      }
      const config = containerConfig(sandbox.config, options.name ?? 'main', {
        ...(options.image === undefined ? {} : { image: options.image }),
        ...(options.labels === undefined ? {} : { labels: options.labels }),
      });
      const containerId = await runtime.createContainer(sandbox.id, config, sandbox.config);
      return { sandboxId: sandbox.id, sandboxConfig: sandbox.config, containerId, config, imageRef };
    }

    async function startedContainer(options: Parameters<typeof createContainer>[0] = {}): Promise<Made> {
      const made = await createContainer(options);
      await runtime.startContainer(made.containerId);
      return made;
    }

    const containerStatus = async (id: string): Promise<ContainerStatus> => (await runtime.containerStatus(id)).status;
    const sandboxStatus = async (id: string): Promise<PodSandboxStatus> => (await runtime.podSandboxStatus(id)).status;

    /** Retries `check`, letting time pass between tries, until it passes or `withinMs` has passed. */
    async function eventually(check: () => unknown, withinMs = 10_000, stepMs = 100): Promise<void> {
      for (let waited = 0; ; waited += stepMs) {
        try {
          await check();
          return;
        } catch (error) {
          if (waited >= withinMs) throw error;
        }
        await subject.advance(stepMs);
      }
    }

    /** Lets time pass until `promise` settles (a stop with a grace period may wait on the clock). */
    async function drive<T>(promise: Promise<T>, maxMs = 60_000, stepMs = 500): Promise<T> {
      let settled = false;
      promise.then(
        () => {
          settled = true;
        },
        () => {
          settled = true;
        },
      );
      await nextMacrotask();
      for (let waited = 0; !settled && waited < maxMs; waited += stepMs) await subject.advance(stepMs);
      return promise;
    }

    /** Subscribes to container events; the subscription is live when this resolves. */
    async function subscribe(): Promise<Subscription> {
      const controller = new AbortController();
      const received: ContainerEventResponse[] = [];
      let failure: unknown;
      const done = (async () => {
        try {
          for await (const event of runtime.getContainerEvents({ signal: controller.signal })) received.push(event);
        } catch (error) {
          failure = error;
        }
      })();
      const subscription: Subscription = {
        received,
        of: (containerId) => received.filter((event) => event.containerId === containerId),
        types: (containerId) =>
          received.filter((event) => event.containerId === containerId).map((event) => event.containerEventType),
        get failure() {
          return failure;
        },
        close: async () => {
          controller.abort();
          await withinRealTime(
            done,
            5_000,
            'aborting the signal passed to getContainerEvents must end the iteration (a pending next() resolves done)',
          );
        },
      };
      subscriptions.push(subscription);
      await subject.advance(0);
      return subscription;
    }

    /** Calls an RPC a runtime may leave out; `undefined` when it answers Unimplemented. */
    async function optional<T>(call: () => Promise<T>): Promise<T | undefined> {
      try {
        return await call();
      } catch (error) {
        if (isCriError(error, 'Unimplemented')) return undefined;
        throw error;
      }
    }

    /** Drains a streaming list; `undefined` when the runtime answers Unimplemented. */
    function drain<T>(stream: () => AsyncIterable<T[]>): Promise<T[] | undefined> {
      return optional(async () => {
        const all: T[] = [];
        for await (const batch of stream()) {
          expect(batch.length, 'a streamed batch holds at least one item').toBeGreaterThan(0);
          all.push(...batch);
        }
        return all;
      });
    }

    // ---------------------------------------------------------------------

    describe('runtime info', () => {
      it('reports its name, version and CRI API version v1', async () => {
        const version = await runtime.version(KUBELET_RUNTIME_API_VERSION);
        expect(version.runtimeApiVersion).toBe(CRI_API_VERSION);
        expect(version.runtimeName).not.toBe('');
        expect(version.runtimeVersion).not.toBe('');
        expect(version.version).not.toBe('');
      });

      it('reports RuntimeReady and NetworkReady true, and no debug info unless verbose', async () => {
        const status = await runtime.status();
        for (const type of [RuntimeConditionType.RuntimeReady, RuntimeConditionType.NetworkReady]) {
          const condition = status.status.conditions.find((c) => c.type === type);
          expect(condition, `condition ${type}`).toBeDefined();
          expect(condition?.status, `condition ${type} is true`).toBe(true);
        }
        expect(status.info).toEqual({});
        expect(Array.isArray(status.runtimeHandlers)).toBe(true);
        const verbose = await runtime.status({ verbose: true });
        expect(verbose.status.conditions.length).toBeGreaterThanOrEqual(2);
      });

      it('accepts the pod CIDR from updateRuntimeConfig', async () => {
        await runtime.updateRuntimeConfig({ networkConfig: { podCidr: '10.244.1.0/24' } });
        await runtime.updateRuntimeConfig({});
      });
    });

    describe('pod sandboxes', () => {
      it('runs a sandbox that is READY and reports its config back', async () => {
        const config = sandboxConfig({ tier: 'web' });
        const id = await runSandbox(config);
        expect(id).not.toBe('');

        const response = await runtime.podSandboxStatus(id);
        expect(response.info).toEqual({});
        const status = response.status;
        expect(status.id).toBe(id);
        expect(status.metadata).toEqual(config.metadata);
        expect(status.state).toBe(PodSandboxState.SANDBOX_READY);
        expect(status.createdAt).toBeGreaterThan(0n);
        expect(status.labels).toMatchObject(config.labels ?? {});
        expect(status.annotations).toEqual(config.annotations);
        expect(status.runtimeHandler).toBe('');

        const listed = await runtime.listPodSandbox({ id });
        expect(listed).toHaveLength(1);
        expect(listed[0]).toMatchObject({
          id,
          metadata: config.metadata,
          state: PodSandboxState.SANDBOX_READY,
          createdAt: status.createdAt,
          annotations: config.annotations,
          runtimeHandler: '',
        });
        expect(listed[0]?.labels).toMatchObject(config.labels ?? {});
      });

      it('stops a sandbox: NOTREADY and still listed; stopping again succeeds', async () => {
        const id = await runSandbox();
        const before = await sandboxStatus(id);
        await runtime.stopPodSandbox(id);
        const after = await sandboxStatus(id);
        expect(after.state).toBe(PodSandboxState.SANDBOX_NOTREADY);
        expect(after.createdAt).toBe(before.createdAt);
        expect(sortedIds(await runtime.listPodSandbox({ id }))).toEqual([id]);

        await runtime.stopPodSandbox(id);
        expect((await sandboxStatus(id)).state).toBe(PodSandboxState.SANDBOX_NOTREADY);
      });

      it('removes a sandbox: status NotFound, no longer listed; removing again succeeds', async () => {
        const id = await runSandbox();
        await runtime.stopPodSandbox(id);
        await runtime.removePodSandbox(id);
        await expectCriError(runtime.podSandboxStatus(id), 'NotFound');
        expect(await runtime.listPodSandbox({ id })).toEqual([]);
        await runtime.removePodSandbox(id);
        await runtime.stopPodSandbox(id);
      });

      it('answers NotFound for the status of an unknown sandbox, and stops and removes one without error', async () => {
        const error = await expectCriError(runtime.podSandboxStatus(UNKNOWN_ID), 'NotFound');
        expect(error.message).toContain(UNKNOWN_ID);
        await runtime.stopPodSandbox(UNKNOWN_ID);
        await runtime.removePodSandbox(UNKNOWN_ID);
      });

      it('removes a READY sandbox with running and created containers in one call', async () => {
        const running = await startedContainer();
        const sandbox = { id: running.sandboxId, config: running.sandboxConfig };
        const created = await createContainer({ sandbox, name: 'sidecar' });
        await runtime.removePodSandbox(running.sandboxId);

        await expectCriError(runtime.podSandboxStatus(running.sandboxId), 'NotFound');
        await expectCriError(runtime.containerStatus(running.containerId), 'NotFound');
        await expectCriError(runtime.containerStatus(created.containerId), 'NotFound');
        expect(await runtime.listContainers({ podSandboxId: running.sandboxId })).toEqual([]);
        expect(await runtime.listContainers({ id: running.containerId })).toEqual([]);
      });

      it('refuses a second sandbox with the same metadata until the first is removed; the next attempt is fine', async () => {
        const config = sandboxConfig();
        const first = await runSandbox(config);
        await expectCriError(runtime.runPodSandbox(config), 'AlreadyExists');
        await runtime.stopPodSandbox(first);
        await expectCriError(runtime.runPodSandbox(config), 'AlreadyExists');
        expect(sortedIds(await runtime.listPodSandbox({ labelSelector: config.labels ?? {} }))).toEqual([first]);

        const second = await runSandbox({ ...config, metadata: { ...config.metadata, attempt: 1 } });
        expect(second).not.toBe(first);
        expect((await sandboxStatus(second)).metadata.attempt).toBe(1);

        await runtime.removePodSandbox(first);
        const third = await runSandbox(config);
        expect([first, second]).not.toContain(third);
      });

      it('rejects an unknown runtime handler with NotFound and creates nothing', async () => {
        const config = sandboxConfig();
        await expectCriError(runtime.runPodSandbox(config, 'keelson-conformance-no-such-handler'), 'NotFound');
        expect(await runtime.listPodSandbox({ labelSelector: config.labels ?? {} })).toEqual([]);
      });

      it('keeps labels, annotations and metadata as given: later changes to configs or results do not leak in', async () => {
        const labels: StringMap = { tier: 'web' };
        const annotations: StringMap = { note: 'original' };
        const config: PodSandboxConfig = { ...sandboxConfig(labels), annotations };
        const expectedLabels = { ...config.labels };
        const expectedMetadata = { ...config.metadata };
        const id = await runSandbox({ ...config, labels: { ...expectedLabels } });
        annotations.note = 'changed';
        annotations.added = 'later';
        config.metadata.name = 'changed';

        const status = await sandboxStatus(id);
        expect(status.annotations).toEqual({ note: 'original' });
        expect(status.metadata).toEqual(expectedMetadata);
        status.labels.tier = 'mutated';
        status.annotations.note = 'mutated';
        status.metadata.name = 'mutated';
        const listed = await runtime.listPodSandbox({ id });
        for (const item of listed) item.annotations.note = 'mutated';

        const again = await sandboxStatus(id);
        expect(again.labels).toMatchObject(expectedLabels);
        expect(again.annotations).toEqual({ note: 'original' });
        expect(again.metadata).toEqual(expectedMetadata);
        expect((await runtime.listPodSandbox({ id }))[0]?.annotations).toEqual({ note: 'original' });
      });
    });

    describe('containers', () => {
      it('creates a container: CREATED, with its metadata, image, labels, annotations and log path', async () => {
        const made = await createContainer();
        const response = await runtime.containerStatus(made.containerId);
        expect(response.info).toEqual({});
        const status = response.status;
        expect(status.id).toBe(made.containerId);
        expect(status.metadata).toEqual(made.config.metadata);
        expect(status.state).toBe(ContainerState.CONTAINER_CREATED);
        expect(status.createdAt).toBeGreaterThan(0n);
        expect(status.startedAt).toBe(0n);
        expect(status.finishedAt).toBe(0n);
        expect(status.exitCode).toBe(0);
        expect(status.reason).toBe('');
        expect(status.image.image).not.toBe('');
        expect(status.imageRef).not.toBe('');
        expect(status.imageId).toBe(made.imageRef);
        expect(status.labels).toMatchObject(made.config.labels ?? {});
        expect(status.annotations).toEqual(made.config.annotations);
        expect(status.logPath).toBe(`${made.sandboxConfig.logDirectory}/${made.config.logPath}`);

        const listed = await runtime.listContainers({ id: made.containerId });
        expect(listed).toHaveLength(1);
        expect(listed[0]).toMatchObject({
          id: made.containerId,
          podSandboxId: made.sandboxId,
          metadata: made.config.metadata,
          state: ContainerState.CONTAINER_CREATED,
          createdAt: status.createdAt,
          annotations: made.config.annotations,
          imageId: made.imageRef,
        });
        expect(listed[0]?.labels).toMatchObject(made.config.labels ?? {});
      });

      it('starts a container: RUNNING, with startedAt after createdAt', async () => {
        const made = await createContainer();
        await subject.advance(100);
        await runtime.startContainer(made.containerId);
        const status = await containerStatus(made.containerId);
        expect(status.state).toBe(ContainerState.CONTAINER_RUNNING);
        expect(status.startedAt - status.createdAt).toBeGreaterThanOrEqual(100n * NS_PER_MS);
        expect(status.finishedAt).toBe(0n);
        expect(status.reason).toBe('');
        expect((await runtime.listContainers({ id: made.containerId }))[0]?.state).toBe(
          ContainerState.CONTAINER_RUNNING,
        );
      });

      it('stops a running container: EXITED with finishedAt, exit code and reason; stopping again changes nothing', async () => {
        const made = await startedContainer();
        await subject.advance(100);
        await runtime.stopContainer(made.containerId, 0);
        const status = await containerStatus(made.containerId);
        expect(status.state).toBe(ContainerState.CONTAINER_EXITED);
        expect(status.startedAt).toBeGreaterThan(0n);
        expect(status.finishedAt - status.startedAt).toBeGreaterThanOrEqual(100n * NS_PER_MS);
        expectExitReason(status);

        await subject.advance(100);
        await runtime.stopContainer(made.containerId, 0);
        await runtime.stopContainer(made.containerId, 30);
        const again = await containerStatus(made.containerId);
        expect(again).toEqual(status);
      });

      it('stops a running container with a grace period', async () => {
        const made = await startedContainer();
        await drive(runtime.stopContainer(made.containerId, 2));
        const status = await containerStatus(made.containerId);
        expect(status.state).toBe(ContainerState.CONTAINER_EXITED);
        expect(status.finishedAt).toBeGreaterThanOrEqual(status.startedAt);
        expectExitReason(status);
      });

      it('leaves a created, never started container CREATED when asked to stop it', async () => {
        const made = await createContainer();
        await runtime.stopContainer(made.containerId, 0);
        expect((await containerStatus(made.containerId)).state).toBe(ContainerState.CONTAINER_CREATED);
        await runtime.startContainer(made.containerId);
        expect((await containerStatus(made.containerId)).state).toBe(ContainerState.CONTAINER_RUNNING);
      });

      it('removes containers in every state; removing again succeeds', async () => {
        const created = await createContainer({ name: 'created' });
        const sandbox = { id: created.sandboxId, config: created.sandboxConfig };
        const running = await startedContainer({ sandbox, name: 'running' });
        const exited = await startedContainer({ sandbox, name: 'exited' });
        await runtime.stopContainer(exited.containerId, 0);

        for (const { containerId } of [created, running, exited]) {
          await runtime.removeContainer(containerId);
          await expectCriError(runtime.containerStatus(containerId), 'NotFound');
          expect(await runtime.listContainers({ id: containerId })).toEqual([]);
          await runtime.removeContainer(containerId);
          await runtime.stopContainer(containerId, 0);
        }
        expect(await runtime.listContainers({ podSandboxId: created.sandboxId })).toEqual([]);
        expect((await sandboxStatus(created.sandboxId)).state).toBe(PodSandboxState.SANDBOX_READY);
      });

      it('answers NotFound for an unknown container, except for stop and remove, which succeed', async () => {
        const error = await expectCriError(runtime.containerStatus(UNKNOWN_ID), 'NotFound');
        expect(error.message).toContain(UNKNOWN_ID);
        await expectCriError(runtime.startContainer(UNKNOWN_ID), 'NotFound');
        await expectCriError(runtime.containerStats(UNKNOWN_ID), 'NotFound');
        await expectCriError(runtime.execSync(UNKNOWN_ID, ['true'], 0), 'NotFound');
        await runtime.stopContainer(UNKNOWN_ID, 0);
        await runtime.removeContainer(UNKNOWN_ID);
      });

      it('refuses to start a container twice or after it exited, and changes nothing', async () => {
        const made = await startedContainer();
        const running = await containerStatus(made.containerId);
        await expectCriError(runtime.startContainer(made.containerId), 'FailedPrecondition');
        expect(await containerStatus(made.containerId)).toEqual(running);

        await runtime.stopContainer(made.containerId, 0);
        const exited = await containerStatus(made.containerId);
        await expectCriError(runtime.startContainer(made.containerId), 'FailedPrecondition');
        expect(await containerStatus(made.containerId)).toEqual(exited);
      });

      it('refuses to create a container in an unknown sandbox (NotFound) or a stopped one (FailedPrecondition)', async () => {
        await pull();
        const config = sandboxConfig();
        const error = await expectCriError(
          runtime.createContainer(UNKNOWN_ID, containerConfig(config, 'main'), config),
          'NotFound',
        );
        expect(error.message).toContain(UNKNOWN_ID);

        const id = await runSandbox(config);
        await runtime.stopPodSandbox(id);
        await expectCriError(
          runtime.createContainer(id, containerConfig(config, 'main'), config),
          'FailedPrecondition',
        );
        expect(await runtime.listContainers({ podSandboxId: id })).toEqual([]);
      });

      it('refuses a container whose image is not on the node (NotFound)', async () => {
        await subject.image(OTHER_IMAGE);
        const config = sandboxConfig();
        const id = await runSandbox(config);
        for (const image of [OTHER_IMAGE, MISSING_IMAGE]) {
          await expectCriError(
            runtime.createContainer(id, containerConfig(config, 'main', { image }), config),
            'NotFound',
          );
        }
        expect(await runtime.listContainers({ podSandboxId: id })).toEqual([]);
      });

      it('creates a container from the image id that pullImage returned', async () => {
        const imageRef = await pull();
        const config = sandboxConfig();
        const id = await runSandbox(config);
        const containerId = await runtime.createContainer(
          id,
          containerConfig(config, 'main', { image: imageRef }),
          config,
        );
        expect((await containerStatus(containerId)).imageId).toBe(imageRef);
      });

      it('refuses a second container with the same name and attempt in a sandbox; the next attempt is fine', async () => {
        const made = await createContainer();
        await expectCriError(runtime.createContainer(made.sandboxId, made.config, made.sandboxConfig), 'AlreadyExists');
        expect(await runtime.listContainers({ podSandboxId: made.sandboxId })).toHaveLength(1);

        const next = containerConfig(made.sandboxConfig, 'main', { attempt: 1 });
        const nextId = await runtime.createContainer(made.sandboxId, next, made.sandboxConfig);
        expect((await containerStatus(nextId)).metadata).toEqual({ name: 'main', attempt: 1 });

        const other = await createContainer({ name: 'main' });
        expect(other.sandboxId).not.toBe(made.sandboxId);
      });

      it('keeps labels and annotations as given: later changes to configs or results do not leak in', async () => {
        const made = await createContainer();
        const expectedAnnotations = { ...made.config.annotations };
        const expectedMetadata = { ...made.config.metadata };
        if (made.config.annotations !== undefined) made.config.annotations.note = 'added later';
        made.config.metadata.name = 'changed';

        const status = await containerStatus(made.containerId);
        expect(status.annotations).toEqual(expectedAnnotations);
        expect(status.metadata).toEqual(expectedMetadata);
        status.annotations.note = 'mutated';
        status.labels.extra = 'mutated';
        status.metadata.attempt = 99;

        const again = await containerStatus(made.containerId);
        expect(again.annotations).toEqual(expectedAnnotations);
        expect(again.labels.extra).toBeUndefined();
        expect(again.metadata).toEqual(expectedMetadata);
      });
    });

    describe('stopping a sandbox', () => {
      it('kills its running containers, which become EXITED; created ones cannot start any more', async () => {
        const running = await startedContainer();
        const sandbox = { id: running.sandboxId, config: running.sandboxConfig };
        const created = await createContainer({ sandbox, name: 'sidecar' });
        await subject.advance(100);
        await runtime.stopPodSandbox(running.sandboxId);

        expect((await sandboxStatus(running.sandboxId)).state).toBe(PodSandboxState.SANDBOX_NOTREADY);
        const exited = await containerStatus(running.containerId);
        expect(exited.state).toBe(ContainerState.CONTAINER_EXITED);
        expect(exited.finishedAt - exited.startedAt).toBeGreaterThanOrEqual(100n * NS_PER_MS);
        expectExitReason(exited);

        expect((await containerStatus(created.containerId)).state).not.toBe(ContainerState.CONTAINER_RUNNING);
        await expectCriError(runtime.startContainer(created.containerId), 'FailedPrecondition');
        expect((await containerStatus(created.containerId)).state).not.toBe(ContainerState.CONTAINER_RUNNING);
        expect(sortedIds(await runtime.listContainers({ podSandboxId: running.sandboxId }))).toEqual(
          [running.containerId, created.containerId].sort(),
        );
      });
    });

    describe('containers that exit by themselves', () => {
      it('reports EXITED with exit code 0 and reason Completed, or the code and reason Error', async () => {
        const ok = await createContainer({
          image: JOB_OK_IMAGE,
          behaviour: { exitAfterMs: JOB_RUN_MS, exitCode: 0 },
          name: 'ok',
        });
        const sandbox = { id: ok.sandboxId, config: ok.sandboxConfig };
        const failing = await createContainer({
          sandbox,
          image: JOB_FAIL_IMAGE,
          behaviour: { exitAfterMs: JOB_RUN_MS, exitCode: JOB_FAIL_CODE },
          name: 'failing',
        });
        await runtime.startContainer(ok.containerId);
        await runtime.startContainer(failing.containerId);

        await subject.advance(JOB_RUN_MS - 100);
        expect((await containerStatus(ok.containerId)).state).toBe(ContainerState.CONTAINER_RUNNING);
        expect((await containerStatus(failing.containerId)).state).toBe(ContainerState.CONTAINER_RUNNING);

        await eventually(async () => {
          expect((await containerStatus(ok.containerId)).state).toBe(ContainerState.CONTAINER_EXITED);
          expect((await containerStatus(failing.containerId)).state).toBe(ContainerState.CONTAINER_EXITED);
        });
        const done = await containerStatus(ok.containerId);
        expect(done.exitCode).toBe(0);
        expect(done.reason).toBe(ContainerExitReason.Completed);
        expect(done.finishedAt - done.startedAt).toBeGreaterThanOrEqual(BigInt(JOB_RUN_MS - 100) * NS_PER_MS);
        const failed = await containerStatus(failing.containerId);
        expect(failed.exitCode).toBe(JOB_FAIL_CODE);
        expect(failed.reason).toBe(ContainerExitReason.Error);
        expect(failed.finishedAt).toBeGreaterThan(failed.startedAt);

        await runtime.stopContainer(failing.containerId, 0);
        expect(await containerStatus(failing.containerId)).toEqual(failed);
        const listed = await runtime.listContainers({
          podSandboxId: ok.sandboxId,
          state: ContainerState.CONTAINER_EXITED,
        });
        expect(sortedIds(listed)).toEqual([ok.containerId, failing.containerId].sort());
      });

      it('does not exit before it is started, however much time passes', async () => {
        const job = await createContainer({ image: JOB_OK_IMAGE, behaviour: { exitAfterMs: JOB_RUN_MS } });
        await subject.advance(JOB_RUN_MS * 4);
        expect((await containerStatus(job.containerId)).state).toBe(ContainerState.CONTAINER_CREATED);
      });

      it('keeps the exit of a stop that came first', async () => {
        const job = await startedContainer({
          image: JOB_FAIL_IMAGE,
          behaviour: { exitAfterMs: JOB_RUN_MS, exitCode: JOB_FAIL_CODE },
        });
        await runtime.stopContainer(job.containerId, 0);
        const stopped = await containerStatus(job.containerId);
        await subject.advance(JOB_RUN_MS * 2);
        expect(await containerStatus(job.containerId)).toEqual(stopped);
      });
    });

    describe('listing and filters', () => {
      it('filters sandboxes by id, state and label selector, combined with AND', async () => {
        const aConfig = sandboxConfig({ tier: 'web' });
        const bConfig = sandboxConfig({ tier: 'db' });
        const a = await runSandbox(aConfig);
        const b = await runSandbox(bConfig);
        await runtime.stopPodSandbox(b);
        const ours = (items: readonly { id: string }[]) => sortedIds(items).filter((id) => id === a || id === b);
        const both = [a, b].sort();

        expect(ours(await runtime.listPodSandbox())).toEqual(both);
        expect(ours(await runtime.listPodSandbox({}))).toEqual(both);
        expect(sortedIds(await runtime.listPodSandbox({ id: a }))).toEqual([a]);
        expect(ours(await runtime.listPodSandbox({ state: PodSandboxState.SANDBOX_READY }))).toEqual([a]);
        expect(ours(await runtime.listPodSandbox({ state: PodSandboxState.SANDBOX_NOTREADY }))).toEqual([b]);
        expect(ours(await runtime.listPodSandbox({ labelSelector: { tier: 'web' } }))).toEqual([a]);
        expect(ours(await runtime.listPodSandbox({ labelSelector: { tier: 'web', app: 'conformance' } }))).toEqual([a]);
        expect(ours(await runtime.listPodSandbox({ labelSelector: { tier: 'web', app: 'other' } }))).toEqual([]);
        expect(ours(await runtime.listPodSandbox({ labelSelector: { app: 'conformance' } }))).toEqual(both);
        expect(ours(await runtime.listPodSandbox({ labelSelector: {} }))).toEqual(both);
        expect(await runtime.listPodSandbox({ id: a, state: PodSandboxState.SANDBOX_NOTREADY })).toEqual([]);
        expect(sortedIds(await runtime.listPodSandbox({ id: b, state: PodSandboxState.SANDBOX_NOTREADY }))).toEqual([
          b,
        ]);
        expect(await runtime.listPodSandbox({ id: a, labelSelector: { tier: 'db' } })).toEqual([]);
        expect(await runtime.listPodSandbox({ id: UNKNOWN_ID })).toEqual([]);
      });

      it('filters containers by id, state, sandbox id and label selector, combined with AND', async () => {
        const c1 = await startedContainer({ name: 'main', labels: { role: 'main' } });
        const a = { id: c1.sandboxId, config: c1.sandboxConfig };
        const c2 = await createContainer({ sandbox: a, name: 'sidecar', labels: { role: 'sidecar' } });
        const c3 = await startedContainer({ name: 'main', labels: { role: 'main' } });
        const all = [c1.containerId, c2.containerId, c3.containerId];
        const ours = (items: readonly { id: string }[]) => sortedIds(items).filter((id) => all.includes(id));
        const sorted = (...ids: string[]) => ids.sort();

        expect(ours(await runtime.listContainers())).toEqual(sorted(...all));
        expect(sortedIds(await runtime.listContainers({ podSandboxId: c1.sandboxId }))).toEqual(
          sorted(c1.containerId, c2.containerId),
        );
        expect(ours(await runtime.listContainers({ state: ContainerState.CONTAINER_RUNNING }))).toEqual(
          sorted(c1.containerId, c3.containerId),
        );
        expect(ours(await runtime.listContainers({ state: ContainerState.CONTAINER_CREATED }))).toEqual([
          c2.containerId,
        ]);
        expect(ours(await runtime.listContainers({ labelSelector: { role: 'main' } }))).toEqual(
          sorted(c1.containerId, c3.containerId),
        );
        expect(
          ours(await runtime.listContainers({ labelSelector: { role: 'main', [KubeletLabel.ContainerName]: 'main' } })),
        ).toEqual(sorted(c1.containerId, c3.containerId));
        expect(
          sortedIds(
            await runtime.listContainers({ podSandboxId: c1.sandboxId, state: ContainerState.CONTAINER_RUNNING }),
          ),
        ).toEqual([c1.containerId]);
        expect(
          await runtime.listContainers({ podSandboxId: c3.sandboxId, labelSelector: { role: 'sidecar' } }),
        ).toEqual([]);
        expect(sortedIds(await runtime.listContainers({ id: c2.containerId }))).toEqual([c2.containerId]);
        expect(await runtime.listContainers({ id: c2.containerId, state: ContainerState.CONTAINER_RUNNING })).toEqual(
          [],
        );
        expect(await runtime.listContainers({ podSandboxId: UNKNOWN_ID })).toEqual([]);
      });
    });

    describe('container events', () => {
      it('streams created, started, stopped and deleted in order, with the statuses of the moment', async () => {
        const events = await subscribe();
        const made = await createContainer();
        await runtime.startContainer(made.containerId);
        await runtime.stopContainer(made.containerId, 0);
        await runtime.stopContainer(made.containerId, 0);
        await runtime.removeContainer(made.containerId);
        await runtime.removeContainer(made.containerId);

        await eventually(() => expect(events.of(made.containerId).length).toBeGreaterThanOrEqual(4));
        await subject.advance(100);
        expect(events.types(made.containerId)).toEqual([
          ContainerEventType.CONTAINER_CREATED_EVENT,
          ContainerEventType.CONTAINER_STARTED_EVENT,
          ContainerEventType.CONTAINER_STOPPED_EVENT,
          ContainerEventType.CONTAINER_DELETED_EVENT,
        ]);

        const expectedState = [
          ContainerState.CONTAINER_CREATED,
          ContainerState.CONTAINER_RUNNING,
          ContainerState.CONTAINER_EXITED,
          undefined,
        ];
        let previous = 0n;
        events.of(made.containerId).forEach((event, i) => {
          expect(event.createdAt).toBeGreaterThan(0n);
          expect(event.createdAt).toBeGreaterThanOrEqual(previous);
          previous = event.createdAt;
          expect(event.podSandboxStatus?.id).toBe(made.sandboxId);
          const own = event.containersStatuses.find((s) => s.id === made.containerId);
          expect(own?.state, `container state in the ${event.containerEventType} event`).toBe(expectedState[i]);
        });
        expect(events.failure).toBeUndefined();
      });

      it('reports a container that exits by itself, and a running container that is removed, as stopped', async () => {
        const events = await subscribe();
        const job = await startedContainer({ image: JOB_OK_IMAGE, behaviour: { exitAfterMs: JOB_RUN_MS } });
        const sandbox = { id: job.sandboxId, config: job.sandboxConfig };
        const server = await startedContainer({ sandbox, name: 'server' });

        await eventually(() =>
          expect(events.types(job.containerId)).toContain(ContainerEventType.CONTAINER_STOPPED_EVENT),
        );
        expect(events.types(server.containerId)).not.toContain(ContainerEventType.CONTAINER_STOPPED_EVENT);

        await runtime.removeContainer(server.containerId);
        await eventually(() => expect(events.of(server.containerId).length).toBeGreaterThanOrEqual(4));
        expect(events.types(server.containerId)).toEqual([
          ContainerEventType.CONTAINER_CREATED_EVENT,
          ContainerEventType.CONTAINER_STARTED_EVENT,
          ContainerEventType.CONTAINER_STOPPED_EVENT,
          ContainerEventType.CONTAINER_DELETED_EVENT,
        ]);
      });

      it('reports stopped and deleted for the containers of a sandbox that is stopped and removed', async () => {
        const events = await subscribe();
        const made = await startedContainer();
        await runtime.stopPodSandbox(made.sandboxId);
        await runtime.removePodSandbox(made.sandboxId);
        await eventually(() => expect(events.of(made.containerId).length).toBeGreaterThanOrEqual(4));
        expect(events.types(made.containerId)).toEqual([
          ContainerEventType.CONTAINER_CREATED_EVENT,
          ContainerEventType.CONTAINER_STARTED_EVENT,
          ContainerEventType.CONTAINER_STOPPED_EVENT,
          ContainerEventType.CONTAINER_DELETED_EVENT,
        ]);
      });

      it('does not replay events from before the subscription, and serves several subscribers', async () => {
        const made = await createContainer();
        const first = await subscribe();
        const second = await subscribe();
        await runtime.startContainer(made.containerId);
        await eventually(() => {
          expect(first.of(made.containerId).length).toBeGreaterThanOrEqual(1);
          expect(second.of(made.containerId).length).toBeGreaterThanOrEqual(1);
        });
        expect(first.types(made.containerId)).toEqual([ContainerEventType.CONTAINER_STARTED_EVENT]);
        expect(second.types(made.containerId)).toEqual([ContainerEventType.CONTAINER_STARTED_EVENT]);
      });

      it('ends the stream quietly when the signal is aborted, and delivers nothing after', async () => {
        const events = await subscribe();
        const made = await createContainer();
        await eventually(() => expect(events.of(made.containerId)).toHaveLength(1));
        await events.close();
        expect(events.failure).toBeUndefined();
        await runtime.startContainer(made.containerId);
        await subject.advance(100);
        expect(events.types(made.containerId)).toEqual([ContainerEventType.CONTAINER_CREATED_EVENT]);
      });
    });

    describe('exec and stats', () => {
      it('runs execSync in a running container and returns its output as bytes', async () => {
        const made = await startedContainer();
        const result = await runtime.execSync(made.containerId, ['echo', 'conformance'], 10);
        expect(result.stdout).toBeInstanceOf(Uint8Array);
        expect(result.stderr).toBeInstanceOf(Uint8Array);
        expect(Number.isInteger(result.exitCode)).toBe(true);
        expect((await containerStatus(made.containerId)).state).toBe(ContainerState.CONTAINER_RUNNING);
      });

      it('refuses execSync in a container that is not running (FailedPrecondition) and bad commands (InvalidArgument)', async () => {
        const made = await createContainer();
        await expectCriError(runtime.execSync(made.containerId, ['true'], 0), 'FailedPrecondition');
        await runtime.startContainer(made.containerId);
        await expectCriError(runtime.execSync(made.containerId, [], 0), 'InvalidArgument');
        await expectCriError(runtime.execSync(made.containerId, ['true'], -1), 'InvalidArgument');
        await runtime.stopContainer(made.containerId, 0);
        await expectCriError(runtime.execSync(made.containerId, ['true'], 0), 'FailedPrecondition');
      });

      it('reports stats of a running container, alone and in filtered lists', async () => {
        const made = await startedContainer({ labels: { role: 'measured' } });
        const stats = await runtime.containerStats(made.containerId);
        expect(stats.attributes.id).toBe(made.containerId);
        expect(stats.attributes.metadata).toEqual(made.config.metadata);
        expect(stats.attributes.labels).toMatchObject(made.config.labels ?? {});
        expect(stats.attributes.annotations).toEqual(made.config.annotations);
        expect(stats.cpu?.timestamp).toBeGreaterThan(0n);
        expect(stats.memory?.timestamp).toBeGreaterThan(0n);

        const has = (list: readonly { attributes: { id: string } }[]) =>
          list.some((s) => s.attributes.id === made.containerId);
        expect(has(await runtime.listContainerStats())).toBe(true);
        expect(has(await runtime.listContainerStats({ id: made.containerId }))).toBe(true);
        expect(has(await runtime.listContainerStats({ podSandboxId: made.sandboxId }))).toBe(true);
        expect(has(await runtime.listContainerStats({ labelSelector: { role: 'measured' } }))).toBe(true);
        expect(has(await runtime.listContainerStats({ labelSelector: { role: 'other' } }))).toBe(false);
        expect(has(await runtime.listContainerStats({ podSandboxId: UNKNOWN_ID }))).toBe(false);
      });
    });

    describe('images', () => {
      it('pulls an image that is then listed and found by tag, id and digest', async () => {
        await subject.image(APP_IMAGE);
        expect((await images.imageStatus({ image: APP_IMAGE })).image).toBeUndefined();

        const imageRef = await images.pullImage({ image: APP_IMAGE });
        expect(imageRef).not.toBe('');
        const response = await images.imageStatus({ image: APP_IMAGE });
        expect(response.info).toEqual({});
        const image = response.image;
        expect(image?.id).toBe(imageRef);
        expect(image?.repoTags).toContain(APP_IMAGE);
        expect(image?.size).toBeGreaterThan(0);
        expect((await images.imageStatus({ image: imageRef })).image).toEqual(image);
        for (const digest of image?.repoDigests ?? []) {
          expect((await images.imageStatus({ image: digest })).image?.id).toBe(imageRef);
        }

        expect((await images.listImages()).map((i) => i.id)).toContain(imageRef);
        const filtered = await images.listImages({ image: { image: APP_IMAGE } });
        expect(filtered.map((i) => i.id)).toEqual([imageRef]);
        expect(await images.pullImage({ image: APP_IMAGE })).toBe(imageRef);
        expect((await images.listImages()).filter((i) => i.id === imageRef)).toHaveLength(1);
      });

      it('gives different images different ids, and accepts credentials and a sandbox config', async () => {
        const app = await pull(APP_IMAGE);
        await subject.image(OTHER_IMAGE);
        const other = await images.pullImage(
          { image: OTHER_IMAGE },
          { username: 'conformance', password: 'secret', serverAddress: 'registry.keelson.test' },
          sandboxConfig(),
        );
        expect(other).not.toBe(app);
        const ids = (await images.listImages()).map((i) => i.id);
        expect(ids).toContain(app);
        expect(ids).toContain(other);
        expect((await images.listImages({ image: { image: OTHER_IMAGE } })).map((i) => i.id)).toEqual([other]);
      });

      it('answers NotFound for an image the registry does not have, and lists nothing new', async () => {
        const before = (await images.listImages()).map((i) => i.id).sort();
        await expectCriError(images.pullImage({ image: MISSING_IMAGE }), 'NotFound');
        expect((await images.listImages()).map((i) => i.id).sort()).toEqual(before);
        expect((await images.imageStatus({ image: MISSING_IMAGE })).image).toBeUndefined();
        expect(await images.listImages({ image: { image: MISSING_IMAGE } })).toEqual([]);
      });

      it('removes an image by tag so that no name finds it; removing again succeeds', async () => {
        const imageRef = await pull(APP_IMAGE);
        await images.removeImage({ image: APP_IMAGE });
        expect((await images.imageStatus({ image: APP_IMAGE })).image).toBeUndefined();
        expect((await images.imageStatus({ image: imageRef })).image).toBeUndefined();
        expect((await images.listImages()).map((i) => i.id)).not.toContain(imageRef);
        await images.removeImage({ image: APP_IMAGE });
        await images.removeImage({ image: imageRef });
        await images.removeImage({ image: MISSING_IMAGE });

        expect(await pull(APP_IMAGE)).toBe(imageRef);
        await images.removeImage({ image: imageRef });
        expect((await images.imageStatus({ image: APP_IMAGE })).image).toBeUndefined();
      });

      it('reports the image file system', async () => {
        await pull();
        const info = await images.imageFsInfo();
        expect(info.imageFilesystems.length).toBeGreaterThanOrEqual(1);
        for (const fs of info.imageFilesystems) {
          expect(fs.timestamp).toBeGreaterThan(0n);
          expect(fs.fsId?.mountpoint).toBeTruthy();
          expect(fs.usedBytes).toBeGreaterThanOrEqual(0);
        }
        expect(Array.isArray(info.containerFilesystems)).toBe(true);
      });
    });

    describe('bad input', () => {
      it('refuses a sandbox with an empty name, uid or namespace (InvalidArgument) and creates nothing', async () => {
        const config = sandboxConfig();
        for (const field of ['name', 'uid', 'namespace'] as const) {
          const bad: PodSandboxConfig = { ...config, metadata: { ...config.metadata, [field]: '' } };
          const error = await expectCriError(runtime.runPodSandbox(bad), 'InvalidArgument');
          expect(error.message).toContain(field);
        }
        expect(await runtime.listPodSandbox({ labelSelector: config.labels ?? {} })).toEqual([]);
      });

      it('refuses a container with an empty name or image (InvalidArgument) and creates nothing', async () => {
        await pull();
        const config = sandboxConfig();
        const id = await runSandbox(config);
        const good = containerConfig(config, 'main');
        await expectCriError(
          runtime.createContainer(id, { ...good, metadata: { name: '', attempt: 0 } }, config),
          'InvalidArgument',
        );
        await expectCriError(runtime.createContainer(id, { ...good, image: { image: '' } }, config), 'InvalidArgument');
        expect(await runtime.listContainers({ podSandboxId: id })).toEqual([]);
      });

      it('refuses a negative stop timeout (InvalidArgument) and leaves the container running', async () => {
        const made = await startedContainer();
        await expectCriError(runtime.stopContainer(made.containerId, -1), 'InvalidArgument');
        expect((await containerStatus(made.containerId)).state).toBe(ContainerState.CONTAINER_RUNNING);
      });

      it('refuses an empty image name in pull, status and remove (InvalidArgument) and changes nothing', async () => {
        const imageRef = await pull();
        await expectCriError(images.pullImage({ image: '' }), 'InvalidArgument');
        await expectCriError(images.imageStatus({ image: '' }), 'InvalidArgument');
        await expectCriError(images.removeImage({ image: '' }), 'InvalidArgument');
        expect((await images.listImages()).map((i) => i.id)).toContain(imageRef);
      });
    });

    describe('RPCs the kubelet needs less often', () => {
      it('updates container resources in place', async () => {
        const made = await startedContainer();
        const linux = { cpuShares: 512, memoryLimitInBytes: 128 * 1024 * 1024 };
        await runtime.updateContainerResources(made.containerId, { linux });
        expect((await containerStatus(made.containerId)).resources?.linux).toMatchObject(linux);
        await expectCriError(runtime.updateContainerResources(UNKNOWN_ID, { linux }), 'NotFound');
      });

      it('reopens the log of a running container', async () => {
        const made = await startedContainer();
        await runtime.reopenContainerLog(made.containerId);
        await expectCriError(runtime.reopenContainerLog(UNKNOWN_ID), 'NotFound');
      });

      it('answers the optional RPCs or rejects them with Unimplemented', async () => {
        const made = await startedContainer();

        const config = await optional(() => runtime.runtimeConfig());
        if (config?.linux !== undefined) expect(['SYSTEMD', 'CGROUPFS']).toContain(config.linux.cgroupDriver);

        const descriptors = await optional(() => runtime.listMetricDescriptors());
        if (descriptors !== undefined) {
          const names = descriptors.map((d) => d.name);
          expect(new Set(names).size).toBe(names.length);
        }
        const metrics = await optional(() => runtime.listPodSandboxMetrics());
        if (metrics !== undefined) expect(Array.isArray(metrics)).toBe(true);

        const podStats = await optional(() => runtime.podSandboxStats(made.sandboxId));
        if (podStats !== undefined) {
          expect(podStats.attributes.id).toBe(made.sandboxId);
          await expectCriError(runtime.podSandboxStats(UNKNOWN_ID), 'NotFound');
        }
        const podStatsList = await optional(() => runtime.listPodSandboxStats({ id: made.sandboxId }));
        if (podStatsList !== undefined) expect(podStatsList.map((s) => s.attributes.id)).toEqual([made.sandboxId]);

        for (const url of [
          await optional(() => runtime.exec(made.containerId, ['sh'], { stdin: true, stdout: true, tty: true })),
          await optional(() => runtime.attach(made.containerId, { stdout: true, stderr: true })),
          await optional(() => runtime.portForward(made.sandboxId, [8080])),
        ]) {
          if (url !== undefined) expect(url).not.toBe('');
        }
        await optional(() => runtime.updatePodSandboxResources(made.sandboxId, { resources: { cpuShares: 1024 } }));
      });

      it('streams the same items as the lists, when it streams at all', async () => {
        const made = await startedContainer();
        const sandboxIds = sortedIds(await runtime.listPodSandbox());
        const streamedSandboxes = await drain(() => runtime.streamPodSandboxes());
        if (streamedSandboxes !== undefined) expect(sortedIds(streamedSandboxes)).toEqual(sandboxIds);

        const containerIds = sortedIds(await runtime.listContainers({ podSandboxId: made.sandboxId }));
        const streamedContainers = await drain(() => runtime.streamContainers({ podSandboxId: made.sandboxId }));
        if (streamedContainers !== undefined) expect(sortedIds(streamedContainers)).toEqual(containerIds);

        const streamedStats = await drain(() => runtime.streamContainerStats({ id: made.containerId }));
        if (streamedStats !== undefined) expect(streamedStats.map((s) => s.attributes.id)).toEqual([made.containerId]);

        const imageIds = (await images.listImages()).map((i) => i.id).sort();
        const streamedImages = await drain(() => images.streamImages());
        if (streamedImages !== undefined) expect(streamedImages.map((i) => i.id).sort()).toEqual(imageIds);

        await drain(() => runtime.streamPodSandboxStats());
        await drain(() => runtime.streamPodSandboxMetrics());
      });
    });
  });
}
