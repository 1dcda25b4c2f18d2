import { VirtualClock } from '@keelson/clock';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkQueue } from './index';

type Op = { op: 'add'; key: number } | { op: 'get' } | { op: 'done'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('add' as const), key: fc.nat(4) }),
  fc.record({ op: fc.constant('get' as const) }),
  fc.record({ op: fc.constant('done' as const), pick: fc.nat(10) }),
);

describe('createWorkQueue (property)', () => {
  it('never hands one item to two holders and hands every item out after its last add', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 60 }), async (ops) => {
        const clock = new VirtualClock();
        const queue = createWorkQueue<string>({ clock });
        const held = new Set<string>();
        const lastAdd = new Map<string, number>();
        const lastHandOut = new Map<string, number>();
        const doubleHolders: string[] = [];
        let step = 0;
        // Runs in a promise callback, so it records instead of throwing.
        const receive = (item: string): void => {
          if (held.has(item)) doubleHolders.push(`${item} at step ${step}`);
          held.add(item);
          lastHandOut.set(item, step);
        };
        const get = (): void => {
          void queue.get().then((next) => {
            if (!next.shutdown) receive(next.item);
          });
        };

        for (const op of ops) {
          step++;
          if (op.op === 'add') {
            queue.add(`k${op.key}`);
            lastAdd.set(`k${op.key}`, step);
          } else if (op.op === 'get') {
            get();
          } else {
            const holding = [...held];
            const item = holding[op.pick % Math.max(1, holding.length)];
            if (item !== undefined) {
              held.delete(item);
              queue.done(item);
            }
          }
          // Let resolved get() callbacks run before the next operation.
          await clock.advance(0);
          expect(doubleHolders, 'items handed to a second holder').toEqual([]);
        }

        // Wind down: pending getters get shutdown, held items finish, the rest drains.
        step++;
        queue.shutDown();
        await clock.advance(0);
        for (const item of [...held]) {
          held.delete(item);
          queue.done(item);
        }
        for (;;) {
          const next = await queue.get();
          if (next.shutdown) break;
          receive(next.item);
          held.delete(next.item);
          queue.done(next.item);
        }
        expect(doubleHolders, 'items handed to a second holder').toEqual([]);
        expect(queue.length).toBe(0);
        for (const [item, added] of lastAdd) {
          expect(lastHandOut.get(item) ?? -1, `${item} lost after its add at step ${added}`).toBeGreaterThanOrEqual(
            added,
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
