import { internMeta } from '../entry';
import { CorruptLogError, UnsupportedLogFormatError } from '../errors';
import type { LogEntry } from '../types';

/** The segment format this code writes. */
export const FORMAT_VERSION = 2;
/** Every format version this code reads. */
export const READABLE_VERSIONS: readonly number[] = [1, 2];

/** @internal Length of the segment header: magic "KLSG", then the format version (u32 LE). */
export const SEGMENT_HEADER_BYTES = 8;
const MAGIC = Buffer.from('KLSG', 'latin1');

/** @internal The 8-byte header that starts a segment of the given format version. */
export function segmentHeader(version: number = FORMAT_VERSION): Buffer {
  const header = Buffer.alloc(SEGMENT_HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(version, 4);
  return header;
}

/**
 * @internal The format version in a segment's header. Throws `CorruptLogError`
 * when the bytes are not a segment, `UnsupportedLogFormatError` for a version
 * this code cannot read.
 */
export function segmentVersion(file: string, header: Buffer): number {
  if (header.length < SEGMENT_HEADER_BYTES || !header.subarray(0, 4).equals(MAGIC)) {
    throw new CorruptLogError(file, 0, 'not a Keelson log segment (bad magic)');
  }
  const version = header.readUInt32LE(4);
  if (!READABLE_VERSIONS.includes(version)) throw new UnsupportedLogFormatError(file, version, READABLE_VERSIONS);
  return version;
}

const SEGMENT_NAME = /^(\d{8})-(\d{16})\.seg$/;

/** @internal `<generation>-<first revision>.seg`: sorts by name in revision order. */
export function segmentName(generation: number, firstRevision: number): string {
  return `${String(generation).padStart(8, '0')}-${String(firstRevision).padStart(16, '0')}.seg`;
}

/** @internal Parses a segment file name; undefined for other files. */
export function parseSegmentName(name: string): { generation: number; firstRevision: number } | undefined {
  const match = SEGMENT_NAME.exec(name);
  if (!match) return undefined;
  return { generation: Number(match[1]), firstRevision: Number(match[2]) };
}

/** What recovery cut off the end of the last segment. */
export interface TornTail {
  offset: number;
  droppedBytes: number;
  reason: string;
}

/** @internal Whether every byte of `buf` from `from` to `to` is zero. */
export function isZero(buf: Buffer, from: number, to: number = buf.length): boolean {
  for (let i = from; i < to; i++) if (buf[i] !== 0) return false;
  return true;
}

/**
 * @internal Decides what a bad span means: at the end of the last segment
 * (`tail`: it runs to the end of the file, or only zeros follow) it is a torn
 * write to cut off; anywhere else it is corruption.
 */
export function tornOrCorrupt(
  file: string,
  size: number,
  isLast: boolean,
  offset: number,
  reason: string,
  tail: boolean,
): TornTail {
  if (isLast && tail) return { offset, droppedBytes: size - offset, reason };
  throw new CorruptLogError(file, offset, reason);
}

/** @internal Parses an entry's meta JSON; equal meta (the same actor and reason) shares one frozen object. */
export function parseMeta(text: string): Readonly<Record<string, string>> {
  return internMeta(text);
}

/** @internal A stored entry whose data is parsed from the segment bytes on first access, then kept. */
export function storedEntry(
  revision: number,
  key: string,
  type: string,
  time: number,
  tombstone: boolean,
  meta: Readonly<Record<string, string>> | undefined,
  bytes: Buffer,
  start: number,
  end: number,
): LogEntry<unknown> {
  let parsed = false;
  let data: unknown;
  const entry: LogEntry<unknown> = {
    revision,
    key,
    type,
    time,
    get data() {
      if (!parsed) {
        data = JSON.parse(bytes.toString('utf8', start, end));
        parsed = true;
      }
      return data;
    },
  };
  if (tombstone) entry.tombstone = true;
  if (meta !== undefined) entry.meta = meta as Record<string, string>;
  return Object.freeze(entry);
}

const keys = new Map<string, string>();

/** @internal One string per distinct key: a key's many versions share it rather than each holding a copy. */
export function internKey(key: string): string {
  const known = keys.get(key);
  if (known !== undefined) return known;
  if (keys.size >= 65_536) keys.clear();
  keys.set(key, key);
  return key;
}
