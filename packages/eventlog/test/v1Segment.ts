import { crc32 } from '../src/file/crc32';
import type { LogEntry } from '../src/types';

/**
 * Writes what the file log wrote before format version 2, to test that older
 * logs still open: the header "KLSG" + version 1, then per record its payload
 * length (u32 LE), the payload's CRC-32 (u32 LE), and the payload: the JSON
 * header's length (u32 LE), `[revision, key, type, time, tombstone, meta]`,
 * and the data as JSON.
 */
export function v1Segment(entries: readonly LogEntry[]): Buffer {
  const parts = [Buffer.from([0x4b, 0x4c, 0x53, 0x47, 1, 0, 0, 0])];
  for (const entry of entries) {
    const header = JSON.stringify([
      entry.revision,
      entry.key,
      entry.type,
      entry.time,
      entry.tombstone ? 1 : 0,
      entry.meta ?? null,
    ]);
    const data = JSON.stringify(entry.data);
    const headerBytes = Buffer.byteLength(header);
    const payload = Buffer.alloc(4 + headerBytes + Buffer.byteLength(data));
    payload.writeUInt32LE(headerBytes, 0);
    payload.write(header, 4, 'utf8');
    payload.write(data, 4 + headerBytes, 'utf8');
    const prefix = Buffer.alloc(8);
    prefix.writeUInt32LE(payload.length, 0);
    prefix.writeUInt32LE(crc32(payload), 4);
    parts.push(prefix, payload);
  }
  return Buffer.concat(parts);
}
