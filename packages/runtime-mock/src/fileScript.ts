import type { ContainerProcess, ScriptedFileWrite } from './behaviour';
import { appendLog } from './containerLogs';
import { type ContainerRecord, elapsedMs, nowNanos, type RuntimeContext } from './context';
import { filesOf } from './fs/files';

/** What a container's process sees now. */
export function processOf(ctx: RuntimeContext, record: ContainerRecord): ContainerProcess {
  const env: Record<string, string> = {};
  for (const { key, value } of record.config.envs ?? []) env[key] = value;
  return { fs: filesOf(record.files), env, elapsedMs: elapsedMs(ctx, record) };
}

/** Runs a piece of the script; a failure lands on the container's stderr, as a shell reports it. */
function attempt(ctx: RuntimeContext, record: ContainerRecord, work: () => void): void {
  try {
    work();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    appendLog(ctx, record.id, nowNanos(ctx.clock), 'stderr', message);
  }
}

function write(ctx: RuntimeContext, record: ContainerRecord, file: ScriptedFileWrite): void {
  attempt(ctx, record, () => {
    const process = processOf(ctx, record);
    const content = typeof file.content === 'function' ? file.content(process) : file.content;
    process.fs.write(file.path, content, { append: file.append === true });
  });
}

/** Writes the files due now, runs `onStart`, and arms background timers for the later files (they end with the process). */
export function scheduleFiles(ctx: RuntimeContext, record: ContainerRecord): void {
  const files = record.behaviour.files ?? [];
  for (const file of files) if ((file.atMs ?? 0) <= 0) write(ctx, record, file);
  const onStart = record.behaviour.onStart;
  if (onStart !== undefined) attempt(ctx, record, () => onStart(processOf(ctx, record)));
  for (const file of files) {
    const at = file.atMs ?? 0;
    if (at <= 0) continue;
    const handle = ctx.clock.setTimeout(
      () => {
        record.timers.delete(handle);
        if (record.state === 'CONTAINER_RUNNING') write(ctx, record, file);
      },
      at,
      { background: true },
    );
    record.timers.add(handle);
  }
}

/** Checks an image's file script, so that a bad one fails where the image is added. */
export function checkFileScript(where: string, files: readonly ScriptedFileWrite[] | undefined): void {
  if (files === undefined) return;
  if (!Array.isArray(files))
    throw new TypeError(`${where}: behaviour.files must be a list of { atMs?, path, content }`);
  files.forEach((file: ScriptedFileWrite, i) => {
    const name = `${where}: behaviour.files[${i}]`;
    if (file === null || typeof file !== 'object') throw new TypeError(`${name} must be an object`);
    if (typeof file.path !== 'string' || !file.path.startsWith('/')) {
      throw new TypeError(
        `${name}.path must be an absolute path such as "/data/out.txt", got ${JSON.stringify(file.path)}`,
      );
    }
    if (typeof file.content !== 'string' && typeof file.content !== 'function') {
      throw new TypeError(`${name}.content must be text or a function of the process`);
    }
    if (file.atMs !== undefined && !(Number.isFinite(file.atMs) && file.atMs >= 0)) {
      throw new RangeError(`${name}.atMs must be a finite number >= 0, got ${file.atMs}`);
    }
  });
}
