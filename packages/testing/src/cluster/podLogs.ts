/**
 * `cluster.podLogs`: what `kubectl logs` shows, read from the mock runtime
 * of the pod's node as the kubelet reads a container's log file — tail,
 * since, byte limit, timestamps, follow, and the previous container.
 */
import { InvalidError, NotFoundError, type Store } from '@keelson/core';
import { type ContainerLogEntry, formatLogTimestamp, type MockRuntime } from '@keelson/runtime-mock';
import { locateLog } from './podLogTarget';

/** A request for a container's log, as `GET …/pods/{name}/log` takes it. */
export interface PodLogRequest {
  namespace: string;
  pod: string;
  /** Default: the pod's only container; with several, an error naming them (as Kubernetes: 'a container name must be specified for pod web, choose one of: [a b]'). */
  container?: string;
  follow?: boolean;
  previous?: boolean;
  timestamps?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
}

/** Yields the log text in chunks (whole lines with '\n'); with follow, keeps yielding until the container stops or `signal` aborts. Throws a KeelsonError (NotFoundError for no such pod/container, InvalidError/BadRequest-like for a previous log that does not exist: Kubernetes says 'previous terminated container "x" in pod "y" not found') before yielding anything. */
export type PodLogSource = (request: PodLogRequest, signal: AbortSignal) => AsyncIterable<string>;

/** What the log source reads from. */
export interface PodLogHost {
  store: Store;
  /** The mock runtime of a node, or undefined for a node no longer in the cluster. */
  runtimeOf(nodeName: string): MockRuntime | undefined;
}

const encoder = new TextEncoder();

/** `limitBytes`: lines as long as bytes remain, the last one cut (at a character boundary), as the kubelet's writer. */
class ByteBudget {
  private remaining: number;

  constructor(limit: number | undefined) {
    this.remaining = limit ?? Number.POSITIVE_INFINITY;
  }

  get exhausted(): boolean {
    return this.remaining <= 0;
  }

  take(text: string): string {
    if (this.remaining === Number.POSITIVE_INFINITY) return text;
    const bytes = encoder.encode(text).length;
    if (bytes <= this.remaining) {
      this.remaining -= bytes;
      return text;
    }
    let used = 0;
    let cut = '';
    for (const char of text) {
      const size = encoder.encode(char).length;
      if (used + size > this.remaining) break;
      used += size;
      cut += char;
    }
    this.remaining = 0;
    return cut;
  }
}

function checkCount(name: string, value: number | undefined, min: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidError(
      `${name}: must be ${min === 0 ? 'greater than or equal to 0' : 'greater than 0'}, got ${String(value)}`,
    );
  }
}

/** The output of one request's lines, filtered and formatted as the kubelet writes them. */
function writer(request: PodLogRequest, sinceNanos: bigint) {
  const budget = new ByteBudget(request.limitBytes);
  const format = (entry: ContainerLogEntry) =>
    `${request.timestamps === true ? `${formatLogTimestamp(entry.timestamp, true)} ` : ''}${entry.text}\n`;
  return {
    budget,
    write(entries: readonly ContainerLogEntry[]): string {
      let out = '';
      for (const entry of entries) {
        if (budget.exhausted) break;
        if (entry.timestamp >= sinceNanos) out += budget.take(format(entry));
      }
      return out;
    },
  };
}

/**
 * The cluster's {@link PodLogSource}. Without `follow` it yields what the
 * container wrote so far and ends; with it, then each new line as the
 * clock moves, until the container exits or `signal` aborts.
 */
export function createPodLogSource(host: PodLogHost, now: () => number): PodLogSource {
  return (request, signal) => readPodLog(host, now, request, signal);
}

async function* readPodLog(
  host: PodLogHost,
  now: () => number,
  request: PodLogRequest,
  signal: AbortSignal,
): AsyncGenerator<string> {
  if (request === null || typeof request !== 'object' || typeof request.pod !== 'string') {
    throw new InvalidError('podLogs: pass { namespace, pod, container?, … } with the pod name');
  }
  checkCount('tailLines', request.tailLines, 0);
  checkCount('sinceSeconds', request.sinceSeconds, 1);
  checkCount('limitBytes', request.limitBytes, 1);
  const target = await locateLog(host.store, request);
  if (target === undefined || signal.aborted) return;
  const runtime = host.runtimeOf(target.nodeName);
  if (runtime === undefined) throw new NotFoundError(`node "${target.nodeName}" of the pod is not in the cluster`);
  const sinceMs = request.sinceSeconds === undefined ? Number.NEGATIVE_INFINITY : now() - request.sinceSeconds * 1_000;
  const sinceNanos = Number.isFinite(sinceMs) ? BigInt(Math.floor(sinceMs)) * 1_000_000n : -1n;
  const queue: ContainerLogEntry[] = [];
  let ended = request.follow !== true;
  let wake: (() => void) | undefined;
  const notify = () => wake?.();
  let backlog: ContainerLogEntry[];
  let unfollow = () => {};
  try {
    // Read and subscribe in one tick, so that no line falls between the two.
    backlog = runtime.readContainerLog(target.containerId);
    if (!ended) {
      unfollow = runtime.followContainerLog(target.containerId, {
        line: (entry) => {
          queue.push(entry);
          notify();
        },
        end: () => {
          ended = true;
          notify();
        },
      });
    }
  } catch {
    throw new NotFoundError(`the log of ${target.describe} is gone (its container was removed)`);
  }
  signal.addEventListener('abort', notify);
  try {
    const tail = request.tailLines;
    const out = writer(request, sinceNanos);
    const first = out.write(tail === undefined ? backlog : tail === 0 ? [] : backlog.slice(-tail));
    if (first !== '') yield first;
    for (;;) {
      if (signal.aborted || out.budget.exhausted) return;
      if (queue.length > 0) {
        const chunk = out.write(queue.splice(0));
        if (chunk !== '') yield chunk;
        continue;
      }
      if (ended) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    signal.removeEventListener('abort', notify);
    unfollow();
  }
}

/** All of a container's log now, as one text (`cluster.logs`). */
export async function readAll(source: PodLogSource, request: PodLogRequest): Promise<string> {
  let text = '';
  for await (const chunk of source(request, new AbortController().signal)) text += chunk;
  return text;
}
