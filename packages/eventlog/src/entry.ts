import { InvalidError } from './errors';
import type { AppendOptions, LogEntry, NewLogEntry } from './types';

/** Default bound on one encoded entry: above the store's 1.5 MiB object limit plus overhead. */
export const DEFAULT_MAX_ENTRY_BYTES = 2 * 1024 * 1024;

const MAX_DEPTH = 512;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

function pathOf(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/**
 * Throws unless `value` survives a JSON round trip unchanged, so that an entry
 * read back from disk equals the one appended.
 */
function checkJson(value: unknown, path: string, depth: number): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new InvalidError(`${path} is ${value}, which JSON cannot encode; use a finite number or null`);
      }
      return;
    case 'object': {
      if (value === null) return;
      if (depth >= MAX_DEPTH) {
        throw new InvalidError(`${path} is nested more than ${MAX_DEPTH} levels deep (is it circular?); flatten it`);
      }
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          if (item === undefined) {
            throw new InvalidError(`${pathOf(path, i)} is undefined (or a hole), which JSON turns into null; use null`);
          }
          checkJson(item, pathOf(path, i), depth + 1);
        }
        return;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new InvalidError(
          `${path} is a ${describe(value)}, which JSON does not round-trip; convert it to a plain object, array or string`,
        );
      }
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key];
        if (item === undefined) {
          throw new InvalidError(
            `${pathOf(path, key)} is undefined, which JSON drops; remove the property or use null`,
          );
        }
        checkJson(item, pathOf(path, key), depth + 1);
      }
      return;
    }
    default:
      throw new InvalidError(`${path} is a ${typeof value}, which JSON cannot encode; store plain data only`);
  }
}

function checkNonEmptyString(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidError(
      `entry.${field} must be a non-empty string, got ${JSON.stringify(value) ?? describe(value)}`,
    );
  }
}

/** @internal Checks `options.expectedRevision`. */
export function checkAppendOptions(options: AppendOptions | undefined): void {
  const expected = options?.expectedRevision;
  if (expected !== undefined && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw new InvalidError(
      `options.expectedRevision must be an integer >= 0 (0 = the key is absent), got ${String(expected)}`,
    );
  }
}

/** @internal A checked new entry with its data already encoded. */
export interface CheckedEntry<T> {
  entry: NewLogEntry<T>;
  dataJson: string;
}

/**
 * @internal Checks an entry before anything is written and encodes its data
 * once. Every backend calls this, so bad input fails the same way everywhere.
 */
export function checkEntry<T>(entry: NewLogEntry<T>, maxEntryBytes: number): CheckedEntry<T> {
  if (typeof entry !== 'object' || entry === null) {
    throw new InvalidError(`entry must be an object with key, type, time and data, got ${describe(entry)}`);
  }
  checkNonEmptyString(entry.key, 'key');
  checkNonEmptyString(entry.type, 'type');
  if (typeof entry.time !== 'number' || !Number.isFinite(entry.time)) {
    throw new InvalidError(`entry.time must be a finite number of epoch milliseconds, got ${describe(entry.time)}`);
  }
  if (entry.tombstone !== undefined && entry.tombstone !== true) {
    throw new InvalidError(`entry.tombstone must be true or absent, got ${describe(entry.tombstone)}`);
  }
  if (entry.meta !== undefined) {
    const meta = entry.meta as unknown;
    if (typeof meta !== 'object' || meta === null || Object.getPrototypeOf(meta) !== Object.prototype) {
      throw new InvalidError(`entry.meta must be a plain object of strings, got ${describe(meta)}`);
    }
    for (const [k, v] of Object.entries(meta)) {
      if (typeof v !== 'string') throw new InvalidError(`entry.meta.${k} must be a string, got ${describe(v)}`);
    }
  }
  if (entry.data === undefined) {
    throw new InvalidError('entry.data is undefined; give the entry JSON data (null if there is none)');
  }
  checkJson(entry.data, 'entry.data', 0);
  const dataJson = JSON.stringify(entry.data);
  const size =
    Buffer.byteLength(dataJson) +
    Buffer.byteLength(entry.key) +
    Buffer.byteLength(entry.type) +
    (entry.meta === undefined ? 0 : Buffer.byteLength(JSON.stringify(entry.meta)));
  if (size > maxEntryBytes) {
    throw new InvalidError(
      `entry for key "${entry.key}" is ${size} bytes encoded, over the ${maxEntryBytes}-byte limit; store less per entry`,
    );
  }
  return { entry, dataJson };
}

/** @internal Builds the stored entry: frozen, with only the fields that are set. */
export function sealEntry<T>(entry: NewLogEntry<T>, revision: number): LogEntry<T> {
  const sealed: LogEntry<T> = { revision, key: entry.key, type: entry.type, time: entry.time, data: entry.data };
  if (entry.tombstone) sealed.tombstone = true;
  if (entry.meta !== undefined) sealed.meta = Object.freeze({ ...entry.meta });
  return Object.freeze(sealed);
}
