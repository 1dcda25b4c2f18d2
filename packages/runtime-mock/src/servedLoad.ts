/**
 * Requests a container serves, set from outside (a load model spreading a
 * Service's traffic over its pods), and the CPU they cost. The rate is a
 * function of the clock's time; its CPU is summed on a fixed one-second grid
 * (a left Riemann sum, as for scripted CPU), so the same run gives the same
 * counters however often the stats are read.
 */
import { valueAt } from './behaviour';
import { type ContainerRecord, elapsedMs, type RuntimeContext } from './context';

/** Which container serves a load: by its pod's sandbox metadata and its own name (restarts keep it). */
export interface ServedLoadTarget {
  /** The pod's namespace (sandbox `metadata.namespace`). */
  namespace: string;
  /** The pod's name (sandbox `metadata.name`). */
  pod: string;
  /** The container's name (container `metadata.name`). */
  container: string;
  /** Who sets it (e.g. `default/web` for a Service); loads of different sources add up. */
  source: string;
}

/** A load a container serves from now on. */
export interface ServedLoad {
  /** Requests per second at a clock time (ms); negative or non-finite values count as 0. */
  requestsPerSecond: (nowMs: number) => number;
  /** CPU per request per second, in nanocores (1e6 = 1 millicore per request/s). */
  nanoCoresPerRequest: number;
  /** CPU used while serving, whatever the rate (nanocores, default 0). */
  baseNanoCores?: number;
}

/**
 * When a container counts as overloaded by what it serves, and how its HTTP
 * probes answer then (`ImageBehaviour.overload`).
 */
export interface OverloadBehaviour {
  /** Overloaded while serving more than this many requests per second. */
  requestsPerSecond?: number;
  /** Overloaded while using more than this much CPU (scripted plus served), in nanocores. */
  cpuNanoCores?: number;
  /** HTTP paths that answer `status` while overloaded (default: every path). */
  paths?: readonly string[];
  /** The status code those paths answer while overloaded (default 503). */
  status?: number;
}

interface Segment {
  from: number;
  load: ServedLoad | undefined;
}

/** One source's loads on one container name over time, with its cumulative CPU on the grid. */
interface History {
  segments: Segment[];
  origin: number;
  steps: number;
  total: number;
}

const STEP_MS = 1_000;
const histories = new WeakMap<RuntimeContext, Map<string, Map<string, History>>>();

const keyOf = (namespace: string, pod: string, container: string) => `${namespace}/${pod}/${container}`;

function rateOf(load: ServedLoad | undefined, at: number): number {
  if (load === undefined) return 0;
  const rps = load.requestsPerSecond(at);
  return Number.isFinite(rps) && rps > 0 ? rps : 0;
}

function cpuOf(load: ServedLoad | undefined, at: number): number {
  if (load === undefined) return 0;
  return (load.baseNanoCores ?? 0) + rateOf(load, at) * load.nanoCoresPerRequest;
}

function segmentAt(history: History, at: number): Segment | undefined {
  for (let i = history.segments.length - 1; i >= 0; i--) {
    const segment = history.segments[i] as Segment;
    if (segment.from <= at) return segment;
  }
  return undefined;
}

/** Core-nanoseconds served from the history's origin to `at` (≤ now: the past never changes). */
function cumulative(history: History, at: number): number {
  if (at <= history.origin) return 0;
  const whole = Math.floor((at - history.origin) / STEP_MS);
  for (; history.steps < whole; history.steps++) {
    const t = history.origin + history.steps * STEP_MS;
    history.total += cpuOf(segmentAt(history, t)?.load, t);
  }
  const stepStart = history.origin + whole * STEP_MS;
  return history.total + ((at - stepStart) / STEP_MS) * cpuOf(segmentAt(history, stepStart)?.load, stepStart);
}

function historiesOf(ctx: RuntimeContext, record: ContainerRecord): Map<string, History> | undefined {
  const sandbox = ctx.sandboxes.get(record.sandboxId);
  if (sandbox === undefined) return undefined;
  const { namespace, name } = sandbox.metadata;
  return histories.get(ctx)?.get(keyOf(namespace, name, record.metadata.name));
}

/** Sets (or with `undefined` ends) the load one source puts on a container name, from now on. */
export function setServedLoad(ctx: RuntimeContext, target: ServedLoadTarget, load: ServedLoad | undefined): void {
  const now = ctx.clock.now();
  const byKey = histories.get(ctx) ?? new Map<string, Map<string, History>>();
  histories.set(ctx, byKey);
  const key = keyOf(target.namespace, target.pod, target.container);
  const bySource = byKey.get(key) ?? new Map<string, History>();
  byKey.set(key, bySource);
  let history = bySource.get(target.source);
  if (history === undefined) {
    if (load === undefined) return;
    history = { segments: [], origin: Math.floor(now / STEP_MS) * STEP_MS, steps: 0, total: 0 };
    bySource.set(target.source, history);
  }
  const last = history.segments.at(-1);
  if (last !== undefined && last.from === now) last.load = load;
  else history.segments.push({ from: now, load });
}

/** Core-nanoseconds of CPU the container's served load cost from its start until `at`. */
export function servedCpuCoreNanos(ctx: RuntimeContext, record: ContainerRecord, at: number): number {
  if (Number.isNaN(record.startedMs)) return 0;
  const sources = historiesOf(ctx, record);
  if (sources === undefined) return 0;
  let sum = 0;
  for (const history of sources.values()) sum += cumulative(history, at) - cumulative(history, record.startedMs);
  // cumulative() sums nanocore-steps; one step is one second: nanocores × s = core-nanoseconds.
  return sum;
}

/** What the container serves now: requests per second and the CPU they cost (nanocores). */
export function servedNow(
  ctx: RuntimeContext,
  record: ContainerRecord,
): { requestsPerSecond: number; nanoCores: number } {
  const sources = historiesOf(ctx, record);
  const now = ctx.clock.now();
  let requestsPerSecond = 0;
  let nanoCores = 0;
  if (record.state !== 'CONTAINER_RUNNING' || sources === undefined) return { requestsPerSecond, nanoCores };
  for (const history of sources.values()) {
    const load = segmentAt(history, now)?.load;
    requestsPerSecond += rateOf(load, now);
    nanoCores += cpuOf(load, now);
  }
  return { requestsPerSecond, nanoCores };
}

/** The status an HTTP probe of `path` gets because the container is overloaded, or undefined. */
export function overloadStatus(ctx: RuntimeContext, record: ContainerRecord, path: string): number | undefined {
  const overload = record.behaviour.overload;
  if (overload === undefined || (overload.paths !== undefined && !overload.paths.includes(path))) return undefined;
  const served = servedNow(ctx, record);
  const scripted = valueAt(record.behaviour.cpuNanoCores, elapsedMs(ctx, record));
  const over =
    (overload.requestsPerSecond !== undefined && served.requestsPerSecond > overload.requestsPerSecond) ||
    (overload.cpuNanoCores !== undefined && scripted + served.nanoCores > overload.cpuNanoCores);
  return over ? (overload.status ?? 503) : undefined;
}
