import { isKeelsonError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from './index';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const deployment = deepFreeze({
  metadata: { name: 'web', labels: { app: 'web', 'a/b': 'x', 'm~n': 'y' } },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'nginx:1' }] } } },
});

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('applyJsonPatch', () => {
  it('replaces, adds and removes without touching the frozen input', () => {
    const patched = applyJsonPatch(deployment, [
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/metadata/labels/tier', value: 'front' },
      { op: 'remove', path: '/metadata/labels/app' },
    ]) as typeof deployment;
    expect(patched.spec.replicas).toBe(3);
    expect(patched.metadata.labels).toEqual({ 'a/b': 'x', 'm~n': 'y', tier: 'front' });
    expect(deployment.spec.replicas).toBe(1);
    expect(patched.spec.template).toBe(deployment.spec.template);
  });

  it('unescapes ~1 and ~0 in pointers', () => {
    const patched = applyJsonPatch(deployment, [
      { op: 'replace', path: '/metadata/labels/a~1b', value: 'X' },
      { op: 'remove', path: '/metadata/labels/m~0n' },
    ]) as typeof deployment;
    expect(patched.metadata.labels).toEqual({ app: 'web', 'a/b': 'X' });
  });

  it('inserts into arrays by index and appends with "-"', () => {
    const doc = { items: ['a', 'c'] };
    expect(applyJsonPatch(doc, [{ op: 'add', path: '/items/1', value: 'b' }])).toEqual({ items: ['a', 'b', 'c'] });
    expect(applyJsonPatch(doc, [{ op: 'add', path: '/items/-', value: 'd' }])).toEqual({ items: ['a', 'c', 'd'] });
    expect(applyJsonPatch(doc, [{ op: 'add', path: '/items/2', value: 'd' }])).toEqual({ items: ['a', 'c', 'd'] });
    expect(applyJsonPatch(doc, [{ op: 'remove', path: '/items/0' }])).toEqual({ items: ['c'] });
    expect(applyJsonPatch(doc, [{ op: 'replace', path: '/items/1', value: 'z' }])).toEqual({ items: ['a', 'z'] });
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/items/3', value: 'x' }])).toThrow(/out of range/);
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/items/01', value: 'x' }])).toThrow(/out of range/);
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/items/-' }])).toThrow(/path does not exist/);
  });

  it('moves and copies values', () => {
    const doc = { a: { x: 1 }, list: [1, 2, 3] };
    expect(applyJsonPatch(doc, [{ op: 'move', from: '/a/x', path: '/b' }])).toEqual({ a: {}, b: 1, list: [1, 2, 3] });
    expect(applyJsonPatch(doc, [{ op: 'copy', from: '/a', path: '/c' }])).toEqual({
      a: { x: 1 },
      c: { x: 1 },
      list: [1, 2, 3],
    });
    expect(applyJsonPatch(doc, [{ op: 'move', from: '/list/0', path: '/list/-' }])).toEqual({
      a: { x: 1 },
      list: [2, 3, 1],
    });
    expect(() => applyJsonPatch(doc, [{ op: 'move', from: '/a', path: '/a/y' }])).toThrow(/its own children/);
  });

  it('test passes on deep equality and fails otherwise', () => {
    expect(
      applyJsonPatch(deployment, [
        { op: 'test', path: '/metadata/labels', value: { 'm~n': 'y', 'a/b': 'x', app: 'web' } },
      ]),
    ).toBe(deployment);
    const error = errorOf(() => applyJsonPatch(deployment, [{ op: 'test', path: '/spec/replicas', value: 2 }]));
    expect(error.message).toBe('json patch operation 0 ("test" /spec/replicas): test failed: the value differs');
  });

  it('replaces or adds the whole document with the empty pointer', () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }])).toEqual({ b: 2 });
    expect(applyJsonPatch({ a: 1 }, [{ op: 'add', path: '', value: [1] }])).toEqual([1]);
  });

  it('names the failing operation and path in an InvalidError', () => {
    const error = errorOf(() =>
      applyJsonPatch({ spec: {} }, [
        { op: 'add', path: '/spec/a', value: 1 },
        { op: 'add', path: '/spec/b', value: 2 },
        { op: 'replace', path: '/spec/replicas', value: 3 },
      ]),
    );
    expect(isKeelsonError(error, 'Invalid')).toBe(true);
    expect(error.message).toBe('json patch operation 2 ("replace" /spec/replicas): path does not exist');
    expect(() => applyJsonPatch({}, [{ op: 'add', path: '/a/b', value: 1 }])).toThrow(/path does not exist/);
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'add', path: '/a/b', value: 1 }])).toThrow(
      /cannot add a child to a number/,
    );
  });

  it('refuses malformed patches', () => {
    expect(() => applyJsonPatch({}, { op: 'add' })).toThrow('json patch must be an array of operations, not object');
    expect(() => applyJsonPatch({}, [{ op: 'frobnicate', path: '/a' }])).toThrow(
      'json patch operation 0: unknown "op" "frobnicate"',
    );
    expect(() => applyJsonPatch({}, [{ op: 'add', path: '/a' }])).toThrow('needs a "value"');
    expect(() => applyJsonPatch({}, [{ op: 'move', path: '/a' }])).toThrow('needs a string "from"');
    expect(() => applyJsonPatch({}, [{ op: 'add', path: 'a', value: 1 }])).toThrow(/must be empty or start with "\/"/);
    expect(() => applyJsonPatch({}, [{ op: 'add', path: '/a~2', value: 1 }])).toThrow(/"~" not followed/);
  });

  it('keeps __proto__ as a plain key', () => {
    const patched = applyJsonPatch({}, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]) as Record<
      string,
      unknown
    >;
    expect(Object.hasOwn(patched, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
