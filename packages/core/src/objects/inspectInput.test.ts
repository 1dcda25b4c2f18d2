import { describe, expect, it } from 'vitest';
import { formatTime } from '../store/keys';
import { inspectInput } from './inspectInput';

describe('inspectInput refusals', () => {
  it('names the path of the first reserved key, through arrays and objects', () => {
    const bad: Record<string, unknown> = {};
    Object.defineProperty(bad, 'prototype', { value: 1, enumerable: true });
    const input = { spec: { containers: [{ name: 'a' }, { env: [{ name: 'x' }, bad] }] }, z: { constructor: 1 } };
    expect(() => inspectInput('Pod', input)).toThrow(
      'Pod spec.containers[1].env[1].prototype uses the reserved key "prototype"; remove it',
    );
  });

  it('names the path where nesting passes 256 levels', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 300; i++) deep = [deep];
    expect(() => inspectInput('Thing', { ok: 1, spec: { list: deep } })).toThrow(
      /^Thing spec\.list(\[0\]){255} is nested more than 256 levels deep; remove it$/,
    );
  });

  it('accepts plain input as it is, and drops properties set to undefined', () => {
    const input = { spec: { a: [1, 'b', null, { c: true }] } };
    expect(inspectInput('Thing', input)).toBe(input);
    expect(inspectInput('Thing', { spec: { a: undefined, b: 1 } })).toEqual({ spec: { b: 1 } });
  });
});

describe('formatTime', () => {
  it('formats each second afresh, also when times go backwards', () => {
    expect(formatTime(Date.UTC(2026, 0, 2, 3, 4, 5, 999))).toBe('2026-01-02T03:04:05Z');
    expect(formatTime(Date.UTC(2026, 0, 2, 3, 4, 5, 1))).toBe('2026-01-02T03:04:05Z');
    expect(formatTime(Date.UTC(2026, 0, 2, 3, 4, 6))).toBe('2026-01-02T03:04:06Z');
    expect(formatTime(Date.UTC(2025, 11, 31, 23, 59, 59))).toBe('2025-12-31T23:59:59Z');
    expect(formatTime(-1)).toBe('1969-12-31T23:59:59Z');
  });
});
