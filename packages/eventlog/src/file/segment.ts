import { sealEntry } from '../entry';
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
 * (u32 LE), then the payload, a JSON array
 * `[revision, key, type, time, tombstone 0|1, meta|null, data]`.
 */
export function encodeRecord(entry: LogEntry<unknown>, dataJson: string): Buffer {
  const payload =
    `[${entry.revision},${JSON.stringify(entry.key)},${JSON.stringify(entry.type)},${entry.time},` +
    `${entry.tombstone ? 1 : 0},${entry.meta === undefined ? 'null' : JSON.stringify(entry.meta)},${dataJson}]`;
  const length = Buffer.byteLength(payload);
  const record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + length);
  record.writeUInt32LE(length, 0);
  record.write(payload, RECORD_HEADER_BYTES, 'utf8');
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

function decodePayload(file: string, offset: number, text: string): LogEntry<unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CorruptLogError(file, offset, 'the record passes its checksum but is not JSON');
  }
  if (!Array.isArray(parsed) || parsed.length !== 7) {
    throw new CorruptLogError(file, offset, 'the record is not an entry');
  }
  const [revision, key, type, time, tombstone, meta, data] = parsed as unknown[];
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
  const entry = { key, type, time, data } as Parameters<typeof sealEntry>[0];
  if (tombstone === 1) entry.tombstone = true;
  if (meta !== null) entry.meta = meta as Record<string, string>;
  return sealEntry(entry, revision);
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
    const payload = buf.subarray(offset + RECORD_HEADER_BYTES, end);
    if (crc32(payload) !== buf.readUInt32LE(offset + 4)) return problem(offset, 'checksum mismatch', end);
    const entry = decodePayload(file, offset, payload.toString('utf8'));
    if (entry.revision <= last) {
      throw new CorruptLogError(file, offset, `revision ${entry.revision} does not follow revision ${last}`);
    }
    last = entry.revision;
    entries.push(entry);
    offset = end;
  }
  return { entries, torn: undefined };
}
