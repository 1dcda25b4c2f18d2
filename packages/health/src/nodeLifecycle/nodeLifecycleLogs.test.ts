import { UNREACHABLE_TAINT } from '@keelson/api';
import { createMemoryLogger, InvalidError, type Logger } from '@keelson/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNodeLifecycleController } from './index';
import { advanceTo, lifecycleStore, TestKubelet } from './testKubelet';

afterEach(() => vi.restoreAllMocks());

const UNTOLERATED = [
  { key: UNREACHABLE_TAINT, operator: 'Equal' as const, value: 'never', effect: 'NoExecute' as const },
];

/** n1 registers and runs a pod that does not tolerate an unreachable node, then dies at 30 s. */
async function lostNode(logger?: Logger) {
  const { clock, store } = await lifecycleStore();
  const kubelet = new TestKubelet(store, clock, 'n1');
  await kubelet.register();
  await kubelet.runPod('doomed', UNTOLERATED);
  const controller = createNodeLifecycleController(store, logger === undefined ? {} : { logger });
  await controller.start();
  await advanceTo(clock, 30);
  kubelet.stop();
  await advanceTo(clock, 90);
  await controller.stop();
  await store.close();
}

describe('node lifecycle logs', () => {
  it('logs what it records, bound to component node-lifecycle', async () => {
    const logger = createMemoryLogger();
    await lostNode(logger);
    const bound = { component: 'node-lifecycle' };
    expect(logger.lines).toContainEqual({
      level: 'info',
      message: 'Registered Node n1 in Controller',
      fields: { ...bound, kind: 'Node', object: 'n1', reason: 'RegisteredNode' },
    });
    expect(logger.lines).toContainEqual({
      level: 'info',
      message: 'Marking for deletion Pod default/doomed',
      fields: { ...bound, kind: 'Pod', object: 'default/doomed', reason: 'TaintManagerEviction' },
    });
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('prints nothing without a logger', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
    await lostNode();
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('refuses a logger without pino’s methods', async () => {
    const { store } = await lifecycleStore();
    const narrow = { info() {}, error() {} } as unknown as Logger;
    expect(() => createNodeLifecycleController(store, { logger: narrow })).toThrow(InvalidError);
    expect(() => createNodeLifecycleController(store, { logger: narrow })).toThrow(/logger must be pino-compatible/);
    await store.close();
  });
});
