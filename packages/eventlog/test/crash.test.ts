import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openFileLog } from '../src/index';
import type { LogEntry } from '../src/types';
import { tempDir } from './tempDir';

const RUNS = Number(process.env.KEELSON_CRASH_RUNS ?? 20);

interface Ack {
  revision: number;
  key: string;
  i: number;
}

/** Runs the writer until it has acknowledged `atLeast` appends, then SIGKILLs it mid-stream. */
async function killWhileAppending(dir: string, atLeast: number): Promise<Ack[]> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./crashWriter.ts', import.meta.url)), dir],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const acks: Ack[] = [];
  let buffered = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`writer exited by itself (${code ?? signal})`)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [revision, key, i] = line.split(' ');
        acks.push({ revision: Number(revision), key: key as string, i: Number(i) });
      }
      if (acks.length >= atLeast) {
        child.kill('SIGKILL');
        resolve();
      }
    });
  });
  await exited;
  return acks;
}

describe('file log crash safety', () => {
  it(`keeps every acknowledged append when the writer is SIGKILLed (${RUNS} runs in a row)`, async () => {
    for (let run = 0; run < RUNS; run++) {
      const { dir, remove } = await tempDir('crash');
      try {
        // A different kill point each run, always with appends in flight.
        const acks = await killWhileAppending(dir, 300 + run * 97);
        const log = await openFileLog(dir, { fsync: 'batch' });
        const byRevision = new Map<number, LogEntry>();
        let previous = 0;
        for await (const entry of log.read()) {
          expect(entry.revision).toBeGreaterThan(previous);
          previous = entry.revision;
          byRevision.set(entry.revision, entry);
        }
        for (const ack of acks) {
          const entry = byRevision.get(ack.revision);
          expect(entry, `run ${run}: acknowledged revision ${ack.revision} is missing`).toBeDefined();
          expect(entry?.key).toBe(ack.key);
          expect(entry?.data).toEqual({ i: ack.i, pad: 'x'.repeat(ack.i % 300) });
        }
        // The reopened log takes new appends after whatever survived.
        const next = await log.append({ key: 'after-crash', type: 'Item', time: 0, data: run });
        expect(next.revision).toBeGreaterThan(previous);
        await log.close();
      } finally {
        await remove();
      }
    }
  }, 300_000);
});
