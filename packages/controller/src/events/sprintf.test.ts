import { describe, expect, it } from 'vitest';
import { createEventNamer, formatEventTime } from './eventNaming';
import { sprintf } from './sprintf';

describe('sprintf', () => {
  it('formats the verbs event messages use', () => {
    expect(sprintf('Scaled up replica set %s to %d', 'web-5d8f', 3)).toBe('Scaled up replica set web-5d8f to 3');
    expect(sprintf('%v and %v', [1, 2], { a: 1 })).toBe('[1 2] and {"a":1}');
    expect(sprintf('%q %t %.2f %%', 'x', true, 1.5)).toBe('"x" true 1.50 %');
    expect(sprintf('[%5d|%-3s|%03d]', 42, 'a', -7)).toBe('[   42|a  |-07]');
    expect(sprintf('error: %v', new Error('boom'))).toBe('error: boom');
    expect(sprintf('%v', null)).toBe('<nil>');
  });

  it('shows mistakes as Go does instead of throwing', () => {
    expect(sprintf('%d of %d', 1)).toBe('1 of %!d(MISSING)');
    expect(sprintf('done', 3, 'x')).toBe('done%!(EXTRA int=3, string=x)');
    expect(sprintf('%d', 'x')).toBe('%!d(string=x)');
    expect(sprintf('100%')).toBe('100%!(NOVERB)');
  });
});

describe('event names and times', () => {
  it('formats timestamps as RFC 3339 at second precision', () => {
    expect(formatEventTime(Date.UTC(2026, 0, 1, 12, 30, 45, 999))).toBe('2026-01-01T12:30:45Z');
  });

  it('names events <name>.<16 hex digits> of nanoseconds, unique within a millisecond', () => {
    const namer = createEventNamer();
    const now = Date.UTC(2026, 0, 1);
    const first = namer('web', now);
    const second = namer('web', now);
    expect(first).toBe(`web.${(BigInt(now) * 1_000_000n).toString(16)}`);
    expect(first).toMatch(/^web\.[0-9a-f]{16}$/);
    expect(second).not.toBe(first);
  });

  it('falls back when <name>.<hex> is not a valid name', () => {
    expect(createEventNamer()('x'.repeat(250), 0)).toMatch(/^[0-9a-f]{16}$/);
  });
});
