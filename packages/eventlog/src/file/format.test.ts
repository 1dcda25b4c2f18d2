import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/tempDir';
import { v1Segment } from '../../test/v1Segment';
import { isKeelsonError } from '../errors';
import type { LogEntry } from '../types';
import { type FileLog, openFileLog } from './fileLog';
import { FORMAT_VERSION } from './format';

let dir: string;
let remove: () => Promise<void>;
const open: FileLog[] = [];

beforeEach(async () => {
  ({ dir, remove } = await tempDir('format'));
});

afterEach(async () => {
  for (const log of open.splice(0)) await log.close();
  await remove();
});

async function openLog(): Promise<FileLog> {
  const log = await openFileLog(dir);
  open.push(log);
  return log;
}

async function closeAll(): Promise<void> {
  for (const log of open.splice(0)) await log.close();
}

async function readAll(log: FileLog): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const e of log.read()) out.push(e);
  return out;
}

async function segments(): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.seg')).sort();
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );
}

const OLD: LogEntry[] = [
  { revision: 1, key: 'pods/a', type: 'Pod', time: 10, data: { phase: 'Pending', text: 'ünï ✓' } },
  { revision: 2, key: 'pods/b', type: 'Pod', time: 11.5, data: [1, null], meta: { actor: 'alice', reason: 'why' } },
  { revision: 4, key: 'pods/a', type: 'Pod', time: 12, data: null, tombstone: true },
];

describe('file log format version', () => {
  it('writes the current version into every segment header', async () => {
    const log = await openLog();
    await log.append({ key: 'k', type: 'T', time: 1, data: 1 });
    await closeAll();
    const [name] = await segments();
    const header = (await readFile(join(dir, name as string))).subarray(0, 8);
    expect(header.subarray(0, 4).toString('latin1')).toBe('KLSG');
    expect(header.readUInt32LE(4)).toBe(FORMAT_VERSION);
    expect(FORMAT_VERSION).toBe(2);
  });

  it('reads a version 1 log, appends after it in a new version 2 segment, and compacts it into version 2', async () => {
    const oldName = '00000000-0000000000000001.seg';
    await writeFile(join(dir, oldName), v1Segment(OLD));
    const log = await openLog();
    expect(log.recovery).toBeUndefined();
    expect(await readAll(log)).toEqual(OLD);
    const next = await log.append({ key: 'pods/b', type: 'Pod', time: 13, data: { n: 1 } }, { expectedRevision: 2 });
    expect(next.revision).toBe(5);
    await closeAll();
    expect(await segments()).toEqual([oldName, '00000000-0000000000000005.seg']);
    expect((await readFile(join(dir, oldName))).equals(v1Segment(OLD))).toBe(true);

    const reopened = await openLog();
    expect(await readAll(reopened)).toEqual([...OLD, next]);
    await reopened.compact(5);
    await closeAll();
    const names = await segments();
    expect(names.every((name) => name.startsWith('00000001-'))).toBe(true);
    for (const name of names) expect((await readFile(join(dir, name))).readUInt32LE(4)).toBe(2);
    expect(await readAll(await openLog())).toEqual([OLD[1], next]);
  });

  it('cuts a torn tail from a version 1 segment, and replaces an empty one with version 2', async () => {
    const path = join(dir, '00000000-0000000000000001.seg');
    const whole = v1Segment(OLD);
    await writeFile(path, whole.subarray(0, whole.length - 5));
    const log = await openLog();
    expect(log.recovery).toMatchObject({ segment: path, reason: 'record runs past the end of the file' });
    expect(await readAll(log)).toEqual(OLD.slice(0, 2));
    await closeAll();

    await remove();
    ({ dir, remove } = await tempDir('format'));
    await writeFile(join(dir, '00000000-0000000000000001.seg'), v1Segment([]));
    const empty = await openLog();
    await empty.append({ key: 'k', type: 'T', time: 1, data: 1 });
    await closeAll();
    const names = await segments();
    expect(names).toEqual(['00000000-0000000000000001.seg']);
    expect((await readFile(join(dir, names[0] as string))).readUInt32LE(4)).toBe(2);
  });

  it('refuses a segment of an unknown version with UnsupportedLogFormatError naming it, and changes nothing', async () => {
    const path = join(dir, '00000000-0000000000000001.seg');
    const bytes = v1Segment(OLD);
    bytes.writeUInt32LE(3, 4);
    await writeFile(path, bytes);
    const error = await rejection(openFileLog(dir));
    expect(isKeelsonError(error, 'UnsupportedLogFormat')).toBe(true);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/format version 3, but this @keelson\/eventlog reads versions 1, 2/);
    expect((await readFile(path)).equals(bytes)).toBe(true);
    expect(await segments()).toEqual(['00000000-0000000000000001.seg']);
  });
});
