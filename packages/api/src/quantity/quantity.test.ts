import { isKeelsonError } from '@keelson/eventlog';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareQuantity, parseQuantity, type Quantity, type QuantityFormat } from './index';

type Row = readonly [input: string, canonical: string, format: QuantityFormat, milli: bigint, value: bigint];

// Cases from apimachinery quantity_test.go (TestQuantityParse, TestQuantityString, TestQuantityParseEmit).
const PARSE_TABLE: readonly Row[] = [
  ['0', '0', 'DecimalSI', 0n, 0n],
  ['0n', '0', 'DecimalSI', 0n, 0n],
  ['0Ki', '0', 'BinarySI', 0n, 0n],
  ['00', '0', 'DecimalSI', 0n, 0n],
  ['1', '1', 'DecimalSI', 1000n, 1n],
  ['1Ki', '1Ki', 'BinarySI', 1_024_000n, 1024n],
  ['8Ki', '8Ki', 'BinarySI', 8_192_000n, 8192n],
  ['7Mi', '7Mi', 'BinarySI', 7_340_032_000n, 7_340_032n],
  ['6Gi', '6Gi', 'BinarySI', 6_442_450_944_000n, 6_442_450_944n],
  ['5Ti', '5Ti', 'BinarySI', 5_497_558_138_880_000n, 5_497_558_138_880n],
  ['4Pi', '4Pi', 'BinarySI', 4_503_599_627_370_496_000n, 4_503_599_627_370_496n],
  ['3Ei', '3Ei', 'BinarySI', 3_458_764_513_820_540_928_000n, 3_458_764_513_820_540_928n],
  ['5n', '5n', 'DecimalSI', 1n, 1n],
  ['4u', '4u', 'DecimalSI', 1n, 1n],
  ['3m', '3m', 'DecimalSI', 3n, 1n],
  ['8k', '8k', 'DecimalSI', 8_000_000n, 8000n],
  ['50k', '50k', 'DecimalSI', 50_000_000n, 50_000n],
  ['7M', '7M', 'DecimalSI', 7_000_000_000n, 7_000_000n],
  ['2P', '2P', 'DecimalSI', 2n * 10n ** 18n, 2n * 10n ** 15n],
  ['1E', '1E', 'DecimalSI', 10n ** 21n, 10n ** 18n],
  ['12E', '12E', 'DecimalSI', 12n * 10n ** 21n, 12n * 10n ** 18n],
  ['1E-3', '1e-3', 'DecimalExponent', 1n, 1n],
  ['1e3', '1e3', 'DecimalExponent', 1_000_000n, 1000n],
  ['1E6', '1e6', 'DecimalExponent', 10n ** 9n, 10n ** 6n],
  ['1e13', '10e12', 'DecimalExponent', 10n ** 16n, 10n ** 13n],
  ['1e14', '100e12', 'DecimalExponent', 10n ** 17n, 10n ** 14n],
  ['100.035k', '100035', 'DecimalSI', 100_035_000n, 100_035n],
  ['0.001', '1m', 'DecimalSI', 1n, 1n],
  ['0.0005k', '500m', 'DecimalSI', 500n, 1n],
  ['0.00500', '5m', 'DecimalSI', 5n, 1n],
  ['0.5', '500m', 'DecimalSI', 500n, 1n],
  ['0.50000', '500m', 'DecimalSI', 500n, 1n],
  ['0.5e0', '500e-3', 'DecimalExponent', 500n, 1n],
  ['0.5e-1', '50e-3', 'DecimalExponent', 50n, 1n],
  ['0.5e-2', '5e-3', 'DecimalExponent', 5n, 1n],
  ['10.035M', '10035k', 'DecimalSI', 10_035_000_000n, 10_035_000n],
  ['1.2e3', '1200', 'DecimalExponent', 1_200_000n, 1200n],
  ['1.3E+6', '1300e3', 'DecimalExponent', 1_300_000_000n, 1_300_000n],
  ['1.53E12', '1530e9', 'DecimalExponent', 1_530_000_000_000_000n, 1_530_000_000_000n],
  ['9.01', '9010m', 'DecimalSI', 9010n, 10n],
  ['7.123456M', '7123456', 'DecimalSI', 7_123_456_000n, 7_123_456n],
  ['6.987654321G', '6987654321', 'DecimalSI', 6_987_654_321_000n, 6_987_654_321n],
  ['5.444T', '5444G', 'DecimalSI', 5_444_000_000_000_000n, 5_444_000_000_000n],
  ['2.5P', '2500T', 'DecimalSI', 25n * 10n ** 17n, 25n * 10n ** 14n],
  ['1.01E', '1010P', 'DecimalSI', 101n * 10n ** 19n, 101n * 10n ** 16n],
  // Finer than a nano rounds up, away from zero.
  ['3.001n', '4n', 'DecimalSI', 1n, 1n],
  ['1.1E-9', '2e-9', 'DecimalExponent', 1n, 1n],
  ['0.0000000001', '1n', 'DecimalSI', 1n, 1n],
  ['0.5e-9', '1e-9', 'DecimalExponent', 1n, 1n],
  ['0.9n', '1n', 'DecimalSI', 1n, 1n],
  ['0.00000012345', '124n', 'DecimalSI', 1n, 1n],
  // BinarySI is capped at 2^63 - 1.
  ['9Ei', '9223372036854775807', 'BinarySI', 9_223_372_036_854_775_807_000n, 9_223_372_036_854_775_807n],
  ['9223372036854775807Ki', '9223372036854775807', 'BinarySI', 9_223_372_036_854_775_807_000n, 2n ** 63n - 1n],
  // Fractional binary amounts print as DecimalSI; below 1 they become DecimalSI.
  ['100.035Ki', '102435840m', 'BinarySI', 102_435_840n, 102_436n],
  ['0.5Mi', '512Ki', 'BinarySI', 524_288_000n, 524_288n],
  ['0.05Gi', '53687091200m', 'BinarySI', 53_687_091_200n, 53_687_092n],
  ['0.025Ti', '27487790694400m', 'BinarySI', 27_487_790_694_400n, 27_487_790_695n],
  ['.001Ki', '1024m', 'BinarySI', 1024n, 2n],
  ['.000001Ki', '1024u', 'DecimalSI', 2n, 1n],
  ['.000000001Ki', '1024n', 'DecimalSI', 1n, 1n],
  ['0.000000000001Ki', '2n', 'DecimalSI', 1n, 1n],
  ['.001', '1m', 'DecimalSI', 1n, 1n],
  ['.0001k', '100m', 'DecimalSI', 100n, 1n],
  ['1.', '1', 'DecimalSI', 1000n, 1n],
  ['1.G', '1G', 'DecimalSI', 10n ** 12n, 10n ** 9n],
  // Non-canonical spellings.
  ['1000m', '1', 'DecimalSI', 1000n, 1n],
  ['5000m', '5', 'DecimalSI', 5000n, 5n],
  ['1080000000n', '1080m', 'DecimalSI', 1080n, 2n],
  ['1000M', '1G', 'DecimalSI', 10n ** 12n, 10n ** 9n],
  ['0.001T', '1G', 'DecimalSI', 10n ** 12n, 10n ** 9n],
  ['1000u', '1m', 'DecimalSI', 1n, 1n],
  ['1024Mi', '1Gi', 'BinarySI', 1_073_741_824_000n, 1_073_741_824n],
  ['307200Ki', '300Mi', 'BinarySI', 314_572_800_000n, 314_572_800n],
  ['1025024Mi', '1001Gi', 'BinarySI', 1_074_815_565_824_000n, 1_074_815_565_824n],
  ['1.5Gi', '1536Mi', 'BinarySI', 1_610_612_736_000n, 1_610_612_736n],
  ['1025', '1025', 'DecimalSI', 1_025_000n, 1025n],
  ['.001e12', '1e9', 'DecimalExponent', 10n ** 12n, 10n ** 9n],
  ['0.001e0', '1e-3', 'DecimalExponent', 1n, 1n],
  ['1000e-12', '1e-9', 'DecimalExponent', 1n, 1n],
  // No DecimalSI suffix above E: the exponent form is used (kubernetes/kubernetes#140459).
  ['1000E', '1e21', 'DecimalSI', 10n ** 24n, 10n ** 21n],
];

function invalidError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an InvalidError');
}

describe('parseQuantity', () => {
  it.each(PARSE_TABLE)('%s → %s', (input, canonical, format, milli, value) => {
    const q = parseQuantity(input);
    expect(q.toString()).toBe(canonical);
    expect(q.format).toBe(format);
    expect(q.milliValue()).toBe(milli);
    expect(q.value()).toBe(value);
    expect(parseQuantity(canonical).toString()).toBe(canonical);
  });

  it.each(PARSE_TABLE)('accepts a sign on %s', (input, canonical, format, milli, value) => {
    const negative = parseQuantity(`-${input}`);
    expect(negative.toString()).toBe(canonical === '0' ? '0' : `-${canonical}`);
    expect(negative.format).toBe(format);
    expect(negative.milliValue()).toBe(-milli);
    expect(negative.value()).toBe(-value);
    expect(parseQuantity(`+${input}`).toString()).toBe(canonical);
  });

  it.each([
    ...['', '1.2.3', 'Mi', '1 Gi', '1iB', '--1', '12x', '.', '+', '-', '-.', 'e3', '1e', '1E+', '1e3.5'],
    ...['1.1.M', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '-3.01e-', ' 1', '1 ', '1K', '1ki'],
    ...['Non-Numeric', '0x10', '1_000', '1,5', 'Infinity', 'NaN', '1e1001', '1\n'],
  ])('rejects %j with an InvalidError', (text) => {
    const error = invalidError(() => parseQuantity(text));
    expect(isKeelsonError(error, 'Invalid')).toBe(true);
    expect((error as Error).message).toContain(`quantity ${JSON.stringify(text)} is invalid`);
  });

  it('explains what a quantity looks like', () => {
    expect(() => parseQuantity('12x')).toThrow(
      'quantity "12x" is invalid: expected a number with an optional suffix like 500m, 2, 1.5Gi or 1e3',
    );
  });

  it('rejects a non-string at runtime', () => {
    expect(
      isKeelsonError(
        invalidError(() => parseQuantity(5 as unknown as string)),
        'Invalid',
      ),
    ).toBe(true);
  });

  it('rounds tiny exponents up to one nano without huge arithmetic', () => {
    expect(parseQuantity('1e-99999999999999999999').toString()).toBe('1e-9');
    expect(parseQuantity('0e-99999999999999999999').isZero()).toBe(true);
    expect(parseQuantity('1e1000').toString()).toBe('10e999');
  });

  it('returns frozen values that serialise as their canonical string', () => {
    const q = parseQuantity('0.5');
    expect(Object.isFrozen(q)).toBe(true);
    expect(JSON.stringify({ cpu: q, memory: parseQuantity('1024Mi') })).toBe('{"cpu":"500m","memory":"1Gi"}');
  });
});

describe('comparison', () => {
  it.each([
    ['1Gi', '1G', 1],
    ['1000m', '1', 0],
    ['100m', '50m', 1],
    ['50m', '100m', -1],
    ['10000T', '100Gi', 1],
    ['1Ki', '1k', 1],
    ['1e3', '1k', 0],
    ['1024', '1Ki', 0],
    ['-1', '1m', -1],
    ['0', '-0', 0],
    ['1n', '0', 1],
    ['9Ei', '8Ei', 0], // both capped at 2^63 - 1
    ['1E', '999P', 1],
  ] as const)('compareQuantity(%s, %s) = %i', (a, b, expected) => {
    expect(compareQuantity(a, b)).toBe(expected);
    expect(compareQuantity(parseQuantity(b), parseQuantity(a))).toBe(negate(expected));
  });

  it('compares with another implementation of Quantity through its string', () => {
    const foreign = { ...parseQuantity('0'), toString: () => '1Gi' } as unknown as Quantity;
    expect(parseQuantity('1024Mi').cmp(foreign)).toBe(0);
  });

  it('throws InvalidError for a bad string', () => {
    expect(
      isKeelsonError(
        invalidError(() => compareQuantity('1', 'x')),
        'Invalid',
      ),
    ).toBe(true);
  });
});

describe('arithmetic', () => {
  const q = parseQuantity;

  it.each([
    ['10', '1e1', '20'],
    ['1Gi', '512Mi', '1536Mi'],
    ['1G', '1Gi', '2073741824'],
    ['1Ki', '1k', '2024'],
    ['0', '1Gi', '1Gi'], // zero takes the other format
    ['1Gi', '0', '1Gi'],
    ['0', '100m', '100m'],
    ['100m', '0', '100m'],
    ['4Ei', '4Ei', '8Ei'], // past the parse cap; re-parsing "8Ei" would cap it
    ['1E', '999E', '1e21'],
  ])('%s + %s = %s', (a, b, sum) => {
    expect(q(a).add(q(b)).toString()).toBe(sum);
  });

  it.each([
    ['10', '1e1', '0'],
    ['0', '1Gi', '-1Gi'],
    ['0', '100m', '-100m'],
    ['1Gi', '0', '1Gi'],
    ['1', '1500m', '-500m'],
    ['2Gi', '1Gi', '1Gi'],
  ])('%s - %s = %s', (a, b, difference) => {
    expect(q(a).sub(q(b)).toString()).toBe(difference);
  });

  it('falls back to the exponent form past Ei and leaves operands alone', () => {
    const four = q('4Ei');
    let total = q('0');
    for (let i = 0; i < 256; i++) total = total.add(four);
    expect(total.format).toBe('BinarySI');
    expect(total.toString()).toBe(String(2n ** 70n));
    expect(four.toString()).toBe('4Ei');
    expect(q('1Gi').sub(q('1Gi')).isZero()).toBe(true);
  });
});

const SUFFIXES = ['', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const quantityText = fc
  .record({
    sign: fc.constantFrom('', '+', '-'),
    whole: fc.stringMatching(/^[0-9]{0,14}$/),
    fraction: fc.option(fc.stringMatching(/^[0-9]{0,12}$/), { nil: undefined }),
    suffix: fc.oneof(
      fc.constantFrom(...SUFFIXES),
      fc.integer({ min: -15, max: 24 }).map((e) => `e${e}`),
    ),
  })
  .filter(({ whole, fraction }) => whole !== '' || (fraction ?? '') !== '')
  .map(
    ({ sign, whole, fraction, suffix }) => `${sign}${whole}${fraction === undefined ? '' : `.${fraction}`}${suffix}`,
  );

/** Quantities whose value is a whole number of milli units, in every format. */
const milliText = fc.oneof(
  fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }).map((m) => `${m}m`),
  fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }).map((m) => `${m}e-3`),
  fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }).map((k) => `${k}Ki`),
  fc.bigInt({ min: -(10n ** 6n), max: 10n ** 6n }).map((k) => `${k}.5Mi`),
  fc.integer({ min: -1000, max: 1000 }).map((n) => `${n}`),
);

describe('properties', () => {
  it('re-parsing the canonical string gives an equal quantity with the same string', () => {
    fc.assert(
      fc.property(quantityText, (text) => {
        const q = parseQuantity(text);
        const again = parseQuantity(q.toString());
        expect(again.cmp(q)).toBe(0);
        expect(again.toString()).toBe(q.toString());
        expect(q.value()).toBe(roundAway(q.milliValue(), 1000n));
      }),
    );
  });

  it('cmp is antisymmetric and agrees with milliValue', () => {
    fc.assert(
      fc.property(milliText, milliText, (a, b) => {
        const x = parseQuantity(a);
        const y = parseQuantity(b);
        const byMilli = x.milliValue() < y.milliValue() ? -1 : x.milliValue() > y.milliValue() ? 1 : 0;
        expect(x.cmp(y)).toBe(byMilli);
        expect(y.cmp(x)).toBe(negate(byMilli));
        expect(x.cmp(x)).toBe(0);
        expect(x.add(y).milliValue()).toBe(x.milliValue() + y.milliValue());
      }),
    );
  });

  it('add and sub are exact inverses', () => {
    fc.assert(
      fc.property(quantityText, quantityText, (a, b) => {
        const x = parseQuantity(a);
        const y = parseQuantity(b);
        expect(x.add(y).sub(y).cmp(x)).toBe(0);
        expect(x.add(y).cmp(y.add(x))).toBe(0);
        expect(Math.sign(x.cmp(y))).toBe(Math.sign(compareQuantity(x.sub(y), '0')));
      }),
    );
  });
});

/** -n without producing -0, which `toBe` tells apart from 0. */
function negate(n: number): number {
  return n === 0 ? 0 : -n;
}

function roundAway(n: bigint, d: bigint): bigint {
  const q = n / d;
  if (n % d === 0n) return q;
  return n < 0n ? q - 1n : q + 1n;
}
