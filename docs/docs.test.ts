import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '@keelson/clock';
import { describe, expect, it } from 'vitest';
import { staleGuides } from './markdownSnippets';
import { rxjsOnVirtualTime, seeded, trackedIo, virtualTime } from './snippets/clock';
import { appendAndConflict, compaction, fileLog } from './snippets/eventlog';
import { livenessOnTheMock, watchAnEndpoint } from './snippets/health';
import { faultsAndErrors, scriptedLogs, scriptedRun } from './snippets/runtime';
import { crud, deleting, openStore, timeTravel, Website, watching } from './snippets/store';

const docs = fileURLToPath(new URL('.', import.meta.url));
const examples = fileURLToPath(new URL('../examples', import.meta.url));
const packages = fileURLToPath(new URL('../packages', import.meta.url));

describe('guides', () => {
  it('show exactly the code of their snippet files (run `pnpm --filter @keelson/docs sync` to update)', async () => {
    const stale = [...(await staleGuides(docs)), ...(await staleGuides(examples)), ...(await staleGuides(packages))];
    expect(stale.map((s) => s.file)).toEqual([]);
  });
});

describe('clock guide snippets', () => {
  it('virtual time fires the deadline and stops with only the background heartbeat left', async () => {
    expect(await virtualTime()).toEqual({ beats: [10_000, 20_000, 30_000, 40_000], fired: ['deadline at 45000'] });
  });

  it('tracked I/O finishes before the next instant', async () => {
    const log = await trackedIo(() => readFile(join(docs, 'clock.md'), 'utf8'));
    expect(log[0]).toMatch(/^read \d+ chars at 1000$/);
    expect(log[1]).toBe('next timer at 1001');
  });

  it('rxjs operators run on the clock', async () => {
    expect(await rxjsOnVirtualTime()).toEqual([2]);
  });

  it('seeded random gives the same draws every time', () => {
    expect(seeded()).toEqual(seeded());
  });
});

describe('event log guide snippets', () => {
  it('appends, and refuses the stale append without writing', async () => {
    const { entries, conflict } = await appendAndConflict();
    expect(entries.map((e) => e.data.value)).toEqual([1, 2]);
    expect(conflict).toMatchObject({ key: 'counters/a', actualRevision: entries[1]?.revision });
  });

  it('reopens a file log and projects the live state', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keelson-docs-'));
    try {
      const { state, reopenedHead } = await fileLog(dir);
      expect(Object.fromEntries(state)).toEqual({ 'counters/a': 0, 'counters/c': 2 });
      expect(reopenedHead).toBe(4);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('compacts to the state as of the head', async () => {
    expect(await compaction()).toEqual(['counters/a=3', 'counters/b=1']);
  });
});

describe('store guide snippets', () => {
  it('creates, patches, writes status and meets a conflict', async () => {
    const store = await openStore();
    const { blog, scaled, ready } = await crud(store);
    expect(blog.spec.replicas).toBe(1);
    expect(scaled.metadata.generation).toBe(2);
    expect(ready.metadata.generation).toBe(2);
    expect(ready.status).toEqual({ readyReplicas: 3 });
  });

  it('refuses an unpinned image through admission', async () => {
    const store = await openStore();
    await expect(store.create(Website, { metadata: { name: 'x' }, spec: { image: 'nginx' } })).rejects.toThrow(
      /spec\.image: pin a version tag/,
    );
  });

  it('watches from a list with selector transitions', async () => {
    expect(await watching(await openStore())).toEqual({ items: [], seen: ['ADDED shop', 'DELETED shop'] });
  });

  it('travels back in time and lists history', async () => {
    const store = await openStore();
    await crud(store);
    const { oldImage, changes } = await timeTravel(store);
    expect(oldImage).toBe('nginx:1.25');
    expect(changes[0]).toBe('ADDED by system:admin: [""]');
    expect(changes.at(-1)).toBe(
      'MODIFIED by system:admin: ["/metadata/generation","/metadata/resourceVersion","/spec/image"]',
    );
  });

  it('deletes through a finalizer', async () => {
    const store = await openStore();
    const terminating = await deleting(store);
    expect(terminating.metadata.deletionTimestamp).toBeDefined();
    await expect(store.get(Website, 'legacy')).rejects.toThrow(/not found/);
  });
});

describe('runtime guide snippets', () => {
  it('runs a scripted image: pull latency, probes over time, exact OOM kill', async () => {
    const { healthy, status } = await scriptedRun();
    expect(healthy).toBe(200);
    expect(status).toMatchObject({ state: 'CONTAINER_EXITED', reason: 'OOMKilled', exitCode: 137 });
    // Started after the 2 s pull; memory first exceeds the limit 50.001 s after the start.
    expect(status?.finishedAt).toBe(BigInt(Date.UTC(2026, 0, 1) + 2_000 + 50_001) * 1_000_000n);
  });

  it('injects faults and answers with CRI errors', async () => {
    const { crashed, pullError, conditions } = await faultsAndErrors();
    expect(crashed).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 2, reason: 'Error' });
    expect(pullError).toBe('Unauthenticated');
    expect(conditions.find((c) => c.type === 'RuntimeReady')?.status).toBe(false);
  });

  it('writes scripted log lines on the clock, followed and read back as CRI log lines', async () => {
    const { followed, file } = await scriptedLogs();
    expect(followed).toEqual(['no config, using defaults', 'processed batch 0', 'processed batch 1']);
    expect(file).toEqual([
      '2026-01-01T00:00:00Z stdout F starting',
      '2026-01-01T00:00:00.5Z stderr F no config, using defaults',
      '2026-01-01T00:00:01Z stdout F processed batch 0',
      '2026-01-01T00:00:02Z stdout F processed batch 1',
    ]);
  });
});

describe('health guide snippets', () => {
  it('watches a real HTTP endpoint on virtual time', async () => {
    let status = 200;
    const server = createServer((_req, res) => {
      res.statusCode = status;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const { seen, stop } = watchAnEndpoint(port, clock);
    await clock.advance(0); // the first probe: a real request to the real server
    status = 500;
    await clock.advance(10_000); // two failing probes (5 s apart): unhealthy
    status = 200;
    await clock.advance(5_000); // one success is enough to be healthy again
    stop();
    server.close();
    expect(seen.map((t) => [t.healthy, t.at - Date.UTC(2026, 0, 1)])).toEqual([
      [true, 0],
      [false, 10_000],
      [true, 15_000],
    ]);
  });

  it('restarts a container whose liveness probe fails three times', async () => {
    const { restartAt, shouldRestart } = await livenessOnTheMock();
    expect(restartAt).toEqual([50_000]);
    expect(shouldRestart).toBe(true);
  });
});
