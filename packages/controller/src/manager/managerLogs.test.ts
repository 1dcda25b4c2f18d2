import { InvalidError, type Logger } from '@keelson/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { harness, memoryLogger, settle, Widget, widget } from '../../test/harness';
import { defineController } from '../controller/defineController';
import { createManager } from './createManager';

const flaky = (failures: number) => {
  const tries: Record<string, number> = {};
  return defineController({
    name: 'flaky',
    for: Widget,
    reconcile: ({ name }, { logger }) => {
      tries[name] = (tries[name] ?? 0) + 1;
      if ((tries[name] ?? 0) <= failures) throw new Error(`try ${tries[name]} failed`);
      logger.info({ size: 1 }, 'widget in shape');
      return { requeueAfter: 60_000 };
    },
  });
};

describe('manager logs', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes nothing anywhere without a logger, even when reconciles fail and leadership changes', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
    const { clock, store } = await harness();
    await store.create(Widget, widget('a'));
    const manager = createManager({ store, leaderElection: { name: 'widgets', identity: 'a' } }).add(flaky(3));
    await manager.start();
    await clock.advance(20_000);
    await manager.stop();
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('binds the component, the controller and the request, and logs failures, requeues and leadership', async () => {
    const { clock, store } = await harness();
    await store.create(Widget, widget('a'));
    const logger = memoryLogger();
    const manager = createManager({ store, logger, leaderElection: { name: 'widgets', identity: 'pod-a' } });
    manager.add(flaky(2));
    await manager.start();
    await clock.advance(1_000);
    await settle(clock);
    const request = { component: 'controller-manager', controller: 'flaky', namespace: 'default', name: 'a' };
    expect(logger.lines).toContainEqual({
      level: 'info',
      message: 'pod-a became leader',
      fields: { component: 'controller-manager', lease: 'widgets', identity: 'pod-a' },
    });
    expect(logger.lines).toContainEqual({
      level: 'info',
      message: 'starting workers',
      fields: { component: 'controller-manager', controller: 'flaky', workers: 1 },
    });
    const failures = logger.lines.filter((l) => l.level === 'error');
    expect(failures.map((l) => l.fields)).toEqual([
      { ...request, requeues: 1, error: 'try 1 failed', stack: expect.stringContaining('try 1 failed') },
      { ...request, requeues: 2, error: 'try 2 failed', stack: expect.stringContaining('try 2 failed') },
    ]);
    expect(failures[0]?.message).toBe('reconciler error: default/a will be retried');
    // The reconciler's own line carries the same bindings, through ctx.logger.
    expect(logger.lines).toContainEqual({ level: 'info', message: 'widget in shape', fields: { ...request, size: 1 } });
    expect(logger.lines).toContainEqual({
      level: 'debug',
      message: 'reconcile requeued after a delay',
      fields: { ...request, requeueAfter: 60_000 },
    });
    await manager.stop();
  });

  it('refuses a logger without pino’s methods (the old message-first shape)', async () => {
    const { store } = await harness();
    const narrow = { info() {}, error() {} } as unknown as Logger;
    expect(() => createManager({ store, logger: narrow })).toThrow(InvalidError);
    expect(() => createManager({ store, logger: narrow })).toThrow(/logger must be pino-compatible/);
  });
});
