/**
 * The store-rebuild benchmark measured per CPU-second of the process as well
 * as per second of wall time: `pnpm --filter @keelson/bench exec tsx src/storeRebuildCpu.ts [runs]`.
 * Same input as the `store` suite: a file log of 1,000 pods × 100 versions, opened by a new store.
 * With `KEELSON_REBUILD_DIR` set, the log is written there once and kept, so a
 * profile of a later run (`node --cpu-prof`) holds the rebuild alone.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileLog } from '@keelson/eventlog';
import { openBenchStore, writePodHistory } from './store.bench';

async function once(dir: string) {
  const startCpu = process.cpuUsage();
  const start = performance.now();
  const log = await openFileLog(dir, { fsync: 'never' });
  const store = await openBenchStore(log);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(startCpu);
  const entries = store.revision;
  await log.close();
  return { wall: entries / seconds, cpu: entries / ((cpu.user + cpu.system) / 1e6) };
}

const runs = Number(process.argv[2] ?? 5);
const kept = process.env.KEELSON_REBUILD_DIR;
const root = kept ?? (await mkdtemp(join(tmpdir(), 'keelson-bench-rebuild-')));
try {
  const dir = join(root, 'log');
  if (!existsSync(dir)) {
    const writer = await openFileLog(dir, { fsync: 'never' });
    await writePodHistory(await openBenchStore(writer), 1_000, 100);
    await writer.close();
  }
  await once(dir);
  const rate = (value: number) => Math.round(value).toLocaleString('en-US');
  for (let run = 0; run < runs; run++) {
    const r = await once(dir);
    console.log(`rebuild entries/s wall ${rate(r.wall)}, per CPU-second ${rate(r.cpu)}`);
  }
} finally {
  if (kept === undefined) await rm(root, { recursive: true, force: true });
}
