import { describe, expect, it } from 'vitest';
import { copy } from './context';

describe('copy', () => {
  it('copies CRI-shaped data deeply: later changes on either side stay on that side', () => {
    const original = {
      metadata: { name: 'app', attempt: 0 },
      labels: { a: '1' },
      mounts: [{ containerPath: '/data', readonly: false }],
      createdAt: 5_000_000n,
      logPath: undefined,
    };
    const copied = copy(original);
    expect(copied).toEqual(original);
    expect('logPath' in copied).toBe(true);
    original.metadata.attempt = 1;
    (original.mounts[0] as { readonly: boolean }).readonly = true;
    copied.labels.a = '2';
    expect(copied.metadata.attempt).toBe(0);
    expect(copied.mounts[0]?.readonly).toBe(false);
    expect(original.labels.a).toBe('1');
    expect(copied.createdAt).toBe(5_000_000n);
  });

  it('leaves frozen inputs frozen and gives a mutable copy', () => {
    const frozen = Object.freeze({ inner: Object.freeze({ x: 1 }) });
    const copied = copy(frozen) as { inner: { x: number } };
    copied.inner.x = 2;
    expect(frozen.inner.x).toBe(1);
  });

  it('copies other objects (Map, Date, typed arrays) as structuredClone does', () => {
    const value = { seen: new Map([['k', 1]]), at: new Date(0), bytes: new Uint8Array([1, 2]) };
    const copied = copy(value);
    expect(copied.seen).not.toBe(value.seen);
    expect(copied.seen.get('k')).toBe(1);
    expect(copied.at.getTime()).toBe(0);
    expect([...copied.bytes]).toEqual([1, 2]);
  });
});
