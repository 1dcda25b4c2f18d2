/**
 * A store with the built-in kinds on a virtual clock and a scheduler on it,
 * for tests of `createScheduler`. Schedulers made here are stopped after each
 * test.
 */
import { builtinAdmission, builtinTypes, ensureSystemNamespaces } from '@keelson/api';
import { createRandom, VirtualClock } from '@keelson/clock';
import { createStore } from '@keelson/core';
import { afterEach } from 'vitest';
import { createScheduler, type Scheduler, type SchedulerOptions } from '../src/scheduler/scheduler';

export const T0 = Date.parse('2026-01-01T00:00:00Z');
let running: Scheduler[] = [];

afterEach(async () => {
  await Promise.all(running.map((s) => s.stop()));
  running = [];
});

export async function schedulerCluster(options: Partial<SchedulerOptions> = {}) {
  const clock = new VirtualClock(T0);
  const store = await createStore({
    types: builtinTypes,
    admission: builtinAdmission(),
    clock,
    random: createRandom(1, 'store'),
    logger: { warn() {} },
  });
  await ensureSystemNamespaces(store);
  const scheduler = createScheduler({ store, clock, random: createRandom(7, 'scheduler'), ...options });
  running.push(scheduler);
  /** Lets the scheduler drain: activeQ empty, no bind in flight (pods held by Permit aside). */
  const settle = async () => {
    for (let i = 0; i < 20; i++) {
      await clock.advance(0);
      await scheduler.idle();
    }
  };
  return { clock, store, scheduler, settle };
}
