/**
 * Test support for the workload controllers: a store of the built-in kinds
 * on a virtual clock, a manager running the controllers under test, and a
 * pretend kubelet's hand (setting a pod's phase and readiness) for tests that
 * need no node agents. Not exported from the package.
 */
import {
  builtinAdmission,
  builtinTypes,
  ensureSystemNamespaces,
  Node,
  Pod,
  type PodPhase,
  setCondition,
} from '@keelson/api';
import { createRandom, VirtualClock } from '@keelson/clock';
import { type Controller, createEventRecorder, createManager, type Manager } from '@keelson/controller';
import { createMemoryLogger, createStore, type LogLine, type ResourceType, type Store } from '@keelson/core';

/** Virtual time zero of every test: 2026-01-01T00:00:00Z. */
export const START = Date.UTC(2026, 0, 1);

/** RFC 3339 text of an instant, as the store writes times. */
export function rfc3339(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** What {@link startWorkloads} hands a test. */
export interface WorkloadHarness {
  clock: VirtualClock;
  store: Store;
  manager: Manager;
  /** Controller errors logged by the manager. */
  errors: string[];
  /** Every line the manager and its controllers logged. */
  logs: LogLine[];
  /** Advances virtual time by `ms` and lets every queue drain. */
  advance(ms?: number): Promise<void>;
  /** Stops the manager. */
  stop(): Promise<void>;
}

/** Extra types beyond the built-in kinds, for controllers whose kinds are not built in yet. */
export interface WorkloadHarnessOptions {
  types?: readonly ResourceType[];
  seed?: number;
}

/** A store with the built-in kinds and admission at {@link START}, and a manager running `controllers`. */
export async function startWorkloads(
  controllers: readonly Controller[],
  options: WorkloadHarnessOptions = {},
): Promise<WorkloadHarness> {
  const clock = new VirtualClock(START);
  const types = [...builtinTypes, ...(options.types ?? [])].filter((t, i, all) => all.indexOf(t) === i);
  const store = await createStore({
    types,
    admission: builtinAdmission(),
    clock,
    random: createRandom(options.seed ?? 1, 'workloads-test'),
    logger: { warn() {} },
  });
  await ensureSystemNamespaces(store);
  const errors: string[] = [];
  const logger = createMemoryLogger((line) => {
    if (line.level === 'error') errors.push(`${line.message} ${JSON.stringify(line.fields)}`);
  });
  const manager = createManager({
    store,
    clock,
    recorder: createEventRecorder(store, { component: 'workloads-test', clock }),
    logger,
  });
  for (const controller of controllers) manager.add(controller);
  await manager.start();
  const advance = async (ms = 0) => {
    await clock.advance(ms);
    for (let i = 0; i < 10; i++) await clock.advance(0);
  };
  await advance();
  return { clock, store, manager, errors, logs: logger.lines, advance, stop: () => manager.stop() };
}

/** Registers a Ready node (no agent behind it). */
export async function addReadyNode(store: Store, name: string, labels: Record<string, string> = {}): Promise<void> {
  const node = await store.create(Node, { metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } } });
  const now = rfc3339(store.clock.now());
  await store.updateStatus({
    ...node,
    status: {
      ...node.status,
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: now, lastTransitionTime: now },
      ],
    },
  });
}

/**
 * What a kubelet would report: sets a pod's phase and its `Ready` /
 * `ContainersReady` conditions (ready pods are Running), stamping the
 * transition with the store's clock.
 */
export async function setPodStatus(
  store: Store,
  pod: { metadata: { name: string; namespace?: string } },
  status: { phase?: PodPhase; ready?: boolean; podIP?: string; restarts?: number },
): Promise<void> {
  const now = rfc3339(store.clock.now());
  await store.patch(
    Pod,
    pod.metadata.name,
    (draft) => {
      const ready = status.ready ?? false;
      const phase = status.phase ?? (ready ? 'Running' : (draft.status?.phase ?? 'Pending'));
      let conditions = draft.status?.conditions ?? [];
      for (const type of ['Ready', 'ContainersReady']) {
        conditions = setCondition(conditions, { type, status: ready ? 'True' : 'False' }, now);
      }
      draft.status = {
        ...draft.status,
        phase,
        conditions,
        ...(status.podIP === undefined ? {} : { podIP: status.podIP, podIPs: [{ ip: status.podIP }] }),
        ...(status.restarts === undefined
          ? {}
          : {
              containerStatuses: draft.spec.containers.map((c) => ({
                name: c.name,
                image: c.image,
                imageID: '',
                ready,
                restartCount: status.restarts ?? 0,
                started: true,
                state: { running: { startedAt: now } },
              })),
            }),
      } as NonNullable<typeof draft.status>;
      return draft;
    },
    { namespace: pod.metadata.namespace ?? 'default', subresource: 'status' },
  );
}

/** The error a promise rejects with (fails when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}
