import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LabelSelectorInput, parseLabelSelector, type StructuredLabelSelector } from './index';

const matches = (selector: LabelSelectorInput, labels?: Record<string, string>) =>
  parseLabelSelector(selector).matches(labels);

// Properties over a small alphabet, so that generated selectors and label sets often meet.
const keys = ['a', 'b', 'x.io/c'] as const;
const values = ['', '0', '7', '10', 'in', 'v'] as const;
const labelSets = fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...values), { maxKeys: 3 });
type Labels = Record<string, string>;
/** A generated requirement: its text and an independent reading of what it means. */
const stringRequirement = fc
  .record({
    key: fc.constantFrom(...keys),
    op: fc.constantFrom('=', '==', '!=', 'in', 'notin', '', '!', '>', '<'),
    vals: fc.array(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }),
    num: fc.constantFrom('0', '7', '10', '08'),
    space: fc.constantFrom('', ' ', '\t'),
  })
  .map(({ key, op, vals, num, space: s }): { text: string; test: (labels: Labels) => boolean } => {
    const has = (labels: Labels) => Object.hasOwn(labels, key);
    const value = (labels: Labels) => labels[key] ?? '';
    switch (op) {
      case '':
        return { text: key, test: has };
      case '!':
        return { text: `!${s}${key}`, test: (l) => !has(l) };
      case 'in':
      case 'notin': {
        const text = `${key} ${op}${s}(${s}${vals.join(`${s},${s}`)}${s})`;
        const listed = (l: Labels) => has(l) && vals.includes(value(l) as (typeof values)[number]);
        return { text, test: op === 'in' ? listed : (l) => !listed(l) };
      }
      case '>':
      case '<': {
        const int = (l: Labels) => (/^[+-]?\d+$/.test(value(l)) ? BigInt(value(l)) : undefined);
        const test = (l: Labels) => {
          const n = int(l);
          return n !== undefined && (op === '>' ? n > BigInt(num) : n < BigInt(num));
        };
        return { text: `${key}${s}${op}${s}${num}`, test };
      }
      default: {
        const equal = (l: Labels) => has(l) && value(l) === vals[0];
        return { text: `${key}${s}${op}${s}${vals[0]}`, test: op === '!=' ? (l) => !equal(l) : equal };
      }
    }
  });
const stringSelectors = fc
  .array(stringRequirement, { maxLength: 4 })
  .map((parts) => parts.map((p) => p.text).join(','));
const structuredSelectors: fc.Arbitrary<StructuredLabelSelector> = fc.record(
  {
    matchLabels: fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...values), { maxKeys: 2 }),
    matchExpressions: fc.array(
      fc.oneof(
        fc.record({
          key: fc.constantFrom(...keys),
          operator: fc.constantFrom('In' as const, 'NotIn' as const),
          values: fc.array(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }),
        }),
        fc.record({
          key: fc.constantFrom(...keys),
          operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const),
        }),
      ),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: [] },
);

describe('label selector properties', () => {
  it('parse(toString(selector)) selects the same label sets and prints the same', () => {
    fc.assert(
      fc.property(
        fc.oneof(stringSelectors, structuredSelectors),
        fc.array(labelSets, { maxLength: 8 }),
        (input, sets) => {
          const selector = parseLabelSelector(input);
          const reparsed = parseLabelSelector(selector.toString());
          expect(reparsed.toString()).toBe(selector.toString());
          expect(reparsed.requiredEquals).toEqual(selector.requiredEquals);
          for (const labels of sets) expect(reparsed.matches(labels)).toBe(selector.matches(labels));
        },
      ),
    );
  });

  it('matches as the requirements, read one by one, say', () => {
    fc.assert(
      fc.property(fc.array(stringRequirement, { maxLength: 4 }), labelSets, (requirements, labels) => {
        const selector = parseLabelSelector(requirements.map((r) => r.text).join(','));
        expect(selector.matches(labels)).toBe(requirements.every((r) => r.test(labels)));
      }),
      { numRuns: 500 },
    );
  });

  it('every requiredEquals pair holds on every matching label set', () => {
    fc.assert(
      fc.property(stringSelectors, labelSets, (input, labels) => {
        const selector = parseLabelSelector(input);
        if (!selector.matches(labels)) return;
        for (const [key, value] of selector.requiredEquals) expect(labels[key]).toBe(value);
      }),
    );
  });

  it('> and < agree with BigInt arithmetic over the whole int64 range', () => {
    const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    fc.assert(
      fc.property(int64, int64, fc.nat({ max: 3 }), (bound, label, zeros) => {
        if (bound < 0n) bound = -bound - 1n;
        const padded = `${'0'.repeat(zeros)}${bound}`;
        expect(matches(`n>${padded}`, { n: `${label}` })).toBe(label > bound);
        expect(matches(`n<${padded}`, { n: `${label}` })).toBe(label < bound);
      }),
    );
  });
});
