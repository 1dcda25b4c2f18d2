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

/** Thrown inside the walk; each level on the way out adds its key, so the happy path builds no paths. */
class BadJson {
  readonly keys: Array<string | number> = [];
  constructor(readonly problem: (path: string) => string) {}
}

/**
 * Throws `BadJson` unless `value` survives a JSON round trip unchanged, so an
 * entry read back from disk equals the one appended. Returns a bound on the
 * encoded size in UTF-16 units: each unit takes at most 6 bytes of JSON
 * (`\u0000`), which is what lets the memory log skip serialising.
 */
function checkJson(value: unknown, depth: number): number {
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'boolean':
      return 5;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new BadJson((path) => `${path} is ${value}, which JSON cannot encode; use a finite number or null`);
      }
      return 24;
    case 'object': {
      if (value === null) return 4;
      if (depth >= MAX_DEPTH) {
        throw new BadJson(
          (path) => `${path} is nested more than ${MAX_DEPTH} levels deep (is it circular?); flatten it`,
        );
      }
      let units = 2;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          try {
            if (item === undefined) {
              throw new BadJson((path) => `${path} is undefined (or a hole), which JSON turns into null; use null`);
            }
            units += checkJson(item, depth + 1) + 1;
          } catch (error) {
            if (error instanceof BadJson) error.keys.push(i);
            throw error;
          }
        }
        return units;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new BadJson(
          (path) =>
            `${path} is a ${describe(value)}, which JSON does not round-trip; convert it to a plain object, array or string`,
        );
      }
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key];
        try {
          if (item === undefined) {
            throw new BadJson((path) => `${path} is undefined, which JSON drops; remove the property or use null`);
          }
          units += key.length + 4 + checkJson(item, depth + 1);
        } catch (error) {
          if (error instanceof BadJson) error.keys.push(key);
          throw error;
        }
      }
      return units;
    }
    default:
      throw new BadJson((path) => `${path} is a ${typeof value}, which JSON cannot encode; store plain data only`);
  }
}

function checkData(data: unknown): number {
  try {
    return checkJson(data, 0);
  } catch (error) {
    if (!(error instanceof BadJson)) throw error;
    const path = error.keys.reduceRight<string>((parent, key) => pathOf(parent, key), 'entry.data');
    throw new InvalidError(error.problem(path));
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

/**
 * @internal Checks an entry before anything is written. With `encode`, also
 * serialises its data (the file log needs the bytes); without, serialises
 * only when the size bound says the entry might be over the limit. Every
 * backend calls this, so bad input fails the same way everywhere.
 */
export function checkEntry<T>(entry: NewLogEntry<T>, maxEntryBytes: number, encode: true): string;
export function checkEntry<T>(entry: NewLogEntry<T>, maxEntryBytes: number, encode: false): undefined;
export function checkEntry<T>(entry: NewLogEntry<T>, maxEntryBytes: number, encode: boolean): string | undefined {
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
  let metaUnits = 0;
  if (entry.meta !== undefined) {
    const meta = entry.meta as unknown;
    if (typeof meta !== 'object' || meta === null || Object.getPrototypeOf(meta) !== Object.prototype) {
      throw new InvalidError(`entry.meta must be a plain object of strings, got ${describe(meta)}`);
    }
    for (const [k, v] of Object.entries(meta)) {
      if (typeof v !== 'string') throw new InvalidError(`entry.meta.${k} must be a string, got ${describe(v)}`);
      metaUnits += k.length + v.length + 6;
    }
  }
  if (entry.data === undefined) {
    throw new InvalidError('entry.data is undefined; give the entry JSON data (null if there is none)');
  }
  const units = checkData(entry.data) + entry.key.length + entry.type.length + metaUnits;
  if (!encode && units * 6 <= maxEntryBytes) return undefined;
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
  return encode ? dataJson : undefined;
}

/** @internal Builds the stored entry: frozen, with only the fields that are set. */
export function sealEntry<T>(entry: NewLogEntry<T>, revision: number): LogEntry<T> {
  const sealed: LogEntry<T> = { revision, key: entry.key, type: entry.type, time: entry.time, data: entry.data };
  if (entry.tombstone) sealed.tombstone = true;
  if (entry.meta !== undefined) sealed.meta = sharedMeta(entry.meta);
  return Object.freeze(sealed);
}

const metaCache = new Map<string, Readonly<Record<string, string>>>();

/**
 * @internal The one frozen meta object for the meta whose JSON is `text`
 * (`meta` itself, copied, when the caller has it; parsed from `text`
 * otherwise). Equal meta (the same actor and reason, as most entries carry)
 * shares one object, so a log holding its whole history keeps a few of them
 * rather than one per entry. Used by both the memory and the file log.
 */
export function internMeta(text: string, meta?: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  let shared = metaCache.get(text);
  if (shared === undefined) {
    // Object.assign, not a spread: V8 gives each frozen spread copy its own hidden class.
    shared = Object.freeze(meta === undefined ? (JSON.parse(text) as Record<string, string>) : Object.assign({}, meta));
    if (metaCache.size >= 4096) metaCache.clear();
    metaCache.set(text, shared);
  }
  return shared;
}

function sharedMeta(meta: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  return internMeta(JSON.stringify(meta), meta);
}
