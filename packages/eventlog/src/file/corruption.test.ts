import { open, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/tempDir';
import { type CorruptLogError, isKeelsonError } from '../errors';
import type { LogEntry } from '../types';
import { crc32 } from './crc32';
import { type FileLog, openFileLog } from './fileLog';

let dir: string;
let remove: () => Promise<void>;
let path: string;
let written: LogEntry[];
/** Offsets of the blocks of the segment, and where it ends. */
let blocks: number[];
const logs: FileLog[] = [];

async function readAll(log: FileLog): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const e of log.read()) out.push(e);
  return out;
}

function blockOffsets(bytes: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = 8; at < bytes.length; at += 16 + bytes.readUInt32LE(at)) offsets.push(at);
  return offsets;
}

/** Three blocks: 3 sequential appends (one block each), then 5 concurrent ones (one shared block). */
beforeEach(async () => {
  ({ dir, remove } = await tempDir('corrupt'));
  const log = await openFileLog(dir);
  written = [];
  for (let i = 0; i < 3; i++) written.push(await log.append({ key: `k${i}`, type: 'T', time: i, data: { i } }));
  const batch = Array.from({ length: 5 }, (_, i) => log.append({ key: `b${i}`, type: 'T', time: 9, data: { i } }));
  written.push(...(await Promise.all(batch)));
  await log.close();
  path = join(dir, (await readdir(dir)).find((name) => name.endsWith('.seg')) as string);
  blocks = blockOffsets(await readFile(path));
});

afterEach(async () => {
  for (const log of logs.splice(0)) await log.close();
  await remove();
});

async function flip(offset: number): Promise<Buffer> {
  const bytes = await readFile(path);
  bytes[offset] = (bytes[offset] as number) ^ 0x01;
  await writeFile(path, bytes);
  return bytes;
}

async function corruption(): Promise<CorruptLogError> {
  const error = await openFileLog(dir).then(
    (log) => {
      logs.push(log);
      throw new Error('expected the open to fail');
    },
    (e: unknown) => e,
  );
  expect(isKeelsonError(error, 'CorruptLog')).toBe(true);
  return error as CorruptLogError;
}

describe('file log format 2: corruption before the tail', () => {
  it('groups a batch of concurrent appends into one block', () => {
    expect(blocks).toHaveLength(4);
  });

  it.each([
    ['the body length in a block header', 0, 'block header checksum mismatch'],
    ['the record count in a block header', 4, 'block header checksum mismatch'],
    ['the body CRC (which the header CRC covers)', 8, 'block header checksum mismatch'],
    ['the header CRC', 12, 'block header checksum mismatch'],
    ["a record header's revision", 16 + 6, 'block checksum mismatch'],
    ["a record header's key length", 16 + 16, 'block checksum mismatch'],
    ["a record's data", -3, 'block checksum mismatch'],
  ])(
    'reports a flipped byte in %s with the segment and the block offset, and changes nothing',
    async (_, at, reason) => {
      const block = 1;
      const start = blocks[block] as number;
      const end = blocks[block + 1] as number;
      const damaged = await flip(at < 0 ? end + at : start + at);
      const error = await corruption();
      expect(error.file).toBe(path);
      expect(error.offset).toBe(start);
      expect(error.message).toContain(`${path} at byte ${start}: ${reason}`);
      expect((await readFile(path)).equals(damaged)).toBe(true);
    },
  );

  it('refuses a block that passes its checksum but whose records do not fill it', async () => {
    const bytes = await readFile(path);
    const start = blocks[0] as number;
    bytes.writeUInt32LE(2, start + 4); // claims two records, holds one
    bytes.writeUInt32LE(crc32(bytes.subarray(start, start + 12)), start + 12);
    await writeFile(path, bytes);
    const error = await corruption();
    expect(error.offset).toBe(blocks[1]); // where record 1 should start: the end of the block
    expect(error.message).toMatch(/the block passes its checksum but record 1 of 2 does not fit/);
  });
});

describe('file log format 2: torn tail', () => {
  it('cuts a half-written last block (a whole batch, never acknowledged) and keeps the blocks before it', async () => {
    const last = blocks[3] as number;
    const size = (await stat(path)).size;
    await truncate(path, size - 7);
    const log = await openFileLog(dir);
    logs.push(log);
    expect(log.recovery).toEqual({
      segment: path,
      offset: last,
      droppedBytes: size - 7 - last,
      reason: 'block runs past the end of the file',
    });
    expect(await readAll(log)).toEqual(written.slice(0, 3));
    const after = await log.append({ key: 'b0', type: 'T', time: 10, data: 'again' });
    expect(after.revision).toBe(4);
    expect((await stat(path)).size).toBeGreaterThan(last);
  });

  it('cuts a last block whose body fails its checksum, or whose header is garbage followed by zeros', async () => {
    const size = (await stat(path)).size;
    await flip(size - 2);
    const log = await openFileLog(dir);
    expect(log.recovery).toMatchObject({ offset: blocks[3], reason: 'block checksum mismatch' });
    expect(await readAll(log)).toHaveLength(3);
    await log.close();

    const handle = await open(path, 'a');
    await handle.write(Buffer.concat([Buffer.from([9, 9, 9, 9, 9]), Buffer.alloc(100)]));
    await handle.close();
    const again = await openFileLog(dir);
    logs.push(again);
    expect(again.recovery).toMatchObject({ offset: blocks[3], droppedBytes: 105 });
    expect(again.recovery?.reason).toBe('block header checksum mismatch');
    expect(await readAll(again)).toHaveLength(3);
  });

  it('refuses a damaged header in the last segment when data follows it', async () => {
    await flip((blocks[3] as number) + 1);
    expect((await corruption()).offset).toBe(blocks[3]);
  });
});
