import { VirtualClock } from '@keelson/clock';
import { InvalidError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { createWorkQueue, exponentialFailureRateLimiter, type WorkQueue, type WorkQueueGetResult } from './index';

const setup = () => {
  const clock = new VirtualClock();
  const queue = createWorkQueue<string>({ clock, name: 'test' });
  return { clock, queue };
};

/** Takes the next item, failing the test if the queue says it is shut down. */
const take = async (queue: WorkQueue<string>): Promise<string> => {
  const next = await queue.get();
  if (next.shutdown) throw new Error('unexpected shutdown');
  return next.item;
};

/** Starts a get() and records what it resolves to, without awaiting it. */
const pending = (queue: WorkQueue<string>) => {
  const box: { result?: WorkQueueGetResult<string> } = {};
  void queue.get().then((result) => {
    box.result = result;
  });
  return box;
};

describe('createWorkQueue: add / get / done', () => {
  it('hands items out first in, first out', async () => {
    const { queue } = setup();
    for (const key of ['a', 'b', 'c']) queue.add(key);
    expect(queue.length).toBe(3);
    expect([await take(queue), await take(queue), await take(queue)]).toEqual(['a', 'b', 'c']);
    expect(queue.length).toBe(0);
    expect(queue.name).toBe('test');
  });

  it('processes an item added many times before it is taken once, in its first place', async () => {
    const { clock, queue } = setup();
    queue.add('a');
    queue.add('b');
    queue.add('a');
    queue.add('a');
    expect(queue.length).toBe(2);
    expect(await take(queue)).toBe('a');
    expect(await take(queue)).toBe('b');
    const next = pending(queue);
    await clock.advance(0);
    expect(next.result).toBeUndefined();
  });

  it('queues an item added during processing again only after done', async () => {
    const { clock, queue } = setup();
    queue.add('a');
    expect(await take(queue)).toBe('a');
    queue.add('a');
    queue.add('a');
    expect(queue.length).toBe(0);
    const waiter = pending(queue);
    await clock.advance(0);
    expect(waiter.result).toBeUndefined();
    queue.done('a');
    await clock.advance(0);
    expect(waiter.result).toEqual({ item: 'a', shutdown: false });
    queue.done('a');
    expect(queue.length).toBe(0);
  });

  it('serves concurrent getters in call order and never gives one item to two of them', async () => {
    const { clock, queue } = setup();
    const getters = [pending(queue), pending(queue), pending(queue)];
    queue.add('a');
    queue.add('a');
    queue.add('b');
    await clock.advance(0);
    expect(getters.map((g) => g.result)).toEqual([
      { item: 'a', shutdown: false },
      { item: 'b', shutdown: false },
      undefined,
    ]);
    queue.add('a'); // 'a' is held: the third getter must not get it yet
    await clock.advance(0);
    expect(getters[2]?.result).toBeUndefined();
    queue.done('a');
    await clock.advance(0);
    expect(getters[2]?.result).toEqual({ item: 'a', shutdown: false });
  });

  it('ignores done for an item that is not being processed', async () => {
    const { queue } = setup();
    queue.add('a');
    queue.done('a');
    expect(queue.length).toBe(1);
    expect(await take(queue)).toBe('a');
    queue.done('a');
    queue.done('a');
    expect(queue.length).toBe(0);
  });
});

describe('createWorkQueue: delayed adds', () => {
  it('adds after exactly the given virtual time', async () => {
    const { clock, queue } = setup();
    queue.addAfter('a', 50);
    await clock.advance(49);
    expect(queue.length).toBe(0);
    await clock.advance(1);
    expect(queue.length).toBe(1);
    expect(clock.now()).toBe(50);
    expect(await take(queue)).toBe('a');
  });

  it('keeps the earliest time when an item is added after twice', async () => {
    const { clock, queue } = setup();
    queue.addAfter('a', 50);
    queue.addAfter('a', 70);
    await clock.advance(50);
    expect(queue.length).toBe(1);
    queue.done(await take(queue));
    await clock.advance(100);
    expect(queue.length).toBe(0);

    queue.addAfter('a', 50);
    queue.addAfter('a', 30);
    await clock.advance(30);
    expect(queue.length).toBe(1);
    queue.done(await take(queue));
    await clock.advance(100);
    expect(queue.length).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('fires waiting items in time order and adds now for ms <= 0', async () => {
    const { clock, queue } = setup();
    queue.addAfter('first', 1000);
    queue.addAfter('second', 500);
    queue.addAfter('third', 250);
    queue.addAfter('now', 0);
    queue.addAfter('also-now', -5);
    expect(queue.length).toBe(2);
    await clock.advance(2000);
    const order: string[] = [];
    while (queue.length > 0) order.push(await take(queue));
    expect(order).toEqual(['now', 'also-now', 'third', 'second', 'first']);
  });

  it('refuses a NaN or infinite delay', () => {
    const { queue } = setup();
    expect(() => queue.addAfter('a', Number.NaN)).toThrow(InvalidError);
    expect(() => queue.addAfter('a', Number.POSITIVE_INFINITY)).toThrow(/workQueue "test": addAfter: ms must be/);
  });

  it('addRateLimited waits exactly what the rate limiter says; forget resets it', async () => {
    const clock = new VirtualClock();
    const queue = createWorkQueue<string>({ clock, rateLimiter: exponentialFailureRateLimiter(100, 10_000) });
    const arrivals: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = clock.now();
      queue.addRateLimited('a');
      const next = take(queue).then((item) => {
        arrivals.push(clock.now() - start);
        queue.done(item);
      });
      await clock.runUntilIdle();
      await next;
    }
    expect(arrivals).toEqual([100, 200, 400]);
    expect(queue.numRequeues('a')).toBe(3);
    queue.forget('a');
    expect(queue.numRequeues('a')).toBe(0);
    queue.addRateLimited('a');
    await clock.advance(99);
    expect(queue.length).toBe(0);
    await clock.advance(1);
    expect(queue.length).toBe(1);
  });

  it('uses the default controller rate limiter on the given clock', async () => {
    const { clock, queue } = setup();
    queue.addRateLimited('a');
    await clock.advance(4);
    expect(queue.length).toBe(0);
    await clock.advance(1);
    expect(queue.length).toBe(1);
    expect(queue.numRequeues('a')).toBe(1);
  });
});

describe('createWorkQueue: shutdown', () => {
  it('stops accepting items, still hands out queued ones, then reports shutdown', async () => {
    const { queue } = setup();
    queue.add('a');
    queue.add('b');
    queue.shutDown();
    expect(queue.shuttingDown()).toBe(true);
    queue.add('c');
    queue.addAfter('d', 0);
    expect(queue.length).toBe(2);
    expect(await take(queue)).toBe('a');
    expect(await take(queue)).toBe('b');
    expect(await queue.get()).toEqual({ shutdown: true });
    expect(await queue.get()).toEqual({ shutdown: true });
  });

  it('wakes every waiting getter with shutdown', async () => {
    const { clock, queue } = setup();
    const getters = [pending(queue), pending(queue)];
    expect(queue.shuttingDown()).toBe(false);
    queue.shutDown();
    await clock.advance(0);
    expect(getters.map((g) => g.result)).toEqual([{ shutdown: true }, { shutdown: true }]);
  });

  it('drops delayed items and cancels their timers', async () => {
    const { clock, queue } = setup();
    queue.addAfter('a', 100);
    queue.addAfter('b', 200);
    expect(clock.pendingTimers()).toBe(2);
    queue.shutDown();
    expect(clock.pendingTimers()).toBe(0);
    await clock.advance(1000);
    expect(queue.length).toBe(0);
    expect(await queue.get()).toEqual({ shutdown: true });
  });

  it('requeues an item added while processing when it is done, even after shutdown', async () => {
    const { queue } = setup();
    queue.add('a');
    expect(await take(queue)).toBe('a');
    queue.add('a');
    queue.shutDown();
    expect(await queue.get()).toEqual({ shutdown: true });
    queue.done('a');
    expect(await take(queue)).toBe('a');
  });

  it('shutDownWithDrain resolves once every item being processed is done', async () => {
    const { clock, queue } = setup();
    queue.add('a');
    queue.add('b');
    const a = await take(queue);
    const b = await take(queue);
    let drained = false;
    const drain = queue.shutDownWithDrain().then(() => {
      drained = true;
    });
    expect(queue.shuttingDown()).toBe(true);
    queue.done(a);
    await clock.advance(0);
    expect(drained).toBe(false);
    queue.done(b);
    await drain;
    expect(drained).toBe(true);
  });

  it('shutDownWithDrain resolves at once when nothing is being processed, and shutDown ends its wait', async () => {
    const { clock, queue } = setup();
    await createWorkQueue<string>({ clock }).shutDownWithDrain();
    queue.add('a');
    await take(queue);
    let drained = false;
    void queue.shutDownWithDrain().then(() => {
      drained = true;
    });
    await clock.advance(0);
    expect(drained).toBe(false);
    queue.shutDown();
    await clock.advance(0);
    expect(drained).toBe(true);
  });
});
