import { describe, expect, it } from 'vitest';
import { inspectInput } from './inspectInput';

describe('inspectInput on shared, frozen input', () => {
  it('re-walks a frozen object whose child is mutable, so a later reserved key is refused', () => {
    const child: Record<string, unknown> = { ok: 1 };
    const input = Object.freeze({ spec: child });
    expect(inspectInput('Thing', input)).toBe(input);
    Object.defineProperty(child, '__proto__', { value: 1, enumerable: true });
    expect(() => inspectInput('Thing', input)).toThrow('Thing spec.__proto__ uses the reserved key "__proto__"');
  });

  it('remembers the depth of a frozen subtree', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 250; i++) deep = Object.freeze({ d: deep });
    inspectInput('Thing', { a: deep });
    let deeper: unknown = deep;
    for (let i = 0; i < 10; i++) deeper = { d: deeper };
    expect(() => inspectInput('Thing', { a: deeper })).toThrow('nested more than 256 levels deep');
  });
});
