import type { LogEntry, NewLogEntry } from '@keelson/eventlog';
import type { IKeyValue } from 'etcd3';
import { CorruptEntryError } from './errors';

/** What an etcd value holds: the entry without its key and revision, which etcd's key and mod_revision give. */
interface StoredEntry {
  type: string;
  time: number;
  data: unknown;
  meta?: Record<string, string>;
  tombstone?: true;
}

/**
 * @internal Where a log lives in etcd, under its root `P/`:
 * - `P/k/<key>` the live key: the key's last entry while the key exists;
 * - `P/t/<key>` the key's last tombstone, written in the txn that deletes `P/k/<key>`.
 * A watch on [`P/k/`, `P/t0`) sees every entry: puts on `P/k/` and `P/t/`.
 */
export class KeyLayout {
  readonly liveRoot: Buffer;
  readonly tombRoot: Buffer;
  /** Exclusive end of the range a watch covers (just after every `P/t/…` key). */
  readonly watchEnd: Buffer;

  constructor(readonly root: string) {
    this.liveRoot = Buffer.from(`${root}k/`);
    this.tombRoot = Buffer.from(`${root}t/`);
    this.watchEnd = Buffer.from(`${root}t0`);
  }

  live(key: string): Buffer {
    return Buffer.concat([this.liveRoot, Buffer.from(key)]);
  }

  tomb(key: string): Buffer {
    return Buffer.concat([this.tombRoot, Buffer.from(key)]);
  }

  /** The exclusive end of a prefix range: the prefix with its last byte incremented. */
  static prefixEnd(prefix: Buffer): Buffer {
    const end = Buffer.from(prefix);
    end[end.length - 1] = (end[end.length - 1] as number) + 1;
    return end;
  }

  /** Which part of the layout an etcd key is in, and the log key it stands for. */
  classify(etcdKey: Buffer): { part: 'live' | 'tomb'; key: string } | undefined {
    for (const [part, root] of [
      ['live', this.liveRoot],
      ['tomb', this.tombRoot],
    ] as const) {
      if (etcdKey.length > root.length && etcdKey.subarray(0, root.length).equals(root)) {
        return { part, key: etcdKey.subarray(root.length).toString('utf8') };
      }
    }
    return undefined;
  }
}

/** @internal The etcd value for an entry. */
export function encodeEntry(entry: NewLogEntry): Buffer {
  const stored: StoredEntry = { type: entry.type, time: entry.time, data: entry.data };
  if (entry.meta !== undefined) stored.meta = entry.meta;
  if (entry.tombstone) stored.tombstone = true;
  return Buffer.from(JSON.stringify(stored));
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

/** @internal The frozen entry an etcd key-value holds; `CorruptEntryError` if it holds something else. */
export function decodeEntry<T>(kv: IKeyValue, key: string, tombstone: boolean): LogEntry<T> {
  const revision = Number(kv.mod_revision);
  const bad = (detail: string) => new CorruptEntryError(kv.key.toString('utf8'), revision, detail);
  let stored: Partial<StoredEntry>;
  try {
    stored = JSON.parse(kv.value.toString('utf8')) as Partial<StoredEntry>;
  } catch (error) {
    throw bad(`not JSON: ${(error as Error).message}`);
  }
  if (typeof stored !== 'object' || stored === null) throw bad('not an object');
  if (typeof stored.type !== 'string' || typeof stored.time !== 'number' || !('data' in stored)) {
    throw bad('type, time or data missing');
  }
  if (stored.meta !== undefined && !isStringRecord(stored.meta)) throw bad('meta is not a record of strings');
  if ((stored.tombstone === true) !== tombstone) throw bad('tombstone flag does not match the key');
  const entry: LogEntry<T> = { revision, key, type: stored.type, time: stored.time, data: stored.data as T };
  if (tombstone) entry.tombstone = true;
  if (stored.meta !== undefined) entry.meta = Object.freeze({ ...stored.meta });
  return Object.freeze(entry);
}

/** @internal The `meta.requestId` an etcd value carries, without decoding the rest when it cannot. */
export function requestIdOf(kv: IKeyValue | undefined): string | undefined {
  if (!kv) return undefined;
  try {
    const stored = JSON.parse(kv.value.toString('utf8')) as Partial<StoredEntry>;
    return typeof stored?.meta?.requestId === 'string' ? stored.meta.requestId : undefined;
  } catch {
    return undefined;
  }
}
