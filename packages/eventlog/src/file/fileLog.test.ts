import { spawn } from 'node:child_process';
import { appendFile, open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '@keelson/clock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../test/tempDir';
import { isKeelsonError } from '../errors';
import type { LogEntry, NewLogEntry } from '../types';
import { crc32 } from './crc32';
import { type FileLog, type FileLogOptions, openFileLog } from './fileLog';

let dir: string;
let remove: () => Promise<void>;
const logs: FileLog[] = [];

beforeEach(async () => {
  ({ dir, remove } = await tempDir('filelog'));
});

afterEach(async () => {
  for (const log of logs.splice(0)) await log.close();
  await remove();
});

async function openLog(options: FileLogOptions = {}): Promise<FileLog> {
  const log = await openFileLog(dir, options);
  logs.push(log);
  return log;
}

async function closeLog(log: FileLog): Promise<void> {
  await log.close();
  logs.splice(logs.indexOf(log), 1);
}

const entry = (key: string, data: unknown = { key }): NewLogEntry => ({ key, type: 'Thing', time: 1, data });

/** A valid block header announcing `bodyBytes` of body in `count` records (the body's CRC left zero). */
function blockHeader(bodyBytes: number, count: number): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32LE(bodyBytes, 0);
  header.writeUInt32LE(count, 4);
  header.writeUInt32LE(crc32(header.subarray(0, 12)), 12);
  return header;
}

async function readAll(log: FileLog): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const e of log.read()) out.push(e);
  return out;
}

async function segments(): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.seg')).sort();
}

async function writeThenClose(count: number, options: FileLogOptions = {}): Promise<LogEntry[]> {
  const log = await openLog(options);
  const written: LogEntry[] = [];
  for (let i = 0; i < count; i++) written.push(await log.append(entry(`k${i}`, { i, text: 'payload' })));
  await closeLog(log);
  return written;
}

async function lastSegmentPath(): Promise<string> {
  return join(dir, (await segments()).at(-1) as string);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('openFileLog recovery', () => {
  it('cuts a torn tail, reports what it dropped, and appends after it', async () => {
    const written = await writeThenClose(10);
    const path = await lastSegmentPath();
    const intact = (await stat(path)).size;
    await appendFile(path, blockHeader(64, 1).subarray(0, 10)); // a block cut inside its header
    const cut = await openLog();
    expect(cut.recovery).toMatchObject({ segment: path, offset: intact, droppedBytes: 10 });
    expect(cut.recovery?.reason).toBe('incomplete block header');
    await closeLog(cut);
    await appendFile(path, Buffer.concat([blockHeader(64, 1), Buffer.from('{"')])); // a block cut mid-body
    const log = await openLog();
    expect(log.recovery).toMatchObject({ segment: path, offset: intact, droppedBytes: 18 });
    expect(log.recovery?.reason).toMatch(/past the end/);
    expect(await readAll(log)).toEqual(written);
    await log.append(entry('after'));
    await closeLog(log);
    const again = await openLog();
    expect(again.recovery).toBeUndefined();
    expect((await readAll(again)).map((e) => e.key)).toEqual([...written.map((e) => e.key), 'after']);
  });

  it('cuts a last record whose checksum fails, and zeros after the last record', async () => {
    await writeThenClose(5);
    const path = await lastSegmentPath();
    const size = (await stat(path)).size;
    const handle = await open(path, 'r+');
    await handle.write(Buffer.from('X'), 0, 1, size - 3); // damage the last record's payload
    await handle.close();
    const log = await openLog();
    expect(log.recovery?.reason).toBe('block checksum mismatch');
    expect(await readAll(log)).toHaveLength(4);
    await closeLog(log);

    await appendFile(await lastSegmentPath(), Buffer.alloc(64));
    const zeros = await openLog();
    expect(zeros.recovery).toMatchObject({ droppedBytes: 64 });
    expect(await readAll(zeros)).toHaveLength(4);
  });

  it('refuses corruption before the tail with CorruptLogError and changes nothing', async () => {
    await writeThenClose(10);
    const path = await lastSegmentPath();
    const before = await readFile(path);
    const damaged = Buffer.from(before);
    damaged[40] = (damaged[40] as number) ^ 0xff; // inside the first block's body
    await writeFile(path, damaged);
    const error = await rejection(openFileLog(dir));
    expect(isKeelsonError(error, 'CorruptLog')).toBe(true);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(/at byte 8: block checksum mismatch/);
    expect(await readFile(path)).toEqual(damaged);
    // The failed open released its lock.
    await writeFile(path, before);
    expect(await readAll(await openLog())).toHaveLength(10);
  });

  it('refuses a damaged record at the end of a segment that is not the last', async () => {
    await writeThenClose(40, { segmentBytes: 1024 });
    const names = await segments();
    expect(names.length).toBeGreaterThan(2);
    const first = join(dir, names[0] as string);
    const bytes = await readFile(first);
    bytes[bytes.length - 2] = (bytes[bytes.length - 2] as number) ^ 0xff;
    await writeFile(first, bytes);
    expect(isKeelsonError(await rejection(openFileLog(dir)), 'CorruptLog')).toBe(true);
  });
});

describe('openFileLog entries read back', () => {
  it('parse their data once, on first access, and keep it', async () => {
    const data = { name: 'web', labels: { app: 'web' }, list: [1, 'two', null, { deep: true }], text: 'ünïcödé ✓' };
    await writeThenClose(0);
    const log = await openLog();
    await log.append(entry('k', data));
    await closeLog(log);
    const [read] = await readAll(await openLog());
    expect(read?.data).toEqual(data);
    expect(read?.data).toBe(read?.data);
    expect(Object.isFrozen(read)).toBe(true);
    expect(JSON.parse(JSON.stringify(read))).toMatchObject({ key: 'k', data });
  });
});

describe('openFileLog segments and compaction', () => {
  it('rolls over segments and reads them all back in order', async () => {
    const written = await writeThenClose(100, { segmentBytes: 2048 });
    expect((await segments()).length).toBeGreaterThan(3);
    expect(await readAll(await openLog({ segmentBytes: 2048 }))).toEqual(written);
  });

  it('rewrites segments on compaction and removes the old generation', async () => {
    const log = await openLog({ segmentBytes: 2048 });
    let last: LogEntry | undefined;
    for (let i = 0; i < 100; i++) last = await log.append(entry(`k${i % 3}`, { i }));
    const old = await segments();
    await log.compact((last as LogEntry).revision);
    const now = await segments();
    expect(now.some((name) => old.includes(name))).toBe(false);
    // k0's entry at the bound, and the last entry before it of k1, k2 and k0.
    expect((await readAll(log)).map((e) => e.data)).toEqual([{ i: 96 }, { i: 97 }, { i: 98 }, { i: 99 }]);
    await log.append(entry('k0', { i: 100 }));
    await closeLog(log);
    const reopened = await openLog();
    expect((await readAll(reopened)).map((e) => e.data)).toEqual([
      { i: 96 },
      { i: 97 },
      { i: 98 },
      { i: 99 },
      { i: 100 },
    ]);
  });

  it('ignores and removes segments of a generation the manifest does not name', async () => {
    const written = await writeThenClose(5);
    // What a crash in the middle of a compaction leaves behind.
    await writeFile(join(dir, '00000001-0000000000000001.seg'), 'half-written');
    await writeFile(join(dir, 'CURRENT.tmp'), '{');
    expect(await readAll(await openLog())).toEqual(written);
    expect(await segments()).toHaveLength(1);
  });
});

describe('openFileLog fsync modes', () => {
  async function countSyncs(fsync: FileLogOptions['fsync'], appends: number): Promise<number> {
    const log = await openLog(fsync === undefined ? {} : { fsync });
    await log.append(entry('warm-up'));
    const probe = await open(join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const spy = vi.spyOn(proto, 'datasync');
    try {
      await Promise.all(Array.from({ length: appends }, (_, i) => log.append(entry(`k${i}`))));
      return spy.mock.calls.length;
    } finally {
      spy.mockRestore();
      await closeLog(log);
    }
  }

  it('group-commits concurrent appends in batch mode: far fewer fsyncs than appends', async () => {
    expect(await countSyncs('batch', 200)).toBeLessThanOrEqual(3);
  });

  it('fsyncs every append in always mode and never in never mode', async () => {
    expect(await countSyncs('always', 50)).toBe(50);
    expect(await countSyncs('never', 50)).toBe(0);
  });

  it('refuses bad options before touching the disk', async () => {
    const target = join(dir, 'not-created');
    const error = await rejection(openFileLog(target, { fsync: 'sometimes' as 'batch' }));
    expect(isKeelsonError(error, 'Invalid')).toBe(true);
    expect((error as Error).message).toMatch(/options\.fsync must be one of always, batch, never/);
    expect(isKeelsonError(await rejection(openFileLog(target, { segmentBytes: 10 })), 'Invalid')).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('openFileLog lock', () => {
  it('refuses a second writer in the same process until the first closes', async () => {
    const first = await openLog();
    const error = await rejection(openFileLog(dir));
    expect(isKeelsonError(error, 'LogLocked')).toBe(true);
    expect((error as Error).message).toMatch(/locked by this process/);
    await closeLog(first);
    await openLog();
  });

  it('refuses a writer while another process holds the log, and takes over once it is gone', async () => {
    const holder = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('../../test/holdLog.ts', import.meta.url)), dir],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      holder.stdout.once('data', () => resolve());
      holder.once('exit', (code) => reject(new Error(`holder exited early with ${code}`)));
    });
    const error = await rejection(openFileLog(dir));
    expect((error as Error).message).toContain(`locked by process ${holder.pid}`);
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    holder.kill('SIGKILL');
    await exited;
    const log = await openLog();
    expect(await readAll(log)).toHaveLength(1);
  });
});

describe('openFileLog on a VirtualClock', () => {
  it('tracks its I/O so the clock waits for appends made in timers', async () => {
    const clock = new VirtualClock();
    const log = await openLog({ clock });
    const seen: string[] = [];
    clock.setTimeout(async () => {
      const first = await log.append(entry('a'));
      seen.push(`a@${first.revision}`);
      const second = await log.append(entry('b'));
      seen.push(`b@${second.revision}`);
      clock.setTimeout(() => seen.push(`then at ${clock.now()}`), 0);
    }, 10);
    clock.setTimeout(() => seen.push(`next at ${clock.now()}`), 11);
    await clock.advance(20);
    expect(seen).toEqual(['a@1', 'b@2', 'then at 10', 'next at 11']);
  });
});
