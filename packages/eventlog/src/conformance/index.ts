import { firstValueFrom, type Observable, take, toArray } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isKeelsonError } from '../errors';
import type { EventLog, LogEntry, NewLogEntry } from '../types';

/** A backend under test, as {@link describeEventLogConformance} drives it. */
export interface ConformanceSubject {
  /** Opens the log. After `close()`, a persistent backend's next `open()` must see what was written before. */
  open(): Promise<EventLog>;
  /** Whether reopening keeps the entries (file, etcd) or starts empty (memory). */
  persistent: boolean;
  /** Removes whatever the subject created (temp directories, servers). */
  cleanup?(): Promise<void>;
}

async function readAll(log: EventLog, options?: Parameters<EventLog['read']>[0]): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const entry of log.read(options)) out.push(entry);
  return out;
}

function collect(source: Observable<LogEntry>, count: number): Promise<LogEntry[]> {
  return firstValueFrom(source.pipe(take(count), toArray()));
}

let time = 1_700_000_000_000;
function entry(key: string, data: unknown = { key }, extra: Partial<NewLogEntry> = {}): NewLogEntry {
  return { key, type: 'Thing', time: time++, data, ...extra };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

const revisions = (entries: readonly LogEntry[]) => entries.map((e) => e.revision);

/**
 * The suite every {@link EventLog} backend must pass: ordering, conflicts,
 * tombstones and re-creation, concurrent appends, subscribe during appends,
 * replay equals live, compaction, reopening and close. Call it from a vitest
 * test file with a factory that makes a fresh, empty subject per test.
 *
 * @example
 * ```ts
 * import { createMemoryLog } from '@keelson/eventlog';
 * import { describeEventLogConformance } from '@keelson/eventlog/conformance';
 *
 * describeEventLogConformance('memory', () => ({ open: async () => createMemoryLog(), persistent: false }));
 * ```
 */
export function describeEventLogConformance(
  name: string,
  factory: () => ConformanceSubject | Promise<ConformanceSubject>,
): void {
  describe(`EventLog conformance: ${name}`, () => {
    let subject: ConformanceSubject;
    let log: EventLog;
    const reopen = async () => {
      await log.close();
      log = await subject.open();
      return log;
    };

    beforeEach(async () => {
      subject = await factory();
      log = await subject.open();
    });

    afterEach(async () => {
      await log.close();
      await subject.cleanup?.();
    });

    describe('ordering', () => {
      it('gives strictly increasing revisions and reads back every field in order', async () => {
        expect(await log.head()).toBe(0);
        const written: LogEntry[] = [];
        written.push(await log.append(entry('a', { n: 1, nested: { list: [1, 'two', null, true] } })));
        written.push(await log.append(entry('b', 'plain string', { meta: { actor: 'alice', reason: 'test' } })));
        written.push(await log.append(entry('a', 42)));
        for (let i = 1; i < written.length; i++) {
          expect((written[i] as LogEntry).revision).toBeGreaterThan((written[i - 1] as LogEntry).revision);
        }
        expect(await log.head()).toBe(written[2]?.revision);
        const read = await readAll(log);
        expect(read).toEqual(written);
        expect(read[1]).toMatchObject({ key: 'b', type: 'Thing', data: 'plain string', meta: { actor: 'alice' } });
        expect(read[0]?.tombstone).toBeUndefined();
      });

      it('reads from, to (inclusive) and with a limit', async () => {
        const written: LogEntry[] = [];
        for (let i = 0; i < 10; i++) written.push(await log.append(entry(`k${i}`)));
        const r = revisions(written);
        const at = (i: number) => r[i] as number;
        expect(revisions(await readAll(log, { from: at(3) }))).toEqual(r.slice(3));
        expect(revisions(await readAll(log, { from: at(3), to: at(6) }))).toEqual(r.slice(3, 7));
        expect(revisions(await readAll(log, { from: at(2), limit: 4 }))).toEqual(r.slice(2, 6));
        expect(revisions(await readAll(log, { from: at(9) + 1 }))).toEqual([]);
      });
    });

    describe('conflicts', () => {
      it('creates with expectedRevision 0 only while the key is absent', async () => {
        const first = await log.append(entry('a'), { expectedRevision: 0 });
        const error = await rejection(log.append(entry('a'), { expectedRevision: 0 }));
        expect(isKeelsonError(error, 'AppendConflict')).toBe(true);
        expect(error).toMatchObject({ key: 'a', actualRevision: first.revision });
      });

      it('refuses a stale expectedRevision and writes nothing', async () => {
        const first = await log.append(entry('a'));
        const second = await log.append(entry('a'), { expectedRevision: first.revision });
        const error = await rejection(log.append(entry('a', 'lost'), { expectedRevision: first.revision }));
        expect(error).toMatchObject({ code: 'AppendConflict', key: 'a', actualRevision: second.revision });
        expect(await log.head()).toBe(second.revision);
        expect((await readAll(log)).map((e) => e.data)).not.toContain('lost');
        const error2 = await rejection(log.append(entry('b'), { expectedRevision: second.revision }));
        expect(error2).toMatchObject({ code: 'AppendConflict', key: 'b', actualRevision: 0 });
      });

      it('appends without expectedRevision unconditionally', async () => {
        await log.append(entry('a'));
        await log.append(entry('a'));
        expect(await readAll(log)).toHaveLength(2);
      });
    });

    describe('tombstones', () => {
      it('makes a tombstoned key absent: 0 creates it again, its old revision conflicts', async () => {
        const created = await log.append(entry('a'), { expectedRevision: 0 });
        const gone = await log.append(entry('a', null, { tombstone: true }), { expectedRevision: created.revision });
        expect(gone.tombstone).toBe(true);
        const error = await rejection(log.append(entry('a'), { expectedRevision: gone.revision }));
        expect(error).toMatchObject({ code: 'AppendConflict', actualRevision: 0 });
        const again = await log.append(entry('a', 'again'), { expectedRevision: 0 });
        expect(again.revision).toBeGreaterThan(gone.revision);
        expect((await readAll(log)).map((e) => [e.key, e.tombstone === true])).toEqual([
          ['a', false],
          ['a', true],
          ['a', false],
        ]);
      });

      it('refuses a tombstone for an absent key', async () => {
        const error = await rejection(log.append(entry('nobody', null, { tombstone: true })));
        expect(isKeelsonError(error, 'AppendConflict')).toBe(true);
        expect(await log.head()).toBe(0);
      });
    });

    describe('concurrent appends', () => {
      it('lands concurrent appends to different keys with distinct revisions, in revision order', async () => {
        const results = await Promise.all(Array.from({ length: 200 }, (_, i) => log.append(entry(`k${i}`, i))));
        expect(new Set(revisions(results)).size).toBe(200);
        const read = await readAll(log);
        expect(read).toHaveLength(200);
        expect(revisions(read)).toEqual([...revisions(results)].sort((a, b) => a - b));
      });

      it('lets exactly one of several conditional appends to one key win', async () => {
        const base = await log.append(entry('hot'));
        const outcomes = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) => log.append(entry('hot', i), { expectedRevision: base.revision })),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        expect(won).toHaveLength(1);
        for (const o of outcomes) {
          if (o.status === 'rejected') expect(isKeelsonError(o.reason, 'AppendConflict')).toBe(true);
        }
        expect(await readAll(log)).toHaveLength(2);
      });
    });

    describe('subscribe', () => {
      it('replays then goes live during appends with no gap and no duplicate', async () => {
        for (let i = 0; i < 50; i++) await log.append(entry(`before${i}`));
        const appends = Array.from({ length: 150 }, (_, i) => log.append(entry(`during${i}`)));
        const seen = collect(log.subscribe(0), 200);
        await Promise.all(appends);
        const delivered = await seen;
        expect(revisions(delivered)).toEqual(revisions(await readAll(log)));
      });

      it('starts at `from`, inclusive', async () => {
        const written: LogEntry[] = [];
        for (let i = 0; i < 5; i++) written.push(await log.append(entry(`k${i}`)));
        const from = (written[2] as LogEntry).revision;
        const seen = collect(log.subscribe(from), 4);
        await log.append(entry('live'));
        expect((await seen).map((e) => e.key)).toEqual(['k2', 'k3', 'k4', 'live']);
      });

      it('replay equals live: a late subscriber sees what a live one saw', async () => {
        const live = collect(log.subscribe(0), 100);
        for (let i = 0; i < 100; i++) await log.append(entry(`k${i % 7}`, { i }));
        const replayed = await collect(log.subscribe(0), 100);
        expect(replayed).toEqual(await live);
      });

      it('stops delivering after unsubscribe', async () => {
        const got: LogEntry[] = [];
        const sub = log.subscribe(0).subscribe((e) => got.push(e));
        await log.append(entry('one'));
        sub.unsubscribe();
        await log.append(entry('two'));
        expect(got.map((e) => e.key)).toEqual(['one']);
      });
    });

    describe('compaction', () => {
      async function history() {
        const a1 = await log.append(entry('a', 'a1'));
        const b1 = await log.append(entry('b', 'b1'));
        await log.append(entry('a', 'a2'), { expectedRevision: a1.revision });
        const c1 = await log.append(entry('c', 'c1'));
        await log.append(entry('b', null, { tombstone: true }), { expectedRevision: b1.revision });
        const d1 = await log.append(entry('d', 'd1'));
        const a3 = await log.append(entry('a', 'a3'));
        return { c1, d1, a3 };
      }

      it('keeps each live key’s last entry before the bound, then everything from the bound on', async () => {
        const { d1 } = await history();
        await log.compact(d1.revision);
        expect((await readAll(log)).map((e) => e.data)).toEqual(['a2', 'c1', 'd1', 'a3']);
        const kept = await readAll(log);
        expect(revisions(kept)).toEqual([...revisions(kept)].sort((x, y) => x - y));
        expect(revisions(await collect(log.subscribe(0), 4))).toEqual(revisions(kept));
      });

      it('fails reads and subscriptions inside the dropped range with CompactedError', async () => {
        const { c1, d1 } = await history();
        await log.compact(d1.revision);
        const readError = await rejection(readAll(log, { from: c1.revision }));
        expect(isKeelsonError(readError, 'Compacted')).toBe(true);
        const subError = await rejection(firstValueFrom(log.subscribe(c1.revision)));
        expect(isKeelsonError(subError, 'Compacted')).toBe(true);
        expect((await readAll(log, { from: d1.revision })).map((e) => e.data)).toEqual(['d1', 'a3']);
      });

      it('keeps conflict checks right across compaction', async () => {
        const { a3 } = await history();
        await log.compact(a3.revision);
        const error = await rejection(log.append(entry('a'), { expectedRevision: 0 }));
        expect(error).toMatchObject({ code: 'AppendConflict', actualRevision: a3.revision });
        await log.append(entry('b', 'b again'), { expectedRevision: 0 });
        await log.append(entry('a', 'a4'), { expectedRevision: a3.revision });
      });

      it('refuses to compact past the head and ignores an older bound', async () => {
        const { c1, a3 } = await history();
        expect(isKeelsonError(await rejection(log.compact(a3.revision + 1)), 'Invalid')).toBe(true);
        await log.compact(a3.revision);
        await log.compact(c1.revision);
        expect((await readAll(log)).map((e) => e.data)).toEqual(['a2', 'c1', 'd1', 'a3']);
      });
    });

    describe('reopening', () => {
      it('reopens with the same entries, head and key revisions', async (ctx) => {
        if (!subject.persistent) ctx.skip();
        const written: LogEntry[] = [];
        for (let i = 0; i < 30; i++) written.push(await log.append(entry(`k${i % 5}`, { i })));
        const gone = await log.append(entry('k0', null, { tombstone: true }));
        const before = await readAll(log);
        await reopen();
        expect(await readAll(log)).toEqual(before);
        expect(await log.head()).toBe(gone.revision);
        await log.append(entry('k0'), { expectedRevision: 0 });
        const error = await rejection(log.append(entry('k1'), { expectedRevision: 0 }));
        expect(error).toMatchObject({ actualRevision: written[26]?.revision });
        const next = await log.append(entry('new'));
        expect(next.revision).toBeGreaterThan(gone.revision);
      });

      it('keeps compaction across reopening', async (ctx) => {
        if (!subject.persistent) ctx.skip();
        const a = await log.append(entry('a', 1));
        await log.append(entry('a', 2));
        const b = await log.append(entry('b', 3));
        await log.compact(b.revision);
        const kept = await readAll(log);
        await reopen();
        expect(await readAll(log)).toEqual(kept);
        expect(isKeelsonError(await rejection(readAll(log, { from: a.revision })), 'Compacted')).toBe(true);
      });
    });

    describe('close', () => {
      it('completes subscriptions and refuses every call afterwards with LogClosedError', async () => {
        await log.append(entry('a'));
        let completed = false;
        log.subscribe(0).subscribe({ complete: () => (completed = true) });
        await log.close();
        expect(completed).toBe(true);
        const closed = (e: unknown) => isKeelsonError(e, 'LogClosed');
        expect(closed(await rejection(log.append(entry('b'))))).toBe(true);
        expect(closed(await rejection(log.head()))).toBe(true);
        expect(closed(await rejection(readAll(log)))).toBe(true);
        expect(closed(await rejection(firstValueFrom(log.subscribe(0))))).toBe(true);
        await log.close();
      });

      it('finishes appends in flight before closing', async () => {
        const appends = Array.from({ length: 20 }, (_, i) => log.append(entry(`k${i}`)));
        await log.close();
        expect(await Promise.all(appends)).toHaveLength(20);
        if (subject.persistent) {
          log = await subject.open();
          expect(await readAll(log)).toHaveLength(20);
        }
      });
    });

    describe('bad input', () => {
      const bad: Array<[string, () => NewLogEntry, RegExp]> = [
        ['an empty key', () => entry(''), /entry\.key must be a non-empty string/],
        ['a function in data', () => entry('k', { run: () => 1 }), /entry\.data\.run is a function/],
        ['a bigint in data', () => entry('k', { n: 1n }), /entry\.data\.n is a bigint/],
        ['NaN in data', () => entry('k', { n: Number.NaN }), /entry\.data\.n is NaN/],
        ['undefined in data', () => entry('k', { list: [1, undefined] }), /entry\.data\.list\[1\] is undefined/],
        ['a Date in data', () => entry('k', { at: new Date(0) }), /entry\.data\.at is a Date/],
        [
          'a circular value',
          () => {
            const data: Record<string, unknown> = {};
            data.self = data;
            return entry('k', data);
          },
          /circular/,
        ],
        ['an entry over the size limit', () => entry('k', 'x'.repeat(3 * 1024 * 1024)), /over the \d+-byte limit/],
        [
          'a non-string meta value',
          () => entry('k', 1, { meta: { n: 1 as unknown as string } }),
          /entry\.meta\.n must be a string/,
        ],
      ];
      for (const [what, make, message] of bad) {
        it(`refuses ${what} with InvalidError and writes nothing`, async () => {
          await log.append(entry('existing'));
          const error = await rejection(log.append(make()));
          expect(isKeelsonError(error, 'Invalid')).toBe(true);
          expect((error as Error).message).toMatch(message);
          expect(await readAll(log)).toHaveLength(1);
          await log.append(entry('after'));
          expect(await readAll(log)).toHaveLength(2);
        });
      }

      it('refuses a bad expectedRevision', async () => {
        const error = await rejection(log.append(entry('k'), { expectedRevision: -1 }));
        expect(isKeelsonError(error, 'Invalid')).toBe(true);
        expect((error as Error).message).toMatch(/expectedRevision/);
        expect(await log.head()).toBe(0);
      });
    });
  });
}
