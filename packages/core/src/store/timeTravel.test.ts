import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileLog } from '@keelson/eventlog';
import { describe, expect, it, vi } from 'vitest';
import { rejection, site, testStore, Website } from '../../test/fixtures';
import { isKeelsonError } from '../errors/index';
import { applyJsonPatch } from '../history/jsonPatch';

describe('time travel', () => {
  it('shows every object as of an earlier revision', async () => {
    const { store } = await testStore();
    await store.create(Website, site('a'));
    const before = store.revision;
    await store.patch(Website, 'a', (d) => {
      d.spec.replicas = 3;
    });
    await store.create(Website, site('b'));
    await store.delete(Website, 'a');
    const view = await store.at(before);
    expect((await view.get(Website, 'a')).spec.replicas).toBe(1);
    expect((await view.list(Website)).items.map((w) => w.metadata.name)).toEqual(['a']);
    expect(isKeelsonError(await rejection(view.get(Website, 'b')), 'NotFound')).toBe(true);
    expect((await store.list(Website)).items.map((w) => w.metadata.name)).toEqual(['b']);
  });

  it('lists each version with its RFC 6902 patch, actor and reason', async () => {
    const { store } = await testStore();
    await store.as('alice').create(Website, site('a'), { reason: 'launch' });
    await store.as('bob').patch(Website, 'a', (d) => {
      d.spec.replicas = 2;
      d.spec.tags.push('big');
    });
    await store.delete(Website, 'a');
    const versions = [];
    for await (const v of store.history(Website, 'a')) versions.push(v);
    expect(versions.map((v) => [v.type, v.actor, v.reason])).toEqual([
      ['ADDED', 'alice', 'launch'],
      ['MODIFIED', 'bob', undefined],
      ['DELETED', 'system:admin', undefined],
    ]);
    const [first, second] = versions;
    expect(applyJsonPatch(first?.object, second?.patch ?? [])).toEqual(second?.object);
    expect(second?.patch).toEqual(
      expect.arrayContaining([
        { op: 'replace', path: '/spec/replicas', value: 2 },
        { op: 'add', path: '/spec/tags/0', value: 'big' },
      ]),
    );
    // Unchanged subtrees are shared between versions.
    expect(second?.object.metadata.labels).toBe(first?.object.metadata.labels);
  });

  it('refuses views below a compaction', async () => {
    const { store } = await testStore();
    await store.create(Website, site('a'));
    const early = store.revision;
    await store.patch(Website, 'a', (d) => {
      d.spec.replicas = 2;
    });
    await store.patch(Website, 'a', (d) => {
      d.spec.replicas = 3;
    });
    await store.compact(store.revision);
    expect(isKeelsonError(await rejection(store.at(early)), 'Expired')).toBe(true);
    expect((await (await store.at(store.revision)).get(Website, 'a')).spec.replicas).toBe(3);
  });

  it('reopened on a file log, equals the store before', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keelson-store-'));
    try {
      const path = join(dir, 'log');
      const first = await testStore({ log: await openFileLog(path) });
      await first.store.create(Website, site('a', {}, { labels: { app: 'web' } }));
      await first.store.create(Website, site('b', { nodeName: 'n1' }, { namespace: 'other', finalizers: ['x/y'] }));
      await first.store.patch(Website, 'a', (d) => {
        d.spec.tags.push('t');
      });
      await first.store.updateStatus({ ...(await first.store.get(Website, 'a')), status: { readyReplicas: 1 } });
      await first.store.delete(Website, 'b', { namespace: 'other' });
      const before = await first.store.list(Website);
      const history = [];
      for await (const v of first.store.history(Website, 'a')) history.push(v);
      await first.log.close();

      // Replay applies what the log holds: no schema runs.
      const parse = vi.spyOn(Website.schemas.spec as { safeParse: (v: unknown) => unknown }, 'safeParse');
      const second = await testStore({ log: await openFileLog(path) });
      expect(parse).not.toHaveBeenCalled();
      parse.mockRestore();
      expect(await second.store.list(Website)).toEqual(before);
      const again = [];
      for await (const v of second.store.history(Website, 'a')) again.push(v);
      expect(again).toEqual(history);
      expect(Object.isFrozen((await second.store.get(Website, 'a')).spec.tags)).toBe(true);
      await second.log.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
