import type { MockFiles } from './fs/files';
import type { OverloadBehaviour } from './servedLoad';

/** What a simulated command run by `execSync` returns. */
export interface ExecResult {
  exitCode: number;
  stdout?: string;
  stderr?: string;
  /** How long the command runs on the clock (default 0: it answers at once). */
  durationMs?: number;
}

/**
 * What a scripted process sees: its filesystem (the container's root with
 * its volume mounts; writes through a read-only mount throw `EROFS`), its
 * environment and its age.
 */
export interface ContainerProcess {
  readonly fs: MockFiles;
  readonly env: Readonly<Record<string, string>>;
  /** Milliseconds since the container started. */
  readonly elapsedMs: number;
}

/**
 * A file the process writes `atMs` after it started. A failed write (a
 * read-only mount, a missing directory) is reported on the container's
 * stderr, as a shell would, and the process goes on.
 */
export interface ScriptedFileWrite {
  /** Milliseconds after start (default 0: as it starts). */
  atMs?: number;
  path: string;
  /** The text, or a function of the process (e.g. to copy another file). */
  content: string | ((process: ContainerProcess) => string);
  /** Append instead of replacing. */
  append?: boolean;
}

/** Which of a container's output streams a line goes to. */
export type LogStream = 'stdout' | 'stderr';

/** One line the process writes `atMs` after it started. */
export interface ScriptedLogLine {
  /** Milliseconds after start (default 0: as it starts). */
  atMs?: number;
  /** The text; a `\n` inside makes several lines. */
  line: string;
  /** Default `stdout`. */
  stream?: LogStream;
}

/** A line the process writes again and again: at `firstAtMs`, then every `everyMs`. */
export interface RepeatingLogLine {
  /** Milliseconds between two lines (> 0). */
  everyMs: number;
  /** The text, or a function of the line's number (0, 1, …) and its time since start. */
  line: string | ((index: number, elapsedMs: number) => string);
  /** Milliseconds after start of the first line (default `everyMs`). */
  firstAtMs?: number;
  /** How many lines in all (default: until the container exits). */
  count?: number;
  /** Default `stdout`. */
  stream?: LogStream;
}

/** A scripted line of output: once at a time, or repeating. */
export type LogScript = ScriptedLogLine | RepeatingLogLine;

/**
 * How containers of an image behave, scripted as functions of the time since
 * the container started (`elapsedMs`). Everything is optional; an image
 * without behaviour is a server that starts at once, never exits, answers
 * every probe (HTTP 200, TCP connects, exec exit code 0) and uses no memory
 * or CPU.
 */
export interface ImageBehaviour {
  /** Time from start to "running and ready to answer probes"; before it probes get connection refused. */
  startupMs?: number;
  /** The container exits by itself this long after it started… */
  exitAfterMs?: number;
  /** …with this exit code (default 0). */
  exitCode?: number;
  /**
   * How long the process takes to exit after its stop signal (default 0:
   * at once, exit code 0). A stop whose timeout is shorter kills it (137).
   */
  shutdownMs?: number;
  /**
   * The process cannot be started: `startContainer` fails with this message
   * and the container is `CONTAINER_EXITED` with reason `StartError` and exit
   * code 128, as in containerd.
   */
  startError?: string;
  /**
   * Memory in use (bytes). Above the container's `memoryLimitInBytes` the
   * container is OOM-killed (exit code 137, reason `OOMKilled`) at the exact
   * millisecond the use first exceeds the limit. A function is sampled every
   * second for the first hour and every minute after, and the crossing is
   * then found to the millisecond by bisection, so a spike shorter than the
   * sampling step can go unseen.
   */
  memoryBytes?: number | ((elapsedMs: number) => number);
  /** CPU in use, in nanocores (1e9 = one core busy), for `containerStats`. */
  cpuNanoCores?: number | ((elapsedMs: number) => number);
  /**
   * The answer to a command run with `execSync` (and so to exec probes); it
   * may read and write the container's files through `process.fs`.
   */
  exec?: (cmd: string[], elapsedMs: number, process: ContainerProcess) => ExecResult;
  /** Runs as the process starts (after `files` due at 0), e.g. to seed files from others. */
  onStart?: (process: ContainerProcess) => void;
  /** Files the process writes, on the clock; those due by its exit are all written. */
  files?: readonly ScriptedFileWrite[];
  /** The status code a simulated `httpGet` probe gets for `path` on `port`. */
  http?: (path: string, port: number, elapsedMs: number) => number;
  /** Whether a simulated `tcpSocket` probe connects to `port`. */
  tcp?: (port: number, elapsedMs: number) => boolean;
  /**
   * What the process writes to its stdout and stderr, on the clock: the
   * container's log, which `readContainerLog` and `followContainerLog`
   * read. Lines due by the time the container exits are all written, even
   * one due at the very millisecond of the exit.
   */
  logs?: readonly LogScript[];
  /**
   * When the requests the container serves (a load model's share, set with
   * `MockRuntime.setServedLoad`) overload it: past a rate or a CPU
   * threshold its HTTP probes answer 503 (on the paths given, e.g. only
   * `/ready`, so readiness fails while liveness passes) until the load drops.
   */
  overload?: OverloadBehaviour;
}

/** A scripted quantity's value `elapsedMs` after start (0 when unscripted). */
export function valueAt(value: number | ((elapsedMs: number) => number) | undefined, elapsedMs: number): number {
  if (value === undefined) return 0;
  return typeof value === 'function' ? value(elapsedMs) : value;
}

const FINE_STEP_MS = 1_000;
const FINE_SPAN_MS = 3_600_000;
const COARSE_STEP_MS = 60_000;

/** How far ahead one search for an OOM crossing looks; a later search continues from there. */
export const OOM_SEARCH_HORIZON_MS = 86_400_000;

/**
 * The first whole millisecond in `[fromMs, toMs]` (times since start) at
 * which `memory` exceeds `limit`, or undefined if the samples never do.
 */
export function firstOverLimit(
  memory: (elapsedMs: number) => number,
  limit: number,
  fromMs: number,
  toMs: number,
): number | undefined {
  let previous = Math.ceil(fromMs);
  const end = Math.ceil(toMs);
  if (memory(previous) > limit) return previous;
  while (previous < end) {
    const step = previous < FINE_SPAN_MS ? FINE_STEP_MS : COARSE_STEP_MS;
    const next = Math.min(previous + step, end);
    if (memory(next) > limit) return bisect(memory, limit, previous, next);
    previous = next;
  }
  return undefined;
}

/** Whole milliseconds `low` (not over) < result ≤ `high` (over): the first over, if `memory` rises once in between. */
function bisect(memory: (elapsedMs: number) => number, limit: number, low: number, high: number): number {
  let lo = low;
  let hi = high;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (memory(mid) > limit) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Cumulative CPU of a scripted function, kept per container for whole steps so that reads stay cheap. */
export interface CpuIntegral {
  /** Whole steps summed so far. */
  steps: number;
  /** Core-nanoseconds over those steps. */
  total: number;
}

/**
 * CPU time used in the first `elapsedMs` after start, in core-nanoseconds:
 * exact for a constant, a left Riemann sum on a fixed one-second grid for a
 * function (the same answer whenever and however often it is asked).
 */
export function cpuUsageCoreNanos(
  cpu: ImageBehaviour['cpuNanoCores'],
  elapsedMs: number,
  integral: CpuIntegral,
): bigint {
  if (cpu === undefined || elapsedMs <= 0) return 0n;
  if (typeof cpu === 'number') return BigInt(Math.round((cpu * elapsedMs) / 1_000));
  const wholeSteps = Math.floor(elapsedMs / FINE_STEP_MS);
  for (; integral.steps < wholeSteps; integral.steps++) integral.total += cpu(integral.steps * FINE_STEP_MS);
  const partial = ((elapsedMs - wholeSteps * FINE_STEP_MS) / FINE_STEP_MS) * cpu(wholeSteps * FINE_STEP_MS);
  return BigInt(Math.round(integral.total + partial));
}
