import { InvalidError } from '@keelson/eventlog';
import { canonicalQuantityString, divideAwayFromZero, NANO_PER_UNIT, type QuantityFormat } from './format';

/**
 * An exact fixed-point amount such as `500m` CPU or `1Gi` of memory, with
 * Kubernetes `resource.Quantity` semantics. Never a float: the value is held
 * as a whole number of nano units (`1n` is the smallest step). Immutable;
 * `add` and `sub` return new quantities.
 */
export interface Quantity {
  /** The suffix family the quantity prints with; parsing keeps the one the text used. */
  readonly format: QuantityFormat;
  /** ⌈value × 1000⌉, rounded away from zero (like Kubernetes `MilliValue()`, without int64 overflow). */
  milliValue(): bigint;
  /** The value rounded up to a whole number, away from zero (like Kubernetes `Value()`). */
  value(): bigint;
  /** Kubernetes canonical form: `1000m` → `1`, `1024Mi` → `1Gi`, `0.5` → `500m`, `1.5Gi` → `1536Mi`. */
  toString(): string;
  /** The canonical string, so `JSON.stringify` writes a quantity as Kubernetes does. */
  toJSON(): string;
  /** -1, 0 or 1 as this is less than, equal to or greater than `other`; formats do not matter. */
  cmp(other: Quantity): -1 | 0 | 1;
  /** The exact sum. Keeps this format, or takes `other`'s when this is zero. */
  add(other: Quantity): Quantity;
  /** The exact difference. Keeps this format, or takes `other`'s when this is zero. */
  sub(other: Quantity): Quantity;
  /** Whether the value is exactly zero. */
  isZero(): boolean;
}

/** Largest magnitude a BinarySI quantity parses to (2⁶³ − 1), in nano units; upstream caps there. */
const MAX_BINARY_NANO = ((1n << 63n) - 1n) * NANO_PER_UNIT;

/**
 * Largest power of ten a quantity may be written with. Upstream has no such
 * bound (it keeps the exponent apart from the digits), but an exact bigint
 * would let `1e999999999` exhaust memory; 10¹⁰⁰⁰ is far past any real amount.
 */
const MAX_EXPONENT = 1000n;

/** Sign, digits with an optional point, then a binary or decimal SI suffix or an `e`/`E` exponent. */
const QUANTITY_PATTERN = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?[0-9]+))?$/;

/** Powers of two meant by the binary suffixes. */
const BINARY_SUFFIXES: ReadonlyMap<string, bigint> = new Map([
  ['Ki', 10n],
  ['Mi', 20n],
  ['Gi', 30n],
  ['Ti', 40n],
  ['Pi', 50n],
  ['Ei', 60n],
]);

/** Powers of ten meant by the decimal SI suffixes. */
const DECIMAL_SUFFIXES: ReadonlyMap<string, bigint> = new Map([
  ['n', -9n],
  ['u', -6n],
  ['m', -3n],
  ['', 0n],
  ['k', 3n],
  ['M', 6n],
  ['G', 9n],
  ['T', 12n],
  ['P', 15n],
  ['E', 18n],
]);

class NanoQuantity implements Quantity {
  readonly #nano: bigint;
  #text: string | undefined;

  constructor(
    nano: bigint,
    readonly format: QuantityFormat,
  ) {
    this.#nano = nano;
    Object.freeze(this);
  }

  static nanoOf(quantity: Quantity): bigint {
    // A foreign implementation of the interface is read through its canonical string.
    return #nano in quantity ? quantity.#nano : parseNano(quantity.toString()).#nano;
  }

  milliValue(): bigint {
    return divideAwayFromZero(this.#nano, 1_000_000n);
  }

  value(): bigint {
    return divideAwayFromZero(this.#nano, NANO_PER_UNIT);
  }

  toString(): string {
    this.#text ??= canonicalQuantityString(this.#nano, this.format);
    return this.#text;
  }

  toJSON(): string {
    return this.toString();
  }

  cmp(other: Quantity): -1 | 0 | 1 {
    const theirs = NanoQuantity.nanoOf(other);
    return this.#nano < theirs ? -1 : this.#nano > theirs ? 1 : 0;
  }

  add(other: Quantity): Quantity {
    return new NanoQuantity(this.#nano + NanoQuantity.nanoOf(other), this.#nano === 0n ? other.format : this.format);
  }

  sub(other: Quantity): Quantity {
    return new NanoQuantity(this.#nano - NanoQuantity.nanoOf(other), this.#nano === 0n ? other.format : this.format);
  }

  isZero(): boolean {
    return this.#nano === 0n;
  }
}

function invalid(text: string, problem: string): InvalidError {
  return new InvalidError(`quantity ${JSON.stringify(text)} is invalid: ${problem}`);
}

const EXPECTED = 'expected a number with an optional suffix like 500m, 2, 1.5Gi or 1e3';

/** `digits × 10^shift` in nano units, rounded up to a whole nano. */
function shiftDecimal(digits: bigint, digitCount: number, shift: bigint): bigint {
  if (shift >= 0n) return digits * 10n ** shift;
  // Dividing by more than 10^digitCount leaves less than one nano: round it up.
  if (-shift > BigInt(digitCount)) return digits === 0n ? 0n : 1n;
  return divideAwayFromZero(digits, 10n ** -shift);
}

/**
 * Parses a Kubernetes quantity: a signed decimal number (`2`, `-1.5`, `.5`,
 * `1.`) followed by an optional suffix, one of the binary SI suffixes
 * `Ki Mi Gi Ti Pi Ei`, the decimal SI suffixes `n u m k M G T P E` or a
 * decimal exponent `e3`, `E-3`, `e+6`. No whitespace is allowed.
 *
 * As in Kubernetes, values are exact to the nano and anything finer is
 * rounded up, away from zero (`0.1n` → `1n`, `-3.001n` → `-4n`); BinarySI
 * amounts are capped at 2⁶³ − 1 in magnitude, and a non-zero BinarySI
 * amount below 1 becomes DecimalSI (`.000000000001Ki` → `2n`). Unlike
 * upstream, text without any digit (`Mi`, `.`, `-`) is rejected rather than
 * read as zero, and exponents above 1000 are rejected.
 *
 * @throws {InvalidError} when `text` is not a quantity.
 * @example
 * ```ts
 * parseQuantity('500m').milliValue(); // 500n
 * parseQuantity('1.5Gi').toString(); // '1536Mi'
 * parseQuantity('1e3').value(); // 1000n
 * parseQuantity('1Gi').cmp(parseQuantity('1G')); // 1
 * parseQuantity('12x'); // throws InvalidError
 * ```
 */
export function parseQuantity(text: string): Quantity {
  // Quantities are immutable and a cluster spells the same few ('250m', '1Gi') in every pod:
  // a small cache spares the bigint arithmetic on the store's write path.
  const cached = typeof text === 'string' ? parsed.get(text) : undefined;
  if (cached) return cached;
  const quantity = parseNano(text);
  if (parsed.size >= PARSED_CACHE_SIZE) parsed.clear();
  parsed.set(text, quantity);
  return quantity;
}

const PARSED_CACHE_SIZE = 4096;
const parsed = new Map<string, Quantity>();

function parseNano(text: string): NanoQuantity {
  if (typeof text !== 'string') throw invalid(String(text), 'expected a string');
  const match = QUANTITY_PATTERN.exec(text);
  if (match === null) throw invalid(text, EXPECTED);
  const [, sign = '', whole = '', fraction = '', suffix = '', exponentText] = match;
  if (whole === '' && fraction === '') throw invalid(text, EXPECTED);

  const digitText = whole + fraction;
  const digits = BigInt(digitText);
  let format: QuantityFormat;
  let magnitude: bigint;

  const binaryPower = BINARY_SUFFIXES.get(suffix);
  if (binaryPower !== undefined) {
    format = 'BinarySI';
    magnitude = divideAwayFromZero((digits << binaryPower) * NANO_PER_UNIT, 10n ** BigInt(fraction.length));
    if (magnitude > MAX_BINARY_NANO) magnitude = MAX_BINARY_NANO;
    // A fraction of one cannot be shown in binary units.
    if (magnitude > 0n && magnitude < NANO_PER_UNIT) format = 'DecimalSI';
  } else {
    let exponent: bigint;
    if (exponentText === undefined) {
      format = 'DecimalSI';
      exponent = DECIMAL_SUFFIXES.get(suffix) ?? 0n;
    } else {
      format = 'DecimalExponent';
      exponent = BigInt(exponentText.replace('+', ''));
    }
    if (exponent > MAX_EXPONENT) throw invalid(text, `the exponent must be at most ${MAX_EXPONENT}`);
    magnitude = shiftDecimal(digits, digitText.length, exponent - BigInt(fraction.length) + 9n);
  }

  return new NanoQuantity(sign === '-' ? -magnitude : magnitude, format);
}

/**
 * Compares two quantities (or quantity strings) by value, whatever their
 * formats: `compareQuantity('1Gi', '1G')` is 1, `compareQuantity('1000m', '1')` is 0.
 *
 * @throws {InvalidError} when a string is not a quantity.
 */
export function compareQuantity(a: Quantity | string, b: Quantity | string): -1 | 0 | 1 {
  const left = typeof a === 'string' ? parseQuantity(a) : a;
  return left.cmp(typeof b === 'string' ? parseQuantity(b) : b);
}
