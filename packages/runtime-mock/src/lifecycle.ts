import { ContainerExitReason, CriError } from '@keelson/cri';
import { firstOverLimit, OOM_SEARCH_HORIZON_MS } from './behaviour';
import { closeLog } from './containerLogs';
import { type ContainerRecord, elapsedMs, nowNanos, type RuntimeContext } from './context';
import { containerNotFound, failedPrecondition } from './errors';
import { emitContainerEvent } from './events';
import { scheduleFiles } from './fileScript';
import { scheduleLogs, writeDueLines } from './logScript';
import { containerCpuCoreNanos } from './stats';

/** The exit code of a process ended by SIGKILL (128 + 9), as runtimes report it. */
export const KILLED_EXIT_CODE = 137;
/** containerd's exit code for a process that could not be started. */
export const START_ERROR_EXIT_CODE = 128;

/** The running container `id`, or the CRI error a fault or exec on it gets. */
export function runningContainer(ctx: RuntimeContext, id: string, what: string): ContainerRecord {
  const record = ctx.containers.get(id);
  if (record === undefined) throw containerNotFound(id);
  if (record.state !== 'CONTAINER_RUNNING') {
    throw failedPrecondition(`${what}: container "${id}" is ${record.state}, not CONTAINER_RUNNING`);
  }
  return record;
}

/** A timer that ends with the process; OOM timers are also kept apart to re-arm them on a limit change. */
function setTimer(
  ctx: RuntimeContext,
  record: ContainerRecord,
  ms: number,
  fn: () => void,
  options: { background?: boolean; oom?: boolean } = {},
): void {
  const handle = ctx.clock.setTimeout(
    () => {
      record.timers.delete(handle);
      record.oomTimers.delete(handle);
      fn();
    },
    ms,
    { background: options.background === true },
  );
  record.timers.add(handle);
  if (options.oom) record.oomTimers.add(handle);
}

/**
 * Ends the process of a running container: `CONTAINER_EXITED` with its exit
 * code and reason, timers cleared, waiters woken, `CONTAINER_STOPPED_EVENT`.
 * Does nothing to a container that is not running.
 */
export function exitContainer(
  ctx: RuntimeContext,
  record: ContainerRecord,
  exitCode: number,
  reason: string = exitCode === 0 ? ContainerExitReason.Completed : ContainerExitReason.Error,
  message = '',
): void {
  if (record.state !== 'CONTAINER_RUNNING') return;
  writeDueLines(ctx, record);
  record.cpuAtExit = containerCpuCoreNanos(ctx, record);
  record.state = 'CONTAINER_EXITED';
  record.finishedAt = nowNanos(ctx.clock);
  record.exitCode = exitCode;
  record.reason = reason;
  record.message = message;
  for (const handle of record.timers) ctx.clock.clearTimeout(handle);
  record.timers.clear();
  record.oomTimers.clear();
  for (const wake of record.onExit.splice(0)) wake();
  closeLog(ctx, record.id);
  emitContainerEvent(ctx, record, 'CONTAINER_STOPPED_EVENT');
}

/** SIGKILL: exit code 137 now. */
export function killContainer(ctx: RuntimeContext, record: ContainerRecord): void {
  exitContainer(ctx, record, KILLED_EXIT_CODE);
}

/** Killed by the cgroup OOM killer: exit code 137, reason `OOMKilled`. */
export function oomKill(ctx: RuntimeContext, record: ContainerRecord): void {
  exitContainer(
    ctx,
    record,
    KILLED_EXIT_CODE,
    ContainerExitReason.OOMKilled,
    'memory use exceeded the container limit',
  );
}

/** `startContainer`: CREATED → RUNNING, then schedules the scripted exit and OOM. */
export function startContainer(ctx: RuntimeContext, id: string): void {
  const record = ctx.containers.get(id);
  if (record === undefined) throw containerNotFound(id);
  if (record.state !== 'CONTAINER_CREATED') {
    throw failedPrecondition(`container "${id}" is ${record.state}; only a CONTAINER_CREATED container can start`);
  }
  const sandbox = ctx.sandboxes.get(record.sandboxId);
  if (sandbox?.state !== 'SANDBOX_READY') {
    throw failedPrecondition(`the pod sandbox "${record.sandboxId}" of container "${id}" is not ready`);
  }
  const { behaviour } = record;
  if (behaviour.startError !== undefined) {
    record.state = 'CONTAINER_EXITED';
    record.finishedAt = nowNanos(ctx.clock);
    record.exitCode = START_ERROR_EXIT_CODE;
    record.reason = ContainerExitReason.StartError;
    record.message = behaviour.startError;
    closeLog(ctx, record.id);
    emitContainerEvent(ctx, record, 'CONTAINER_STOPPED_EVENT');
    throw new CriError('Internal', `failed to start container "${id}": ${behaviour.startError}`);
  }
  record.state = 'CONTAINER_RUNNING';
  record.startedMs = ctx.clock.now();
  record.startedAt = nowNanos(ctx.clock);
  emitContainerEvent(ctx, record, 'CONTAINER_STARTED_EVENT');
  scheduleLogs(ctx, record);
  scheduleFiles(ctx, record);
  if (behaviour.exitAfterMs !== undefined) {
    setTimer(ctx, record, behaviour.exitAfterMs, () => exitContainer(ctx, record, behaviour.exitCode ?? 0));
  }
  scheduleOom(ctx, record);
}

/**
 * Arms the OOM kill at the first millisecond the scripted memory use
 * exceeds the limit (again after a limit change). A search that finds no
 * crossing within its horizon continues later on a background timer, so a
 * container that never runs out of memory does not keep a virtual clock busy.
 */
export function scheduleOom(ctx: RuntimeContext, record: ContainerRecord, fromMs = elapsedMs(ctx, record)): void {
  const limit = record.resources?.memoryLimitInBytes ?? 0;
  const memory = record.behaviour.memoryBytes;
  if (record.state !== 'CONTAINER_RUNNING' || limit <= 0 || memory === undefined) return;
  const oom = () => oomKill(ctx, record);
  if (typeof memory === 'number') {
    if (memory > limit) setTimer(ctx, record, 0, oom, { oom: true });
    return;
  }
  const until = fromMs + OOM_SEARCH_HORIZON_MS;
  const crossing = firstOverLimit(memory, limit, fromMs, until);
  const now = elapsedMs(ctx, record);
  if (crossing !== undefined) setTimer(ctx, record, crossing - now, oom, { oom: true });
  else setTimer(ctx, record, until - now, () => scheduleOom(ctx, record, until), { oom: true, background: true });
}

/** Clears a running container's OOM timers and arms them again for its current limit. */
export function rescheduleOom(ctx: RuntimeContext, record: ContainerRecord): void {
  if (record.state !== 'CONTAINER_RUNNING') return;
  for (const handle of record.oomTimers) {
    ctx.clock.clearTimeout(handle);
    record.timers.delete(handle);
  }
  record.oomTimers.clear();
  scheduleOom(ctx, record);
}

/**
 * `stopContainer`: the stop signal, then whichever comes first: the process
 * exits by itself (after the image's `shutdownMs`, exit code 0; never when
 * hung) or the timeout ends and it is killed (137). Resolves when it exited.
 */
export function stopContainer(ctx: RuntimeContext, record: ContainerRecord, timeoutSeconds: number): Promise<void> {
  if (record.state !== 'CONTAINER_RUNNING') return Promise.resolve();
  const timeoutMs = timeoutSeconds * 1_000;
  const shutdownMs = record.hung ? Number.POSITIVE_INFINITY : (record.behaviour.shutdownMs ?? 0);
  if (timeoutMs === 0) {
    killContainer(ctx, record);
    return Promise.resolve();
  }
  if (shutdownMs === 0) {
    exitContainer(ctx, record, 0);
    return Promise.resolve();
  }
  const exited = new Promise<void>((resolve) => record.onExit.push(resolve));
  if (shutdownMs <= timeoutMs) setTimer(ctx, record, shutdownMs, () => exitContainer(ctx, record, 0));
  else setTimer(ctx, record, timeoutMs, () => killContainer(ctx, record));
  return exited;
}
