import type { LogStream } from './behaviour';
import type { ContainerRecord, RuntimeContext } from './context';
import { containerNotFound } from './errors';
import type { ContainerLogEntry } from './logFormat';

/** What {@link MockRuntime.followContainerLog} tells as the log grows. */
export interface ContainerLogListener {
  /** A new line, in order. */
  line(entry: ContainerLogEntry): void;
  /** The container exited (or was removed): no more lines will come. Called at once for a finished log. */
  end?(): void;
}

/** A container's log as the runtime keeps it, also after the container is removed. */
export interface ContainerLog {
  readonly containerId: string;
  readonly sandboxId: string;
  readonly name: string;
  readonly entries: ContainerLogEntry[];
  /** About how many bytes the entries take in a CRI log file. */
  bytes: number;
  /** Still being written: the container has not exited. */
  open: boolean;
  /** The container is gone; the log is kept as the kubelet keeps a previous container's. */
  removed: boolean;
  readonly listeners: Set<ContainerLogListener>;
}

/** Past this many bytes the oldest lines go, as if the log file had been rotated (the kubelet's default 10 MiB). */
export const MAX_LOG_BYTES = 10 * 1024 * 1024;
/** What a rotation keeps: the newest three quarters. */
const KEEP_AFTER_ROTATION = (MAX_LOG_BYTES * 3) / 4;
/** Timestamp, stream, tag, spaces and newline of a CRI log line. */
const LINE_OVERHEAD = 40;

/** A new, empty log for a container just created. */
export function openLog(ctx: RuntimeContext, record: ContainerRecord): void {
  ctx.logs.set(record.id, {
    containerId: record.id,
    sandboxId: record.sandboxId,
    name: record.metadata.name,
    entries: [],
    bytes: 0,
    open: true,
    removed: false,
    listeners: new Set(),
  });
}

/** The log of container `id` (also of a removed one the runtime still keeps), or `NotFound`. */
export function getLog(ctx: RuntimeContext, id: string): ContainerLog {
  const log = ctx.logs.get(id);
  if (log === undefined) throw containerNotFound(id);
  return log;
}

function rotate(log: ContainerLog): void {
  let drop = 0;
  let bytes = log.bytes;
  while (bytes > KEEP_AFTER_ROTATION && drop < log.entries.length) {
    bytes -= (log.entries[drop]?.text.length ?? 0) + LINE_OVERHEAD;
    drop++;
  }
  log.entries.splice(0, drop);
  log.bytes = bytes;
}

/** Writes `text` (one line per `\n`-separated part) to an open log at `timestamp` (ns). */
export function appendLog(ctx: RuntimeContext, id: string, timestamp: bigint, stream: LogStream, text: string): void {
  const log = ctx.logs.get(id);
  if (log === undefined || !log.open) return;
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    const entry: ContainerLogEntry = { timestamp, stream, tag: 'F', text: line };
    log.entries.push(entry);
    log.bytes += line.length + LINE_OVERHEAD;
    for (const listener of [...log.listeners]) listener.line(entry);
  }
  if (log.bytes > MAX_LOG_BYTES) rotate(log);
}

/** The container's process ended: its log is complete, and followers are told. */
export function closeLog(ctx: RuntimeContext, id: string): void {
  const log = ctx.logs.get(id);
  if (log === undefined || !log.open) return;
  log.open = false;
  const listeners = [...log.listeners];
  log.listeners.clear();
  for (const listener of listeners) listener.end?.();
}

/**
 * The container was removed: its log stays, as the previous container's
 * log the kubelet shows with `--previous`, until another container of the
 * same name in the same sandbox is removed or the sandbox is.
 */
export function retainLog(ctx: RuntimeContext, id: string): void {
  const log = ctx.logs.get(id);
  if (log === undefined) return;
  closeLog(ctx, id);
  for (const [otherId, other] of ctx.logs) {
    if (other.removed && other.sandboxId === log.sandboxId && other.name === log.name) ctx.logs.delete(otherId);
  }
  log.removed = true;
}

/** The sandbox was removed: the logs of its containers go with it. */
export function dropSandboxLogs(ctx: RuntimeContext, sandboxId: string): void {
  for (const [id, log] of ctx.logs) if (log.sandboxId === sandboxId) ctx.logs.delete(id);
}

/** Calls `listener` for each new line of the log until it ends; returns the unsubscribe. */
export function followLog(ctx: RuntimeContext, id: string, listener: ContainerLogListener): () => void {
  const log = getLog(ctx, id);
  if (!log.open) {
    listener.end?.();
    return () => undefined;
  }
  log.listeners.add(listener);
  return () => {
    log.listeners.delete(listener);
  };
}
