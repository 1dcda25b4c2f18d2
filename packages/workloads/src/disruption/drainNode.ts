/**
 * `kubectl drain`: cordon the node, then evict its pods through the
 * eviction subresource (honouring their disruption budgets) and wait for
 * them to be gone. Every wait is on the injected clock.
 */
import { DaemonSet, Pod } from '@keelson/api';
import type { Clock } from '@keelson/clock';
import { isKeelsonError, type Store } from '@keelson/core';
import { sleep } from './clockWait';
import { cordonNode } from './cordon';
import { drainVerdict } from './drainFilters';
import { DrainFailedError, type DrainFailure, type DrainProblem, DrainRefusedError, DrainTimeoutError } from './errors';
import { evictPod } from './evictPod';

/** kubectl's wait between evictions a budget refused (429): 5 s. */
export const EVICTION_RETRY_INTERVAL_MS = 5_000;

/** kubectl's poll interval while waiting for evicted pods to be gone: 1 s. */
export const DELETE_POLL_INTERVAL_MS = 1_000;

/** What a drain reports as it goes. */
export type DrainProgress =
  | { type: 'cordoned'; node: string }
  | { type: 'skipped'; pod: string; reason: string }
  | { type: 'warning'; pod: string; message: string }
  | { type: 'evicting'; pod: string }
  | { type: 'retrying'; pod: string; error: Error }
  | { type: 'evicted'; pod: string }
  | { type: 'gone'; pod: string };

/** Options of {@link drainNode}, kubectl's flags. */
export interface DrainOptions {
  /** Seconds each pod gets to shut down; default its own `terminationGracePeriodSeconds` (kubectl `--grace-period=-1`). */
  gracePeriodSeconds?: number;
  /** Give up after this many ms (evicting and waiting together); default none, as kubectl's `--timeout=0`. */
  timeout?: number;
  /** Leave DaemonSet pods alone (kubectl `--ignore-daemonsets`); default true. False: they block the drain. */
  ignoreDaemonSets?: boolean;
  /** Evict pods with `emptyDir` volumes, whose data is lost (kubectl `--delete-emptydir-data`); default false. */
  deleteEmptyDirData?: boolean;
  /** Evict pods that declare no controller, and pods of a DaemonSet that is gone (kubectl `--force`); default false. */
  force?: boolean;
  /** The clock of the waits; default the store's. */
  clock?: Clock;
  /** Called for each step. */
  onProgress?: (event: DrainProgress) => void;
}

/** What {@link drainNode} did. */
export interface DrainSummary {
  node: string;
  /** `namespace/name` of each pod evicted (and now gone). */
  evicted: string[];
  /** Pods left on the node, with why (DaemonSet, mirror pod). */
  skipped: { pod: string; reason: string }[];
  /** kubectl's warnings (e.g. `deleting Pods with local storage`), one per pod concerned. */
  warnings: { pod: string; message: string }[];
}

const keyOf = (pod: Pod) => `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;

/** Evicts one pod, waiting out refusals (429) every 5 s; resolves `false` when the pod went on its own. */
async function evictWithRetry(
  store: Store,
  pod: Pod,
  options: DrainOptions,
  clock: Clock,
  deadline: number,
): Promise<boolean> {
  const namespace = pod.metadata.namespace ?? 'default';
  const report = options.onProgress ?? (() => {});
  let refresh = false;
  for (;;) {
    if (refresh) {
      try {
        const current = await store.get(Pod, pod.metadata.name, { namespace });
        if (current.metadata.uid !== pod.metadata.uid) return false;
      } catch (error) {
        if (isKeelsonError(error, 'NotFound')) return false;
        throw error;
      }
    }
    refresh = true;
    try {
      report({ type: 'evicting', pod: keyOf(pod) });
      await evictPod(store, {
        metadata: { name: pod.metadata.name, namespace },
        deleteOptions: {
          ...(options.gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds: options.gracePeriodSeconds }),
          preconditions: { uid: pod.metadata.uid },
        },
      });
      return true;
    } catch (error) {
      if (isKeelsonError(error, 'NotFound')) return false;
      // A replacement with the same name is not ours to evict.
      if (isKeelsonError(error, 'Conflict')) continue;
      if (!isKeelsonError(error, 'TooManyRequests')) throw error;
      if (clock.now() + EVICTION_RETRY_INTERVAL_MS > deadline) throw new DrainTimeoutSignal();
      report({ type: 'retrying', pod: keyOf(pod), error: error as Error });
      await sleep(clock, EVICTION_RETRY_INTERVAL_MS);
    }
  }
}

/** Thrown inside the drain when its deadline passes; turned into a {@link DrainTimeoutError}. */
class DrainTimeoutSignal extends Error {}

/** kubectl's `waitForDelete`: polls every second until the pod is gone or replaced (another uid). */
async function waitGone(store: Store, pod: Pod, clock: Clock, deadline: number): Promise<void> {
  const namespace = pod.metadata.namespace ?? 'default';
  for (;;) {
    try {
      const current = await store.get(Pod, pod.metadata.name, { namespace });
      if (current.metadata.uid !== pod.metadata.uid) return;
    } catch (error) {
      if (isKeelsonError(error, 'NotFound')) return;
      throw error;
    }
    if (clock.now() + DELETE_POLL_INTERVAL_MS > deadline) throw new DrainTimeoutSignal();
    await sleep(clock, DELETE_POLL_INTERVAL_MS);
  }
}

/**
 * Drains a node as `kubectl drain` does: cordons it, lists its pods
 * (`spec.nodeName=<node>`, every namespace), leaves DaemonSet pods (with
 * `ignoreDaemonSets`, the default) and mirror pods, refuses — before
 * evicting anything — pods without a controller (unless `force`) and pods
 * with `emptyDir` volumes (unless `deleteEmptyDirData`), then evicts the rest
 * concurrently through {@link evictPod}: a refusal by a disruption budget
 * (429) is retried every 5 s, terminal and terminating pods go without
 * consulting budgets. Finally it waits (polling every 1 s) for each evicted
 * pod to be deleted or replaced by a pod of another uid. The node stays
 * cordoned afterwards; {@link uncordonNode} makes it schedulable again.
 *
 * @example
 * ```ts
 * const { evicted } = await drainNode(store, 'node-1', { timeout: 5 * 60_000 });
 * ```
 * @throws {NotFoundError} when there is no such node.
 * @throws {DrainRefusedError} (400) when pods block the drain; nothing was evicted.
 * @throws {DrainTimeoutError} (504) when `timeout` passed first; names the pods left.
 * @throws {DrainFailedError} (500) when evictions failed otherwise (e.g. two budgets select a pod).
 */
export async function drainNode(store: Store, nodeName: string, options: DrainOptions = {}): Promise<DrainSummary> {
  const clock = options.clock ?? store.clock;
  const report = options.onProgress ?? (() => {});
  const timeout = options.timeout ?? Number.POSITIVE_INFINITY;
  const deadline = clock.now() + timeout;
  await cordonNode(store, nodeName);
  report({ type: 'cordoned', node: nodeName });

  const { items } = await store.list(Pod, { fieldSelector: `spec.nodeName=${nodeName}` });
  const daemonSets = (await store.list(DaemonSet)).items;
  const filterOptions = {
    ignoreDaemonSets: options.ignoreDaemonSets ?? true,
    deleteEmptyDirData: options.deleteEmptyDirData ?? false,
    force: options.force ?? false,
    daemonSetExists: (namespace: string, name: string, uid: string) =>
      daemonSets.some((d) => d.metadata.namespace === namespace && d.metadata.name === name && d.metadata.uid === uid),
  };
  const summary: DrainSummary = { node: nodeName, evicted: [], skipped: [], warnings: [] };
  const problems = new Map<string, string[]>();
  const toEvict: Pod[] = [];
  for (const pod of items) {
    const verdict = drainVerdict(pod, filterOptions);
    if (verdict.fatal) {
      const message = verdict.message ?? 'unexpected error';
      problems.set(message, [...(problems.get(message) ?? []), keyOf(pod)]);
    } else if (!verdict.evict) {
      summary.skipped.push({ pod: keyOf(pod), reason: verdict.message ?? '' });
    } else {
      toEvict.push(pod);
      if (verdict.message !== undefined) summary.warnings.push({ pod: keyOf(pod), message: verdict.message });
    }
  }
  if (problems.size > 0) {
    const list: DrainProblem[] = [...problems].map(([message, pods]) => ({ message, pods }));
    throw new DrainRefusedError(nodeName, list);
  }
  for (const skipped of summary.skipped) report({ type: 'skipped', ...skipped });
  for (const warning of summary.warnings) report({ type: 'warning', ...warning });

  const left = new Set(toEvict.map(keyOf));
  const failures: DrainFailure[] = [];
  let timedOut = false;
  await Promise.all(
    toEvict.map(async (pod) => {
      try {
        const evicted = await evictWithRetry(store, pod, options, clock, deadline);
        if (evicted) report({ type: 'evicted', pod: keyOf(pod) });
        await waitGone(store, pod, clock, deadline);
        left.delete(keyOf(pod));
        summary.evicted.push(keyOf(pod));
        report({ type: 'gone', pod: keyOf(pod) });
      } catch (error) {
        if (error instanceof DrainTimeoutSignal) timedOut = true;
        else failures.push({ pod: keyOf(pod), error });
      }
    }),
  );
  if (failures.length > 0) throw new DrainFailedError(nodeName, failures);
  if (timedOut) throw new DrainTimeoutError(nodeName, [...left].sort(), timeout);
  summary.evicted.sort();
  return summary;
}
