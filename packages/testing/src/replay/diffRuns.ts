/**
 * Finding where two runs parted: the first log entry that differs, and the
 * first field in it that does.
 */
import { InvalidError } from '@keelson/core';
import type { EventLog, LogEntry } from '@keelson/eventlog';

/** Where two logs first differ. */
export interface RunDifference {
  /** Position of the entry (0-based) in both logs. */
  index: number;
  /** The entry of the first log there, or `undefined` when it ended first. */
  a: LogEntry | undefined;
  /** The entry of the second log there, or `undefined` when it ended first. */
  b: LogEntry | undefined;
  /** JSON path of the first differing field (`revision`, `key`, `time`, `data.status.phase`, …); `''` when a log ended. */
  path: string;
  /** One line saying what differs, for a test failure. */
  message: string;
}

/** Options for {@link diffRuns}. */
export interface DiffRunsOptions {
  /** Leave `meta` (actor, reason, request ids) out of the comparison. */
  ignoreMeta?: boolean;
}

function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return path;
  if (Array.isArray(a) !== Array.isArray(b)) return path;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])];
  for (const key of keys) {
    const at = path === '' ? key : `${path}.${key}`;
    if (!(key in left) || !(key in right)) return at;
    const found = firstDifference(left[key], right[key], at);
    if (found !== undefined) return found;
  }
  return undefined;
}

function valueAt(entry: LogEntry, path: string): unknown {
  let value: unknown = entry;
  for (const part of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  return value;
}

function describe(index: number, a: LogEntry | undefined, b: LogEntry | undefined, path: string): string {
  if (a === undefined)
    return `entry #${index}: the first run ended; the second wrote ${b?.key} (revision ${b?.revision})`;
  if (b === undefined)
    return `entry #${index}: the second run ended; the first wrote ${a.key} (revision ${a.revision})`;
  const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));
  return `entry #${index} (revision ${a.revision} / ${b.revision}, ${a.key}${a.key === b.key ? '' : ` / ${b.key}`}): ${path} is ${show(valueAt(a, path))} in the first run and ${show(valueAt(b, path))} in the second`;
}

function comparable(entry: LogEntry, ignoreMeta: boolean): Record<string, unknown> {
  const { meta, ...rest } = entry;
  return ignoreMeta || meta === undefined ? rest : { ...rest, meta };
}

/**
 * Compares two logs entry by entry (revision, key, type, time, data,
 * tombstone and, unless `ignoreMeta`, meta) and returns the first
 * difference, or `undefined` when the runs wrote the same history. Two runs
 * of one cluster with the same seed and inputs must give `undefined`.
 *
 * @example
 * ```ts
 * const difference = await diffRuns(first.log, second.log);
 * expect(difference?.message).toBeUndefined();
 * ```
 */
export async function diffRuns(
  logA: EventLog,
  logB: EventLog,
  options: DiffRunsOptions = {},
): Promise<RunDifference | undefined> {
  for (const [name, log] of [
    ['logA', logA],
    ['logB', logB],
  ] as const) {
    if (!log || typeof log.read !== 'function') throw new InvalidError(`diffRuns: ${name} must be an event log`);
  }
  const ignoreMeta = options.ignoreMeta ?? false;
  const left = logA.read()[Symbol.asyncIterator]();
  const right = logB.read()[Symbol.asyncIterator]();
  try {
    for (let index = 0; ; index++) {
      const [x, y] = await Promise.all([left.next(), right.next()]);
      if (x.done && y.done) return undefined;
      const a = x.done ? undefined : x.value;
      const b = y.done ? undefined : y.value;
      const path = a && b ? firstDifference(comparable(a, ignoreMeta), comparable(b, ignoreMeta), '') : '';
      if (path !== undefined) return { index, a, b, path, message: describe(index, a, b, path) };
    }
  } finally {
    await Promise.all([left.return?.(), right.return?.()]);
  }
}
