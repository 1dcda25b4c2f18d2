import { describe, expect, it } from 'vitest';
import { deepFreeze, plainCopy, shareUnchanged } from './freeze';

describe('plainCopy', () => {
  it('copies own properties and applies overrides without touching the source', () => {
    const source = deepFreeze({ a: 1, b: { c: 2 } });
    const copy = plainCopy(source, { a: 3 });
    expect(copy).toEqual({ a: 3, b: { c: 2 } });
    expect(copy.b).toBe(source.b);
    expect(source.a).toBe(1);
  });

  it('keeps a "__proto__" key of JSON data as a property, not as the prototype', () => {
    const source = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as Record<string, unknown>;
    const copy = plainCopy(source);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

describe('shareUnchanged', () => {
  it('shares equal subtrees of an object with a "__proto__" key and keeps the key as data', () => {
    const prev = deepFreeze(JSON.parse('{"__proto__": {"p": 1}, "labels": {"k": "v"}, "spec": {"n": 1}}'));
    const next = JSON.parse('{"__proto__": {"p": 1}, "labels": {"k": "v"}, "spec": {"n": 2}}');
    const shared = shareUnchanged(prev, next) as Record<string, unknown>;
    expect(shared.labels).toBe(prev.labels);
    expect(shared.spec).toEqual({ n: 2 });
    expect(Object.getPrototypeOf(shared)).toBe(Object.prototype);
    expect(Object.hasOwn(shared, '__proto__')).toBe(true);
  });
});
