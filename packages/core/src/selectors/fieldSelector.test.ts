import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKeelsonError } from '../errors/index';
import { escapeFieldSelectorValue, type FieldRequirement, parseFieldSelector } from './index';

const fields =
  (values: Record<string, string>) =>
  (field: string): string | undefined =>
    Object.hasOwn(values, field) ? values[field] : undefined;

const matches = (selector: string, values: Record<string, string>) =>
  parseFieldSelector(selector).matches(fields(values));

function parseError(input: string): string {
  try {
    parseFieldSelector(input);
  } catch (error) {
    expect(isKeelsonError(error, 'Invalid')).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('parseFieldSelector', () => {
  it('matches =, == and !=, ANDing the terms', () => {
    const pod = { 'metadata.name': 'web-1', 'spec.nodeName': 'node-a', 'status.phase': 'Running' };
    expect(matches('metadata.name=web-1', pod)).toBe(true);
    expect(matches('metadata.name==web-1', pod)).toBe(true);
    expect(matches('metadata.name=web-2', pod)).toBe(false);
    expect(matches('status.phase!=Failed', pod)).toBe(true);
    expect(matches('status.phase!=Running', pod)).toBe(false);
    expect(matches('spec.nodeName=node-a,status.phase!=Failed', pod)).toBe(true);
    expect(matches('spec.nodeName=node-a,status.phase=Failed', pod)).toBe(false);
  });

  it('compares a field get does not know as the empty string, as Kubernetes fields.Set does', () => {
    expect(matches('spec.nodeName=', {})).toBe(true);
    expect(matches('spec.nodeName==', { 'spec.nodeName': '' })).toBe(true);
    expect(matches('spec.nodeName!=', {})).toBe(false);
    expect(matches('spec.nodeName!=node-a', {})).toBe(true);
    expect(matches('spec.nodeName=node-a', {})).toBe(false);
  });

  it('selects everything without terms, skipping empty and operator-only terms', () => {
    for (const input of [undefined, '', ',', '=', '!=', '==,,']) {
      const selector = parseFieldSelector(input);
      expect(selector.empty).toBe(true);
      expect(selector.requirements).toEqual([]);
      expect(selector.matches(() => 'anything')).toBe(true);
      expect(selector.toString()).toBe('');
    }
    expect(parseFieldSelector('a=b,,').requirements).toEqual([{ field: 'a', operator: '=', value: 'b' }]);
    expect(parseFieldSelector('=x').requirements).toEqual([{ field: '', operator: '=', value: 'x' }]);
  });

  it('splits at the first operator and keeps whitespace, as Kubernetes does', () => {
    expect(parseFieldSelector('a = b').requirements).toEqual([{ field: 'a ', operator: '=', value: ' b' }]);
    expect(parseFieldSelector('a=!b').requirements).toEqual([{ field: 'a', operator: '=', value: '!b' }]);
    expect(parseFieldSelector('a!=!b').requirements).toEqual([{ field: 'a', operator: '!=', value: '!b' }]);
    expect(parseFieldSelector('a!b=c').requirements).toEqual([{ field: 'a!b', operator: '=', value: 'c' }]);
    expect(parseFieldSelector('a==b').requirements).toEqual([{ field: 'a', operator: '=', value: 'b' }]);
  });

  it('unescapes \\\\, \\, and \\= in values and escapes them again in toString', () => {
    const selector = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d,spec.x!=1\\,2');
    expect(selector.requirements).toEqual([
      { field: 'metadata.name', operator: '=', value: 'a,b=c\\d' },
      { field: 'spec.x', operator: '!=', value: '1,2' },
    ]);
    expect(selector.matches(fields({ 'metadata.name': 'a,b=c\\d' }))).toBe(true);
    expect(selector.toString()).toBe('metadata.name=a\\,b\\=c\\\\d,spec.x!=1\\,2');
    expect(escapeFieldSelectorValue('a\\b,c=d!e')).toBe('a\\\\b\\,c\\=d!e');
    expect(parseFieldSelector(`f=${escapeFieldSelectorValue('=,\\')}`).requiredValue('f')).toBe('=,\\');
  });

  it('prints the canonical form: terms sorted, == written as =', () => {
    expect(parseFieldSelector('z=1,b==2,a!=3').toString()).toBe('a!=3,b=2,z=1');
    expect(parseFieldSelector('a==x,a=b').toString()).toBe('a=b,a=x');
    expect(parseFieldSelector('b=\u{1F600},b=\uFFFD').toString()).toBe('b=\uFFFD,b=\u{1F600}'); // code point order
  });

  it('reports the value an = term requires, for indexing watchers', () => {
    const selector = parseFieldSelector('spec.nodeName=node-a,status.phase!=Failed,metadata.name==web');
    expect(selector.requiredValue('spec.nodeName')).toBe('node-a');
    expect(selector.requiredValue('metadata.name')).toBe('web');
    expect(selector.requiredValue('status.phase')).toBeUndefined();
    expect(selector.requiredValue('metadata.namespace')).toBeUndefined();
    expect(parseFieldSelector('a=').requiredValue('a')).toBe('');
    expect(parseFieldSelector('a=y,a=x').requiredValue('a')).toBe('x');
  });

  it('names the bad term, its position and what is expected', () => {
    expect(parseError('a=b,status.phase')).toBe(
      'field selector "a=b,status.phase": term "status.phase" at position 5 has no operator; expected "=", "==" or "!="',
    );
    expect(parseError('a=b=c')).toBe(
      'field selector "a=b=c": unescaped "=" at position 4 in the value of "a"; write it as "\\="',
    );
    expect(parseError('a==b==c')).toContain('unescaped "=" at position 5 in the value of "a"');
    expect(parseError('a=b\\x')).toBe(
      'field selector "a=b\\x": invalid escape sequence "\\x" at position 4 in the value of "a"; only "\\\\", "\\," and "\\=" are allowed',
    );
    expect(parseError('a=b\\!')).toContain('invalid escape sequence "\\!"');
    expect(parseError('a=b\\')).toBe(
      'field selector "a=b\\": lone "\\" at position 4 in the value of "a"; write a backslash as "\\\\"',
    );
    expect(parseError('a=\\\u{1F600}')).toContain('invalid escape sequence "\\\u{1F600}"');
    expect(parseError('x=1,"quoted"')).toContain('field selector "x=1,\\"quoted\\""');
    expect(() => parseFieldSelector(5 as unknown as string)).toThrow('field selector: expected a string');
  });
});

const fieldNames = fc.constantFrom('metadata.name', 'spec.nodeName', 'a b', 'x!y');
const fieldValues = fc.string({ unit: fc.constantFrom('a', 'b', ',', '=', '\\', '!', ' '), maxLength: 4 });
const requirement: fc.Arbitrary<FieldRequirement & { written: string }> = fc
  .record({ field: fieldNames, operator: fc.constantFrom('=', '==', '!='), value: fieldValues })
  .map(({ field, operator, value }) => ({
    field,
    operator: operator === '!=' ? '!=' : '=',
    value,
    written: `${field}${operator}${escapeFieldSelectorValue(value)}`,
  }));
const objects = fc.dictionary(fieldNames, fieldValues, { maxKeys: 4 });

describe('field selector properties', () => {
  it('reads back what escapeFieldSelectorValue wrote and matches term by term', () => {
    fc.assert(
      fc.property(fc.array(requirement, { maxLength: 4 }), objects, (terms, object) => {
        const selector = parseFieldSelector(terms.map((t) => t.written).join(','));
        const key = (r: FieldRequirement) => JSON.stringify([r.field, r.operator, r.value]);
        expect(selector.requirements.map(key).sort()).toEqual(terms.map(key).sort());
        const expected = terms.every((t) => ((object[t.field] ?? '') === t.value) === (t.operator === '='));
        expect(selector.matches(fields(object))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('parse(toString(selector)) is the same selector', () => {
    fc.assert(
      fc.property(fc.array(requirement, { maxLength: 4 }), objects, (terms, object) => {
        const selector = parseFieldSelector(terms.map((t) => t.written).join(','));
        const reparsed = parseFieldSelector(selector.toString());
        expect(reparsed.toString()).toBe(selector.toString());
        expect(reparsed.requirements).toEqual(selector.requirements);
        expect(reparsed.matches(fields(object))).toBe(selector.matches(fields(object)));
        for (const t of terms) expect(reparsed.requiredValue(t.field)).toBe(selector.requiredValue(t.field));
      }),
    );
  });
});
