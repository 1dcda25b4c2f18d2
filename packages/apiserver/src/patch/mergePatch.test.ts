import { describe, expect, it } from 'vitest';
import { applyMergePatch } from './index';

describe('applyMergePatch', () => {
  it('merges objects, deletes with null and replaces lists (RFC 7386 examples)', () => {
    const cases: Array<[unknown, unknown, unknown]> = [
      [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
      [{ a: 'b' }, { a: null }, {}],
      [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
      [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
      [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
      [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
      [
        ['a', 'b'],
        ['c', 'd'],
        ['c', 'd'],
      ],
      [{ a: 'b' }, ['c'], ['c']],
      [{ a: 'foo' }, null, null],
      [{ a: 'foo' }, 'bar', 'bar'],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [[1, 2], { a: 'b', c: null }, { a: 'b' }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [document, patch, expected] of cases) {
      expect(applyMergePatch(document, patch)).toEqual(expected);
    }
  });

  it('does not mutate a frozen document and shares untouched subtrees', () => {
    const spec = Object.freeze({ replicas: 1 });
    const metadata = Object.freeze({ name: 'web', labels: Object.freeze({ app: 'web' }) });
    const document = Object.freeze({ metadata, spec });
    const patched = applyMergePatch(document, { metadata: { labels: { tier: 'front' } } }) as typeof document;
    expect(patched.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    expect(patched.spec).toBe(spec);
    expect(document.metadata.labels).toEqual({ app: 'web' });
  });
});
