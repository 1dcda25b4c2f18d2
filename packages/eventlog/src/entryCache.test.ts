import { describe, expect, it } from 'vitest';
import { createMemoryLog } from './memoryLog';

describe('entry checks on shared, frozen data', () => {
  it('still refuses a bad value inside a frozen object whose child is not frozen', async () => {
    const log = createMemoryLog();
    const child: Record<string, unknown> = { ok: 1 };
    const data = Object.freeze({ child });
    await log.append({ key: 'a', type: 'T', time: 0, data });
    child.bad = () => 1;
    await expect(log.append({ key: 'b', type: 'T', time: 0, data })).rejects.toThrow(
      'entry.data.child.bad is a function',
    );
  });

  it('accepts the same deeply frozen data again and checks nesting depth through it', async () => {
    const log = createMemoryLog();
    let deep: unknown = 1;
    for (let i = 0; i < 500; i++) deep = Object.freeze({ d: deep });
    await log.append({ key: 'a', type: 'T', time: 0, data: deep });
    await log.append({ key: 'b', type: 'T', time: 0, data: deep });
    let deeper: unknown = deep;
    for (let i = 0; i < 20; i++) deeper = Object.freeze({ d: deeper });
    await expect(log.append({ key: 'c', type: 'T', time: 0, data: deeper })).rejects.toThrow(
      'nested more than 512 levels',
    );
  });
});
