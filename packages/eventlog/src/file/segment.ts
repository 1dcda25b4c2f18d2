import { CorruptLogError } from '../errors';
import type { LogEntry } from '../types';
import { crc32 } from './crc32';

/** Every segment starts with these 8 bytes: magic "KLSG" and format version 1. */
export const SEGMENT_HEADER = Buffer.from([0x4b, 0x4c, 0x53, 0x47, 1, 0, 0, 0]);
const RECORD_HEADER_BYTES = 8;

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

/**
 * @internal One record: payload length (u32 LE), CRC-32 of the payload
 * (u32 LE), then the payload: the header's length (u32 LE), the header, a JSON
 * array `[revision, key, type, time, tombstone 0|1, meta|null]`, and the data
 * as JSON. Keeping the data apart lets a reopened log index every entry
 * without parsing any data: it is parsed on first access.
 */
export function encodeRecord(entry: LogEntry<unknown>, dataJson: string): Buffer {
  const header =
    `[${entry.revision},${JSON.stringify(entry.key)},${JSON.stringify(entry.type)},${entry.time},` +
    `${entry.tombstone ? 1 : 0},${entry.meta === undefined ? 'null' : JSON.stringify(entry.meta)}]`;
  const headerBytes = Buffer.byteLength(header);
  const length = 4 + headerBytes + Buffer.byteLength(dataJson);
  const record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + length);
  record.writeUInt32LE(length, 0);
  record.writeUInt32LE(headerBytes, RECORD_HEADER_BYTES);
  record.write(header, RECORD_HEADER_BYTES + 4, 'utf8');
  record.write(dataJson, RECORD_HEADER_BYTES + 4 + headerBytes, 'utf8');
  record.writeUInt32LE(crc32(record.subarray(RECORD_HEADER_BYTES)), 4);
  return record;
}

/** What recovery cut off the end of the last segment. */
export interface TornTail {
  offset: number;
  droppedBytes: number;
  reason: string;
}

/** @internal A segment read back: its entries and, for the last segment, a torn tail to cut. */
export interface DecodedSegment {
  entries: LogEntry<unknown>[];
  torn: TornTail | undefined;
}

function isZero(buf: Buffer, from: number): boolean {
  for (let i = from; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}

/** A stored entry whose data is parsed from the segment bytes on first access, then kept. */
function storedEntry(
  revision: number,
  key: string,
  type: string,
  time: number,
  tombstone: boolean,
  meta: Record<string, string> | null,
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
  if (meta !== null) entry.meta = Object.freeze(meta);
  return Object.freeze(entry);
}

function decodePayload(file: string, offset: number, buf: Buffer, start: number, end: number): LogEntry<unknown> {
  const headerBytes = end - start >= 4 ? buf.readUInt32LE(start) : -1;
  const dataStart = start + 4 + headerBytes;
  if (headerBytes < 0 || dataStart > end) throw new CorruptLogError(file, offset, 'the record header does not fit');
  let parsed: unknown;
  try {
    parsed = JSON.parse(buf.toString('utf8', start + 4, dataStart));
  } catch {
    throw new CorruptLogError(file, offset, 'the record passes its checksum but its header is not JSON');
  }
  if (!Array.isArray(parsed) || parsed.length !== 6) {
    throw new CorruptLogError(file, offset, 'the record is not an entry');
  }
  const [revision, key, type, time, tombstone, meta] = parsed as unknown[];
  if (
    typeof revision !== 'number' ||
    typeof key !== 'string' ||
    typeof type !== 'string' ||
    typeof time !== 'number' ||
    (tombstone !== 0 && tombstone !== 1) ||
    (meta !== null && typeof meta !== 'object')
  ) {
    throw new CorruptLogError(file, offset, 'the record has fields of the wrong types');
  }
  return storedEntry(
    revision,
    key,
    type,
    time,
    tombstone === 1,
    meta as Record<string, string> | null,
    buf,
    dataStart,
    end,
  );
}

/**
 * @internal Reads every record of a segment. In the last segment a bad
 * record that ends the file (or is followed only by zeros) is a torn write
 * to cut off; anywhere else it is a `CorruptLogError`.
 */
export function decodeSegment(file: string, buf: Buffer, isLast: boolean, after: number): DecodedSegment {
  const entries: LogEntry<unknown>[] = [];
  const problem = (offset: number, reason: string, recordEnd: number | undefined): DecodedSegment => {
    const tail = recordEnd === undefined || recordEnd >= buf.length || isZero(buf, offset);
    if (isLast && tail) return { entries, torn: { offset, droppedBytes: buf.length - offset, reason } };
    throw new CorruptLogError(file, offset, reason);
  };
  if (buf.length < SEGMENT_HEADER.length) return problem(0, 'incomplete segment header', undefined);
  if (!buf.subarray(0, SEGMENT_HEADER.length).equals(SEGMENT_HEADER)) {
    throw new CorruptLogError(file, 0, 'not a Keelson log segment (bad magic or version)');
  }
  let last = after;
  let offset = SEGMENT_HEADER.length;
  while (offset < buf.length) {
    if (buf.length - offset < RECORD_HEADER_BYTES) return problem(offset, 'incomplete record header', undefined);
    const length = buf.readUInt32LE(offset);
    const end = offset + RECORD_HEADER_BYTES + length;
    if (length === 0) return problem(offset, 'zero-length record', offset + RECORD_HEADER_BYTES);
    if (end > buf.length) return problem(offset, 'record runs past the end of the file', undefined);
    const payloadStart = offset + RECORD_HEADER_BYTES;
    if (crc32(buf.subarray(payloadStart, end)) !== buf.readUInt32LE(offset + 4)) {
      return problem(offset, 'checksum mismatch', end);
    }
    const entry = decodePayload(file, offset, buf, payloadStart, end);
    if (entry.revision <= last) {
      throw new CorruptLogError(file, offset, `revision ${entry.revision} does not follow revision ${last}`);
    }
    last = entry.revision;
    entries.push(entry);
    offset = end;
  }
  return { entries, torn: undefined };
}
