import type { LogEntry } from '../types';

const UNPARSED: unique symbol = Symbol('unparsed');

/**
 * An entry read back from a format 2 segment: frozen, with `time` and `data`
 * own enumerable properties (so it compares, spreads and serialises like any
 * entry). `time` is read from the record's header when the entry is made (a
 * plain field costs less to build than a per-entry accessor); `data` is
 * parsed from the record's bytes on first access, then kept. The accessor is
 * a shared function and the entry's state is private fields, so an entry
 * costs one small object and no closure.
 */
class StoredEntry {
  declare readonly revision: number;
  declare readonly key: string;
  declare readonly time: number;
  declare readonly type: string;
  declare readonly tombstone?: true;
  declare readonly meta?: Readonly<Record<string, string>>;
  /** The segment's bytes, and where this entry's record starts in them. */
  #bytes: Buffer;
  #at: number;
  #data: unknown = UNPARSED;

  static readonly data: PropertyDescriptor = {
    get(this: StoredEntry): unknown {
      if (this.#data === UNPARSED) {
        const bytes = this.#bytes;
        const at = this.#at;
        const start = at + 36 + bytes.readUInt32LE(at + 16) + bytes.readUInt32LE(at + 20) + bytes.readUInt32LE(at + 24);
        this.#data = JSON.parse(bytes.toString('utf8', start, start + bytes.readUInt32LE(at + 28)));
      }
      return this.#data;
    },
    enumerable: true,
  };

  constructor(
    revision: number,
    key: string,
    type: string,
    tombstone: boolean,
    meta: Readonly<Record<string, string>> | undefined,
    bytes: Buffer,
    at: number,
  ) {
    const self = this as { -readonly [K in keyof StoredEntry]: StoredEntry[K] };
    self.revision = revision;
    self.key = key;
    self.type = type;
    self.time = bytes.readDoubleLE(at + 8);
    Object.defineProperty(this, 'data', StoredEntry.data);
    if (tombstone) self.tombstone = true;
    if (meta !== undefined) self.meta = meta;
    this.#bytes = bytes;
    this.#at = at;
    Object.freeze(this);
  }
}

/** @internal The entry of the format 2 record at `bytes[at]` (its checksum and framing already checked). */
export function recordEntry(
  revision: number,
  key: string,
  type: string,
  tombstone: boolean,
  meta: Readonly<Record<string, string>> | undefined,
  bytes: Buffer,
  at: number,
): LogEntry<unknown> {
  return new StoredEntry(revision, key, type, tombstone, meta, bytes, at) as unknown as LogEntry<unknown>;
}
