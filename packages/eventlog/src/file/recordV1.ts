import { CorruptLogError } from '../errors';
import type { LogEntry } from '../types';
import { crc32 } from './crc32';
import { isZero, parseMeta, SEGMENT_HEADER_BYTES, storedEntry, type TornTail, tornOrCorrupt } from './format';

/*
 * Format version 1, read but no longer written. Each record: payload length
 * (u32 LE), CRC-32 of the payload (u32 LE), then the payload: the header's
 * length (u32 LE), the header as the JSON array
 * `[revision, key, type, time, tombstone 0|1, meta|null]`, and the data as JSON.
 */

const RECORD_HEADER_BYTES = 8;

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
  const frozenMeta = meta === null ? undefined : parseMeta(JSON.stringify(meta));
  return storedEntry(revision, key, type, time, tombstone === 1, frozenMeta, buf, dataStart, end);
}

/**
 * @internal Reads every record of a version 1 segment into `out`; returns the
 * torn tail of the last segment, if any. Damage elsewhere is `CorruptLogError`.
 */
export function decodeSegmentV1(
  file: string,
  buf: Buffer,
  isLast: boolean,
  after: number,
  out: LogEntry<unknown>[],
): TornTail | undefined {
  const size = buf.length;
  const problem = (offset: number, reason: string, end: number | undefined) =>
    tornOrCorrupt(file, size, isLast, offset, reason, end === undefined || end >= size || isZero(buf, offset));
  let last = after;
  let offset = SEGMENT_HEADER_BYTES;
  while (offset < size) {
    if (size - offset < RECORD_HEADER_BYTES) return problem(offset, 'incomplete record header', undefined);
    const length = buf.readUInt32LE(offset);
    const end = offset + RECORD_HEADER_BYTES + length;
    if (length === 0) return problem(offset, 'zero-length record', offset + RECORD_HEADER_BYTES);
    if (end > size) return problem(offset, 'record runs past the end of the file', undefined);
    const payloadStart = offset + RECORD_HEADER_BYTES;
    if (crc32(buf.subarray(payloadStart, end)) !== buf.readUInt32LE(offset + 4)) {
      return problem(offset, 'checksum mismatch', end);
    }
    const entry = decodePayload(file, offset, buf, payloadStart, end);
    if (entry.revision <= last) {
      throw new CorruptLogError(file, offset, `revision ${entry.revision} does not follow revision ${last}`);
    }
    last = entry.revision;
    out.push(entry);
    offset = end;
  }
  return undefined;
}
