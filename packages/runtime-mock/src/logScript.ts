import type { LogScript } from './behaviour';
import { appendLog } from './containerLogs';
import { type ContainerRecord, elapsedMs, type RuntimeContext } from './context';

/** When, in ms since start, the `index`th line of `script` is due (undefined: no such line). */
function dueAt(script: LogScript, index: number): number | undefined {
  if (!('everyMs' in script)) return index === 0 ? (script.atMs ?? 0) : undefined;
  if (script.count !== undefined && index >= script.count) return undefined;
  return (script.firstAtMs ?? script.everyMs) + index * script.everyMs;
}

/** The script whose next line is due first (ties: the one listed first) and when. */
function nextDue(record: ContainerRecord): { script: number; at: number } | undefined {
  const scripts = record.behaviour.logs ?? [];
  let best: { script: number; at: number } | undefined;
  scripts.forEach((script, i) => {
    const at = dueAt(script, record.logCursor[i] ?? 0);
    if (at !== undefined && (best === undefined || at < best.at)) best = { script: i, at };
  });
  return best;
}

/**
 * Writes every scripted line due up to `untilMs` after start that is not
 * written yet, each stamped with the time it was due.
 */
export function writeDueLines(ctx: RuntimeContext, record: ContainerRecord, untilMs = elapsedMs(ctx, record)): void {
  const scripts = record.behaviour.logs ?? [];
  for (let next = nextDue(record); next !== undefined && next.at <= untilMs; next = nextDue(record)) {
    const script = scripts[next.script] as LogScript;
    const index = record.logCursor[next.script] ?? 0;
    record.logCursor[next.script] = index + 1;
    const text = typeof script.line === 'function' ? script.line(index, next.at) : script.line;
    const timestamp = BigInt(Math.floor(record.startedMs + next.at)) * 1_000_000n;
    appendLog(ctx, record.id, timestamp > 0n ? timestamp : 1n, script.stream ?? 'stdout', text);
  }
}

/**
 * Writes the lines due now and arms one timer for the next. Log timers are
 * background timers: lines appear as time passes, but never keep a
 * virtual clock's `runUntilIdle` going. They end with the process.
 */
export function scheduleLogs(ctx: RuntimeContext, record: ContainerRecord): void {
  if (record.state !== 'CONTAINER_RUNNING') return;
  writeDueLines(ctx, record);
  const next = nextDue(record);
  if (next === undefined) return;
  const handle = ctx.clock.setTimeout(
    () => {
      record.timers.delete(handle);
      scheduleLogs(ctx, record);
    },
    Math.max(0, next.at - elapsedMs(ctx, record)),
    { background: true },
  );
  record.timers.add(handle);
}

function finite(where: string, name: string, value: number | undefined, min: number, strict: boolean): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || (strict ? value <= min : value < min)) {
    throw new RangeError(`${where}: ${name} must be a finite number ${strict ? '>' : '>='} ${min}, got ${value}`);
  }
}

/** Checks an image's log scripts, so that a bad one fails where the image is added. */
export function checkLogScripts(where: string, logs: readonly LogScript[] | undefined): void {
  if (logs === undefined) return;
  if (!Array.isArray(logs)) throw new TypeError(`${where}: behaviour.logs must be a list of { atMs?, line } lines`);
  logs.forEach((script: LogScript, i) => {
    const name = `behaviour.logs[${i}]`;
    if (script === null || typeof script !== 'object') throw new TypeError(`${where}: ${name} must be an object`);
    const repeating = 'everyMs' in script;
    if (typeof script.line !== 'string' && !(repeating && typeof script.line === 'function')) {
      throw new TypeError(`${where}: ${name}.line must be text${repeating ? ' or a function' : ''}`);
    }
    if (script.stream !== undefined && script.stream !== 'stdout' && script.stream !== 'stderr') {
      throw new TypeError(`${where}: ${name}.stream must be 'stdout' or 'stderr', got ${String(script.stream)}`);
    }
    if (!repeating) {
      finite(where, `${name}.atMs`, script.atMs, 0, false);
      return;
    }
    finite(where, `${name}.everyMs`, script.everyMs ?? Number.NaN, 0, true);
    finite(where, `${name}.firstAtMs`, script.firstAtMs, 0, false);
    if (script.count !== undefined && !(Number.isInteger(script.count) && script.count >= 0)) {
      throw new RangeError(`${where}: ${name}.count must be a whole number >= 0, got ${script.count}`);
    }
  });
}
