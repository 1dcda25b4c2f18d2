import { createRandom } from '@keelson/clock';
import { isKeelsonError, type LogEntry } from '@keelson/eventlog';
import { Etcd3 } from 'etcd3';
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEtcdLog } from '../src/index';
import { type EtcdServer, etcdForTests, startEtcd } from '../src/testing/index';
import { collect, entry, eventually, readAll, rejection } from './support/harness';
import { TcpProxy } from './support/tcpProxy';

const { binary } = etcdForTests();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.skipIf(!binary)('etcd log', () => {
  let etcd: EtcdServer;
  let raw: Etcd3;
  let n = 0;
  const prefix = () => `unit/${++n}`;

  beforeAll(async () => {
    etcd = await startEtcd({ binary: binary as string });
    raw = new Etcd3({ hosts: etcd.endpoints });
  });
  afterAll(async () => {
    raw?.close();
    await etcd?.stop();
  });

  /** How many keys the whole etcd holds. */
  const keyCount = async () => Number((await raw.getAll().count()) ?? 0);

  describe('meta.requestId', () => {
    it('gives every entry a requestId, from the random source, and keeps one the caller set', async () => {
      const log = await openEtcdLog({ hosts: etcd.endpoints, prefix: prefix(), random: createRandom(7, 'ids') });
      try {
        const first = await log.append(entry('a', 1, { meta: { actor: 'alice' } }));
        const second = await log.append(entry('b', 2, { meta: { requestId: 'mine-1' } }));
        expect(first.meta).toEqual({ actor: 'alice', requestId: expect.stringMatching(UUID) });
        expect(second.meta).toEqual({ requestId: 'mine-1' });
        expect((await readAll(log)).map((e) => e.meta?.requestId)).toEqual([first.meta?.requestId, 'mine-1']);
        // Seeded: the same ids on every run.
        const again = await openEtcdLog({ hosts: etcd.endpoints, prefix: prefix(), random: createRandom(7, 'ids') });
        expect((await again.append(entry('a'))).meta?.requestId).toBe(first.meta?.requestId);
        await again.close();
      } finally {
        await log.close();
      }
    });
  });

  describe('appends whose answer is lost', () => {
    let proxy: TcpProxy;
    beforeAll(async () => {
      proxy = await TcpProxy.start(Number(new URL(etcd.endpoints[0] as string).port));
    });
    afterAll(async () => {
      await proxy?.close();
    });

    /** Starts `append` with the proxy in `mode`, cuts the connections once `landed` says so, and settles. */
    async function lose<T>(
      mode: 'drop-replies' | 'drop-requests',
      append: () => Promise<T>,
      landed: () => Promise<boolean>,
    ) {
      proxy.mode = mode;
      const result = append().then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      await eventually(landed, 5_000, 'the request to reach etcd');
      proxy.reset();
      return result;
    }

    it('settles a txn that landed as a success, with its revision, written once', async () => {
      const p = prefix();
      const log = await openEtcdLog({ hosts: [proxy.endpoint], prefix: p });
      try {
        const base = await log.append(entry('k', 'base'));
        const outcome = await lose(
          'drop-replies',
          () => log.append(entry('k', 'lost answer'), { expectedRevision: base.revision }),
          async () => (await raw.get(`${p}/k/k`).string())?.includes('lost answer') ?? false,
        );
        expect(outcome).toHaveProperty('value');
        const appended = (outcome as { value: LogEntry }).value;
        const all = await readAll(log);
        expect(all.map((e) => e.data)).toEqual(['base', 'lost answer']);
        expect(all[1]?.revision).toBe(appended.revision);
      } finally {
        await log.close();
      }
    });

    it('settles an unconditional append that landed as a success too', async () => {
      const p = prefix();
      const log = await openEtcdLog({ hosts: [proxy.endpoint], prefix: p });
      try {
        const outcome = await lose(
          'drop-replies',
          () => log.append(entry('u', 'unconditional')),
          async () => (await raw.get(`${p}/k/u`).string()) !== null,
        );
        expect(outcome).toHaveProperty('value');
        expect((await readAll(log)).map((e) => e.data)).toEqual(['unconditional']);
      } finally {
        await log.close();
      }
    });

    it('retries a conditional append that never landed: the compare keeps it to one write', async () => {
      const log = await openEtcdLog({ hosts: [proxy.endpoint], prefix: prefix() });
      try {
        const outcome = await lose(
          'drop-requests',
          () => log.append(entry('c', 'created'), { expectedRevision: 0 }),
          async () => proxy.droppedRequestBytes > 100,
        );
        expect(outcome).toHaveProperty('value');
        expect((await readAll(log)).map((e) => e.data)).toEqual(['created']);
      } finally {
        await log.close();
      }
    });

    it('never retries an unconditional append that may not have landed: AppendOutcomeUnknown', async () => {
      const log = await openEtcdLog({ hosts: [proxy.endpoint], prefix: prefix() });
      try {
        const outcome = await lose(
          'drop-requests',
          () => log.append(entry('u', 'lost')),
          async () => proxy.droppedRequestBytes > 100,
        );
        expect(outcome).toHaveProperty('error');
        const error = (outcome as { error: unknown }).error;
        expect(isKeelsonError(error, 'AppendOutcomeUnknown')).toBe(true);
        expect((error as Error).message).toMatch(/requestId/);
        expect(await readAll(log)).toEqual([]);
      } finally {
        await log.close();
      }
    });

    it('keeps subscriptions whole across the cut: no gap, no duplicate', async () => {
      const log = await openEtcdLog({ hosts: [proxy.endpoint], prefix: prefix() });
      try {
        const seen = collect(log.subscribe(0), 20);
        // Conditional appends: the first one after the cut may be in doubt, and only those are retried.
        for (let i = 0; i < 10; i++) await log.append(entry(`s${i}`), { expectedRevision: 0 });
        proxy.reset();
        for (let i = 10; i < 20; i++) await log.append(entry(`s${i}`), { expectedRevision: 0 });
        expect((await seen).map((e) => e.key)).toEqual(Array.from({ length: 20 }, (_, i) => `s${i}`));
      } finally {
        await log.close();
      }
    });
  });

  describe('head', () => {
    it('is the log’s own last revision, whatever else the cluster holds', async () => {
      const p = prefix();
      const log = await openEtcdLog({ hosts: etcd.endpoints, prefix: p });
      try {
        expect(await log.head()).toBe(0);
        await raw.put('elsewhere/k/x').value('{}');
        expect(await log.head()).toBe(0);
        const a = await log.append(entry('a'));
        const b = await log.append(entry('b'));
        // Keys of other logs, of a prefix that merely starts the same, and under the root but outside the layout.
        await raw.put(`${p}0/k/a`).value('{}');
        await raw.put(`${p}-other/k/a`).value('{}');
        await raw.put(`${p}/zz`).value('{}');
        await raw.put('elsewhere/k/y').value('{}');
        expect(await log.head()).toBe(b.revision);
        const gone = await log.append(entry('a', null, { tombstone: true }), { expectedRevision: a.revision });
        expect(await log.head()).toBe(gone.revision);
        expect((await readAll(log)).map((e) => e.revision)).toEqual([a.revision, b.revision, gone.revision]);
      } finally {
        await log.close();
      }
    });
  });

  describe('compaction done to etcd directly', () => {
    it('fails reads and subscriptions below etcd’s compaction with CompactedError and reads the state from 0', async () => {
      const log = await openEtcdLog({ hosts: etcd.endpoints, prefix: prefix() });
      try {
        const a1 = await log.append(entry('a', 'a1'));
        await log.append(entry('a', 'a2'));
        const b1 = await log.append(entry('b', 'b1'));
        // Someone compacts the whole cluster at b1 (etcd keeps the state as of b1).
        await raw.kv.compact({ revision: b1.revision, physical: true });
        const error = await rejection(readAll(log, { from: a1.revision }));
        expect(isKeelsonError(error, 'Compacted')).toBe(true);
        expect(error).toMatchObject({ requested: a1.revision, compactedBefore: b1.revision + 1 });
        const subError = await rejection(firstValueFrom(log.subscribe(a1.revision)));
        expect(isKeelsonError(subError, 'Compacted')).toBe(true);
        const c1 = await log.append(entry('c', 'c1'));
        expect((await readAll(log)).map((e) => e.data)).toEqual(['a2', 'b1', 'c1']);
        expect((await collect(log.subscribe(0), 3)).map((e) => e.revision)).toEqual(
          (await readAll(log)).map((e) => e.revision),
        );
        expect((await readAll(log, { from: c1.revision })).map((e) => e.data)).toEqual(['c1']);
      } finally {
        await log.close();
      }
    });
  });

  describe('bad options', () => {
    const hostsOf = () => etcd.endpoints;
    const cases: Array<[string, () => unknown, RegExp]> = [
      ['no options', () => undefined, /options must be an object/],
      ['no hosts', () => ({ prefix: 'p' }), /options\.hosts must be a non-empty list/],
      ['an empty host list', () => ({ hosts: [], prefix: 'p' }), /options\.hosts must be a non-empty list/],
      [
        'a host that is no URL',
        () => ({ hosts: ['not a url'], prefix: 'p' }),
        /options\.hosts\[0\] must be an etcd client URL/,
      ],
      ['a host that is not a string', () => ({ hosts: [hostsOf()[0], 42], prefix: 'p' }), /options\.hosts\[1\]/],
      ['no prefix', () => ({ hosts: hostsOf() }), /options\.prefix must be a non-empty string/],
      ['an empty prefix', () => ({ hosts: hostsOf(), prefix: '' }), /options\.prefix must be a non-empty string/],
      ['a prefix of slashes', () => ({ hosts: hostsOf(), prefix: '//' }), /options\.prefix must be a non-empty string/],
      ['a zero timeout', () => ({ hosts: hostsOf(), prefix: 'p', requestTimeoutMs: 0 }), /options\.requestTimeoutMs/],
      ['a tiny entry limit', () => ({ hosts: hostsOf(), prefix: 'p', maxEntryBytes: 10 }), /options\.maxEntryBytes/],
    ];
    for (const [what, options, message] of cases) {
      it(`refuses ${what} with InvalidError naming the field, and writes nothing`, async () => {
        const before = await keyCount();
        const error = await rejection(openEtcdLog(options() as never));
        expect(isKeelsonError(error, 'Invalid')).toBe(true);
        expect((error as Error).message).toMatch(message);
        expect(await keyCount()).toBe(before);
      });
    }

    it('fails with EtcdUnavailable when no host answers', async () => {
      const error = await rejection(
        openEtcdLog({ hosts: ['http://127.0.0.1:9'], prefix: 'p', unavailableTimeoutMs: 300, requestTimeoutMs: 200 }),
      );
      expect(isKeelsonError(error, 'Unavailable')).toBe(true);
    });
  });

  describe('keys deleted around the log', () => {
    it('delivers a tombstone for a live key deleted in etcd directly', async () => {
      const p = prefix();
      const log = await openEtcdLog({ hosts: etcd.endpoints, prefix: p });
      try {
        const seen = collect(log.subscribe(0), 2);
        const a = await log.append(entry('a', 'x', { type: 'Widget' }));
        await raw.delete().key(`${p}/k/a`);
        const [, gone] = await seen;
        expect(gone).toMatchObject({ key: 'a', type: 'Widget', tombstone: true, data: null });
        expect(gone?.revision).toBeGreaterThan(a.revision);
        await log.append(entry('a', 'again'), { expectedRevision: 0 });
      } finally {
        await log.close();
      }
    });
  });
});
