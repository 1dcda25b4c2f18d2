/**
 * Canonical text of a quantity, following `CanonicalizeBytes` in
 * k8s.io/apimachinery `pkg/api/resource/quantity.go`.
 *
 * Values reach this module as a bigint count of nano units (value × 10⁹),
 * which is exact: parsing rounds everything to the nano, and sums and
 * differences of nano counts stay whole.
 */

/**
 * How a quantity prints: `BinarySI` (`1Gi`, powers of 1024), `DecimalSI`
 * (`500m`, `2k`, powers of 1000) or `DecimalExponent` (`1e3`). Parsing keeps
 * the kind of suffix the text used.
 */
export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

/** 10⁹: nano units per whole unit. */
export const NANO_PER_UNIT = 1_000_000_000n;

/** Binary suffixes by power of 1024. Power 0 has no suffix. */
const BINARY_BY_POWER: readonly string[] = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** Decimal SI suffixes by power of ten (always a multiple of 3). */
const DECIMAL_BY_EXPONENT: ReadonlyMap<number, string> = new Map([
  [-9, 'n'],
  [-6, 'u'],
  [-3, 'm'],
  [0, ''],
  [3, 'k'],
  [6, 'M'],
  [9, 'G'],
  [12, 'T'],
  [15, 'P'],
  [18, 'E'],
]);

/** `n` divided by `d` (both positive here), rounded away from zero. */
export function divideAwayFromZero(n: bigint, d: bigint): bigint {
  const quotient = n / d;
  if (n % d === 0n) return quotient;
  return n < 0n ? quotient - 1n : quotient + 1n;
}

/**
 * The canonical string for `nano` nano units in `format`:
 * - zero is always `0`;
 * - BinarySI is used only for whole values of at least 1024 in magnitude
 *   (anything else would round or look odd, so it prints as DecimalSI);
 *   the power of 1024 is as large as possible (`1536Mi`, not `1.5Gi`);
 * - DecimalSI and DecimalExponent use a whole mantissa with a power of ten
 *   that is a multiple of 3 and as large as possible (`1500m`, `1e3`);
 * - when no suffix exists for that power (above `E` or `Ei`), the exponent
 *   form is used, as upstream does since kubernetes/kubernetes#140459.
 */
export function canonicalQuantityString(nano: bigint, format: QuantityFormat): string {
  if (nano === 0n) return '0';
  const sign = nano < 0n ? '-' : '';
  const magnitude = nano < 0n ? -nano : nano;

  let effective = format;
  if (effective === 'BinarySI' && (magnitude < 1024n * NANO_PER_UNIT || magnitude % NANO_PER_UNIT !== 0n)) {
    effective = 'DecimalSI';
  }

  if (effective === 'BinarySI') {
    let mantissa = magnitude / NANO_PER_UNIT;
    let power = 0;
    while (mantissa % 1024n === 0n) {
      mantissa /= 1024n;
      power++;
    }
    const suffix = BINARY_BY_POWER[power];
    if (suffix !== undefined) return `${sign}${mantissa}${suffix}`;
    effective = 'DecimalExponent';
  }

  let mantissa = magnitude;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  // Lower the exponent to a multiple of 3, growing the mantissa to match.
  const excess = ((exponent % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(excess);
  exponent -= excess;

  if (effective === 'DecimalSI') {
    const suffix = DECIMAL_BY_EXPONENT.get(exponent);
    if (suffix !== undefined) return `${sign}${mantissa}${suffix}`;
  }
  return `${sign}${mantissa}${exponent === 0 ? '' : `e${exponent}`}`;
}
