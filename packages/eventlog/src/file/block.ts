import type { LogEntry } from '../types';
import { crc32 } from './crc32';

/*
 * Format version 2. After the segment header come blocks: one per write (a
 * group commit's batch), split at MAX_BLOCK_BODY. A block header is four u32
 * LE: body length, record count, CRC-32 of the body, CRC-32 of the first 12
 * header bytes. The body is the records back to back, each a fixed 36-byte
 * header (revision f64, time f64, key / type / meta / data lengths u32,
 * flags u32: 1 = tombstone, 2 = has meta) then the key and type as UTF-8,
 * meta as JSON and data as JSON.
 */

/** @internal Bytes of a block header. */
export const BLOCK_HEADER_BYTES = 16;
/** @internal Bytes of a record's fixed header. */
export const RECORD_HEADER_BYTES = 36;
/** A block's body holds records up to this size (a larger record gets a block of its own). */
const MAX_BLOCK_BODY = 1 << 20;

const TOMBSTONE = 1;
const HAS_META = 2;

/** @internal One record of format version 2 (without its block). */
export function encodeRecord(entry: LogEntry<unknown>, dataJson: string): Buffer {
  const metaJson = entry.meta === undefined ? '' : JSON.stringify(entry.meta);
  const keyBytes = Buffer.byteLength(entry.key);
  const typeBytes = Buffer.byteLength(entry.type);
  const metaBytes = Buffer.byteLength(metaJson);
  const dataBytes = Buffer.byteLength(dataJson);
  const record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + keyBytes + typeBytes + metaBytes + dataBytes);
  record.writeDoubleLE(entry.revision, 0);
  record.writeDoubleLE(entry.time, 8);
  record.writeUInt32LE(keyBytes, 16);
  record.writeUInt32LE(typeBytes, 20);
  record.writeUInt32LE(metaBytes, 24);
  record.writeUInt32LE(dataBytes, 28);
  record.writeUInt32LE((entry.tombstone ? TOMBSTONE : 0) | (entry.meta === undefined ? 0 : HAS_META), 32);
  let at = RECORD_HEADER_BYTES;
  at += record.write(entry.key, at, 'utf8');
  at += record.write(entry.type, at, 'utf8');
  at += record.write(metaJson, at, 'utf8');
  record.write(dataJson, at, 'utf8');
  return record;
}

/** @internal Writes a block header for the body at `buf[at + 16, at + 16 + bodyBytes)`. */
function sealBlock(buf: Buffer, at: number, bodyBytes: number, count: number): void {
  buf.writeUInt32LE(bodyBytes, at);
  buf.writeUInt32LE(count, at + 4);
  const bodyStart = at + BLOCK_HEADER_BYTES;
  buf.writeUInt32LE(crc32(buf.subarray(bodyStart, bodyStart + bodyBytes)), at + 8);
  buf.writeUInt32LE(crc32(buf.subarray(at, at + 12)), at + 12);
}

/** @internal The bytes to write for `records`: blocks of at most 1 MiB of body each. */
export function encodeBlocks(records: readonly Buffer[]): Buffer {
  let total = 0;
  let blocks = 0;
  let body = MAX_BLOCK_BODY;
  for (const record of records) {
    if (body > 0 && body + record.length > MAX_BLOCK_BODY) {
      blocks++;
      body = 0;
    }
    body += record.length;
    total += record.length;
  }
  const out = Buffer.allocUnsafe(total + blocks * BLOCK_HEADER_BYTES);
  let blockAt = 0;
  let at = BLOCK_HEADER_BYTES;
  let count = 0;
  for (const record of records) {
    const bodyBytes = at - blockAt - BLOCK_HEADER_BYTES;
    if (count > 0 && bodyBytes + record.length > MAX_BLOCK_BODY) {
      sealBlock(out, blockAt, bodyBytes, count);
      blockAt = at;
      at += BLOCK_HEADER_BYTES;
      count = 0;
    }
    at += record.copy(out, at);
    count++;
  }
  if (count > 0) sealBlock(out, blockAt, at - blockAt - BLOCK_HEADER_BYTES, count);
  return out;
}
