import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinAdmission, builtinTypes, ensureSystemNamespaces, Pod } from '@keelson/api';
import { createRandom, VirtualClock } from '@keelson/clock';
import { createStore, isKeelsonError } from '@keelson/core';
import { createMemoryLog, type EventLog, openFileLog } from '@keelson/eventlog';
import { describe, expect, it } from 'vitest';
import { diffRuns } from './diffRuns';
import { replayLog } from './replayLog';

const container = [{ name: 'main', image: 'web:1.0' }];

/** A small run: three pods created, one updated, one deleted; returns the revisions after each step. */
async function run(log: EventLog, seed = 1) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store = await createStore({
    log,
    types: builtinTypes,
    admission: builtinAdmission(),
    clock,
    random: createRandom(seed, 'store'),
    logger: { warn() {} },
  });
  await ensureSystemNamespaces(store);
  for (const name of ['a', 'b', 'c']) {
    await store.create(Pod, { metadata: { name, namespace: 'default' }, spec: { containers: container } });
    await clock.advance(1_000);
  }
  const created = store.revision;
  await store.patch(Pod, 'a', (p) => ({ ...p, metadata: { ...p.metadata, labels: { tier: 'web' } } }), {
    namespace: 'default',
  });
  const labelled = store.revision;
  await store.delete(Pod, 'b', { namespace: 'default', gracePeriodSeconds: 0 });
  const deleted = store.revision;
  await store.close();
  return { created, labelled, deleted };
}

describe('replayLog', () => {
  it('rebuilds the store as of any revision, read-only, leaving the log untouched', async () => {
    const log = createMemoryLog();
    const { created, labelled, deleted } = await run(log);
    const head = await log.head();

    const atCreated = await replayLog(log, { until: created });
    expect(atCreated.revision).toBe(created);
    const names = (await atCreated.list(Pod, { namespace: 'default' })).items.map((p) => p.metadata.name);
    expect(names).toEqual(['a', 'b', 'c']);
    expect((await atCreated.get(Pod, 'a', { namespace: 'default' })).metadata.labels).toBeUndefined();
    await atCreated.close();

    const atLabelled = await replayLog(log, { until: labelled });
    expect((await atLabelled.get(Pod, 'a', { namespace: 'default' })).metadata.labels).toEqual({ tier: 'web' });
    await atLabelled.close();

    const atEnd = await replayLog(log);
    expect(atEnd.revision).toBe(deleted);
    const left = (await atEnd.list(Pod, { namespace: 'default' })).items.map((p) => p.metadata.name);
    expect(left).toEqual(['a', 'c']);
    await expect(atEnd.get(Pod, 'b', { namespace: 'default' })).rejects.toSatisfy((e) => isKeelsonError(e, 'NotFound'));
    const versions = [];
    for await (const version of atEnd.history(Pod, 'a', { namespace: 'default' })) versions.push(version.type);
    expect(versions).toEqual(['ADDED', 'MODIFIED']);
    await atEnd.close();

    expect(await log.head()).toBe(head);
  });

  it('reads a file log from a run that has ended', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keelson-replay-'));
    try {
      const first = await openFileLog(dir, { fsync: 'never' });
      const { labelled } = await run(first);
      await first.close();
      const reopened = await openFileLog(dir, { fsync: 'never' });
      const view = await replayLog(reopened, { until: labelled });
      expect((await view.list(Pod, { namespace: 'default' })).items).toHaveLength(3);
      await view.close();
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a revision that is not an integer >= 0', async () => {
    const log = createMemoryLog();
    await expect(replayLog(log, { until: -1 })).rejects.toThrow(/until must be a revision/);
    await expect(replayLog(log, { until: 1.5 })).rejects.toSatisfy((e) => isKeelsonError(e, 'Invalid'));
  });
});

describe('diffRuns', () => {
  it('finds no difference between two runs with one seed', async () => {
    const a = createMemoryLog();
    const b = createMemoryLog();
    await run(a, 7);
    await run(b, 7);
    expect(await diffRuns(a, b)).toBeUndefined();
  });

  it('names the first entry and field where runs with different seeds part', async () => {
    const a = createMemoryLog();
    const b = createMemoryLog();
    await run(a, 1);
    await run(b, 2);
    const difference = await diffRuns(a, b);
    // The system namespaces come first; their uids are the first random draws.
    expect(difference?.index).toBe(0);
    expect(difference?.path).toBe('data.metadata.uid');
    expect(difference?.message).toMatch(
      /^entry #0 \(revision 1 \/ 1, core\/namespaces\/default\): data\.metadata\.uid is "/,
    );
  });

  it('reports a run that ended early', async () => {
    const a = createMemoryLog();
    const b = createMemoryLog();
    await run(a, 3);
    await run(b, 3);
    const extra = await b.head();
    await b.append({ key: 'core/pods/default/z', type: 'core/pods', time: 0, data: {} });
    const count = await (async () => {
      let n = 0;
      for await (const _ of a.read()) n++;
      return n;
    })();
    const difference = await diffRuns(a, b);
    expect(difference?.index).toBe(count);
    expect(difference?.a).toBeUndefined();
    expect(difference?.b?.revision).toBeGreaterThan(extra);
    expect(difference?.message).toMatch(/the first run ended; the second wrote core\/pods\/default\/z/);
  });
});
