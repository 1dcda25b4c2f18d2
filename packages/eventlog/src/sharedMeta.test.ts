import { describe, expect, it } from 'vitest';
import { createMemoryLog } from './memoryLog';

describe('entry meta', () => {
  it('reads back each entry its own meta, frozen and detached from the caller, while equal meta is one object', async () => {
    const log = createMemoryLog();
    const meta: Record<string, string> = { actor: 'kubelet', reason: 'status' };
    const first = await log.append({ key: 'a', type: 'Thing', time: 0, data: 1, meta });
    meta.actor = 'changed by caller';
    const second = await log.append({
      key: 'b',
      type: 'Thing',
      time: 0,
      data: 2,
      meta: { actor: 'kubelet', reason: 'status' },
    });
    const split = await log.append({
      key: 'c',
      type: 'Thing',
      time: 0,
      data: 3,
      meta: { actor: 'kubelet","reason":"status' },
    });
    expect(first.meta).toEqual({ actor: 'kubelet', reason: 'status' });
    expect(Object.isFrozen(first.meta)).toBe(true);
    expect(second.meta).toBe(first.meta);
    expect(split.meta).toEqual({ actor: 'kubelet","reason":"status' });
    const read = [];
    for await (const entry of log.read()) read.push(entry.meta);
    expect(read).toEqual([first.meta, second.meta, split.meta]);
  });
});
