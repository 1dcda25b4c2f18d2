import * as zlib from 'node:zlib';

let table: Uint32Array | undefined;

function crc32Table(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

function crc32Portable(bytes: Uint8Array): number {
  const t = crc32Table();
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = (t[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// zlib.crc32 is native (Node >= 20.15); the table version covers earlier Node 20 releases.
const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** @internal CRC-32 (IEEE 802.3), as zlib and gzip compute it. */
export const crc32: (bytes: Uint8Array) => number = native ?? crc32Portable;

/** @internal Exposed for the test that checks both implementations agree. */
export const crc32Fallback = crc32Portable;
