import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/tempDir';
import { isKeelsonError } from './errors';
import { openFileLog } from './file/fileLog';
import { createMemoryLog } from './memoryLog';
import type { EventLog, LogEntry } from './types';

type Op =
  | { kind: 'append'; key: number; expect: 'none' | 'current' | 'zero' | 'stale'; tombstone: boolean; value: number }
  | { kind: 'compact'; at: number }
  | { kind: 'reopen' };

const KEYS = ['a', 'b', 'c', 'd'];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      key: fc.integer({ min: 0, max: KEYS.length - 1 }),
      expect: fc.constantFrom('none' as const, 'current' as const, 'zero' as const, 'stale' as const),
      tombstone: fc.boolean(),
      value: fc.integer(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('compact' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen' as const) }) },
);

/** The log as a plain list, and what every operation should do to it. */
class Model {
  entries: LogEntry[] = [];
  compactedBefore = 0;

  live(key: string): number {
    const last = this.entries.findLast((e) => e.key === key);
    return last === undefined || last.tombstone ? 0 : last.revision;
  }

  /** The expectedRevision an op sends, and whether the log must accept it. */
  plan(op: Extract<Op, { kind: 'append' }>): { expected: number | undefined; accept: boolean } {
    const key = KEYS[op.key] as string;
    const actual = this.live(key);
    const lastAny = this.entries.findLast((e) => e.key === key)?.revision ?? 0;
    const expected =
      op.expect === 'none' ? undefined : op.expect === 'current' ? actual : op.expect === 'zero' ? 0 : lastAny + 1000;
    const matches = expected === undefined || expected === actual;
    return { expected, accept: matches && !(op.tombstone && actual === 0) };
  }

  compact(before: number): void {
    if (before <= this.compactedBefore) return;
    const older = this.entries.filter((e) => e.revision < before);
    const keep = new Set<LogEntry>();
    for (const key of new Set(older.map((e) => e.key))) {
      const last = older.findLast((e) => e.key === key) as LogEntry;
      if (!last.tombstone) keep.add(last);
    }
    this.entries = this.entries.filter((e) => e.revision >= before || keep.has(e));
    this.compactedBefore = before;
  }
}

async function readAll(log: EventLog): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const e of log.read()) out.push(e);
  return out;
}

async function check(ops: Op[], open: () => Promise<EventLog>, persistent: boolean): Promise<void> {
  const model = new Model();
  let log = await open();
  try {
    for (const op of ops) {
      if (op.kind === 'append') {
        const { expected, accept } = model.plan(op);
        const key = KEYS[op.key] as string;
        const entry = { key, type: 'T', time: 0, data: op.tombstone ? null : { value: op.value } };
        const attempt = log.append(
          op.tombstone ? { ...entry, tombstone: true } : entry,
          expected === undefined ? {} : { expectedRevision: expected },
        );
        if (accept) {
          const written = await attempt;
          expect(written.revision).toBeGreaterThan(model.entries.at(-1)?.revision ?? 0);
          model.entries.push(written);
        } else {
          const error = await attempt.then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(isKeelsonError(error, 'AppendConflict')).toBe(true);
          expect(error).toMatchObject({ key, actualRevision: model.live(key) });
        }
      } else if (op.kind === 'compact') {
        const head = await log.head();
        const before = Math.floor(op.at * head);
        await log.compact(before);
        model.compact(before);
      } else if (persistent) {
        await log.close();
        log = await open();
      }
      expect(await readAll(log)).toEqual(model.entries);
      expect(await log.head()).toBe(model.entries.at(-1)?.revision ?? (await log.head()));
    }
  } finally {
    await log.close();
  }
}

describe('event log against a model', () => {
  it('memory log: random appends, conflicts, tombstones and compactions match the model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 60, size: 'max' }), (ops) =>
        check(ops, async () => createMemoryLog(), false),
      ),
      { numRuns: 200 },
    );
  });

  it('file log: the same, with reopenings in between', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 40, size: 'max' }), async (ops) => {
        const { dir, remove } = await tempDir('property');
        try {
          await check(ops, () => openFileLog(join(dir, 'log'), { fsync: 'never', segmentBytes: 1024 }), true);
        } finally {
          await remove();
        }
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});
