import { isKeelsonError } from '@keelson/eventlog';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyJsonPatch, diffJson, type JsonPatchOperation } from './jsonPatch';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** JSON has no -0 (it serialises as 0), so compare values as JSON would see them. */
function normalise(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/** A value whose keys or properties throw when read: proof that the diff did not descend into it. */
function untouchable(): object {
  const fail = (): never => {
    throw new Error('shared subtree was read');
  };
  return new Proxy({}, { get: fail, ownKeys: fail, has: fail, getOwnPropertyDescriptor: fail, getPrototypeOf: fail });
}

function roundTrip(before: unknown, after: unknown): JsonPatchOperation[] {
  const operations = diffJson(deepFreeze(before), deepFreeze(after));
  expect(applyJsonPatch(before, operations)).toEqual(after);
  return operations;
}

function expectInvalid(run: () => unknown, message: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(isKeelsonError(error, 'Invalid')).toBe(true);
    expect((error as Error).message).toMatch(message);
    return;
  }
  expect.fail('expected an InvalidError');
}

describe('diffJson', () => {
  it('returns no operations for identical input', () => {
    const doc = { a: [1, { b: null }], c: 'x' };
    expect(diffJson(doc, doc)).toEqual([]);
    expect(diffJson(doc, structuredClone(doc))).toEqual([]);
    expect(diffJson(3, 3)).toEqual([]);
    expect(diffJson(null, null)).toEqual([]);
  });

  it('diffs nested objects: removes first (before order), then adds and changes (after order)', () => {
    const before = { metadata: { name: 'a', labels: { app: 'web', tier: 'fe' } }, gone: 1 };
    const after = { metadata: { name: 'a', labels: { app: 'api', env: 'prod' } }, spec: { replicas: 2 } };
    expect(roundTrip(before, after)).toEqual([
      { op: 'remove', path: '/gone' },
      { op: 'remove', path: '/metadata/labels/tier' },
      { op: 'replace', path: '/metadata/labels/app', value: 'api' },
      { op: 'add', path: '/metadata/labels/env', value: 'prod' },
      { op: 'add', path: '/spec', value: { replicas: 2 } },
    ]);
  });

  it('diffs growing, shrinking and changing arrays', () => {
    expect(roundTrip({ a: [1, 2] }, { a: [1, 3, 4, 5] })).toEqual([
      { op: 'replace', path: '/a/1', value: 3 },
      { op: 'add', path: '/a/2', value: 4 },
      { op: 'add', path: '/a/3', value: 5 },
    ]);
    expect(roundTrip([1, 2, 3, 4], [9, 2])).toEqual([
      { op: 'replace', path: '/0', value: 9 },
      { op: 'remove', path: '/3' },
      { op: 'remove', path: '/2' },
    ]);
    expect(roundTrip([{ a: 1 }, { a: 2 }], [{ a: 1 }, { a: 2, b: 3 }])).toEqual([
      { op: 'add', path: '/1/b', value: 3 },
    ]);
    expect(roundTrip([1, 2], [])).toEqual([
      { op: 'remove', path: '/1' },
      { op: 'remove', path: '/0' },
    ]);
  });

  it('escapes "~" and "/" in keys', () => {
    const before = { 'a/b': 1, 'm~n': 2, '~1': 3 };
    const after = { 'a/b': 2, '~1': 3, '/~/': 4 };
    expect(roundTrip(before, after)).toEqual([
      { op: 'remove', path: '/m~0n' },
      { op: 'replace', path: '/a~1b', value: 2 },
      { op: 'add', path: '/~1~0~1', value: 4 },
    ]);
  });

  it('replaces on a type change, including null and the root', () => {
    expect(roundTrip({ a: [1], b: { c: 1 }, d: null, e: 1 }, { a: { 0: 1 }, b: [1], d: 0, e: null })).toEqual([
      { op: 'replace', path: '/a', value: { 0: 1 } },
      { op: 'replace', path: '/b', value: [1] },
      { op: 'replace', path: '/d', value: 0 },
      { op: 'replace', path: '/e', value: null },
    ]);
    expect(roundTrip({ a: 1 }, [1])).toEqual([{ op: 'replace', path: '', value: [1] }]);
    expect(roundTrip('x', null)).toEqual([{ op: 'replace', path: '', value: null }]);
  });

  it('puts after values in the patch by reference', () => {
    const spec = { replicas: 3 };
    const [operation] = diffJson({}, { spec });
    expect(operation).toEqual({ op: 'add', path: '/spec', value: spec });
    expect(operation?.op === 'add' && operation.value).toBe(spec);
  });

  it('does not descend into a subtree shared by reference', () => {
    const shared = untouchable();
    const before = { spec: shared, list: [shared, 1], status: { ready: false } };
    const after = { spec: shared, list: [shared, 2], status: { ready: true } };
    expect(diffJson(before, after)).toEqual([
      { op: 'replace', path: '/list/1', value: 2 },
      { op: 'replace', path: '/status/ready', value: true },
    ]);
  });
});

describe('applyJsonPatch', () => {
  it('never mutates a frozen input and shares untouched subtrees', () => {
    const before = deepFreeze({ a: { b: [1, 2] }, untouched: { deep: [1] } });
    const after = applyJsonPatch(before, [
      { op: 'add', path: '/a/b/0', value: 0 },
      { op: 'add', path: '/a/b/-', value: 3 },
      { op: 'replace', path: '/a/b/1', value: 'one' },
      { op: 'remove', path: '/a/b/2' },
    ]);
    expect(after).toEqual({ a: { b: [0, 'one', 3] }, untouched: { deep: [1] } });
    expect(before).toEqual({ a: { b: [1, 2] }, untouched: { deep: [1] } });
    expect(after.untouched).toBe(before.untouched);
  });

  it('returns the document itself for an empty patch, and the value for a root replace', () => {
    const doc = { a: 1 };
    expect(applyJsonPatch(doc, [])).toBe(doc);
    expect(applyJsonPatch<unknown>(doc, [{ op: 'replace', path: '', value: [1] }])).toEqual([1]);
  });

  it('treats "__proto__" as an ordinary key', () => {
    const before = JSON.parse('{"__proto__": {"a": 1}}') as unknown;
    const after = JSON.parse('{"__proto__": {"a": 2}, "x": {"__proto__": 1}}') as unknown;
    const result = applyJsonPatch(before, diffJson(before, after));
    expect(JSON.stringify(result)).toBe(JSON.stringify(after));
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
  });

  it('throws InvalidError naming the path for targets that do not exist', () => {
    const doc = deepFreeze({ a: { b: 1 }, list: [1, 2], n: 5 });
    expectInvalid(() => applyJsonPatch(doc, [{ op: 'remove', path: '/a/c' }]), /"\/a\/c".*key "c" does not exist/);
    expectInvalid(() => applyJsonPatch(doc, [{ op: 'replace', path: '/x', value: 1 }]), /key "x" does not exist/);
    expectInvalid(
      () => applyJsonPatch(doc, [{ op: 'add', path: '/x/y', value: 1 }]),
      /"\/x\/y"\): "\/x" does not exist/,
    );
    expectInvalid(() => applyJsonPatch(doc, [{ op: 'add', path: '/list/3', value: 1 }]), /index 3 is out of range/);
    expectInvalid(() => applyJsonPatch(doc, [{ op: 'remove', path: '/list/2' }]), /index 2 is out of range/);
    expectInvalid(() => applyJsonPatch(doc, [{ op: 'remove', path: '/list/-' }]), /"-" is not an array index/);
    expectInvalid(() => applyJsonPatch(doc, [{ op: 'add', path: '/list/01', value: 1 }]), /"01" is not an array/);
    expectInvalid(() => applyJsonPatch(doc, [{ op: 'add', path: '/n/x', value: 1 }]), /"\/n" is not an object/);
    expectInvalid(() => applyJsonPatch(doc, [{ op: 'remove', path: '' }]), /cannot remove the whole document/);
    expectInvalid(() => applyJsonPatch(doc, [{ op: 'add', path: 'a', value: 1 }]), /must be "" or start with "\/"/);
    expectInvalid(() => applyJsonPatch(doc, [{ op: 'remove', path: '/a~2' }]), /"~" not followed by 0 or 1/);
    const move = { op: 'move', from: '/a', path: '/b' } as unknown as JsonPatchOperation;
    expectInvalid(() => applyJsonPatch(doc, [move]), /operations\[0\]\.op: unsupported operation "move"/);
    const noValue = { op: 'add', path: '/z' } as unknown as JsonPatchOperation;
    expectInvalid(() => applyJsonPatch(doc, [noValue]), /add needs a value/);
    expect(doc).toEqual({ a: { b: 1 }, list: [1, 2], n: 5 });
  });
});

describe('properties', () => {
  const json = fc.jsonValue().map(normalise);
  // Few keys and shallow values, so the two sides overlap and the diff has structure to find.
  const { similar } = fc.letrec<{ similar: unknown }>((tie) => ({
    similar: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(null, true, false, 0, 1, '', 'x'),
      fc.array(tie('similar'), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom('a', 'b', 'c/d', '~e', '~1', ''), tie('similar'), { maxKeys: 4 }),
    ),
  }));

  it('applying diff(a, b) to a gives b', () => {
    for (const arb of [json, similar]) {
      fc.assert(
        fc.property(arb, arb, (a, b) => {
          const patched = applyJsonPatch(deepFreeze(a), diffJson(a, deepFreeze(b)));
          expect(patched).toEqual(b);
        }),
        { numRuns: 300 },
      );
    }
  });

  it('diff(x, x) is empty, for the same reference and for a copy', () => {
    fc.assert(
      fc.property(json, (x) => {
        expect(diffJson(x, x)).toEqual([]);
        expect(diffJson(x, structuredClone(x))).toEqual([]);
      }),
    );
  });
});
