/**
 * The Kubernetes rules for label keys, label values and the integers that `>` / `<` compare, written as
 * plain character scans (linear time, no regular expressions to backtrack on hostile input).
 *
 * Mirrors `content.IsLabelKey`, `content.IsLabelValue` and `IsDNS1123Subdomain` in kubernetes/apimachinery.
 */

/** Longest name part of a label key, and longest label value (Kubernetes: 63). */
export const LABEL_NAME_MAX_LENGTH = 63;
/** Longest prefix part of a label key: a DNS-1123 subdomain (Kubernetes: 253). */
export const LABEL_PREFIX_MAX_LENGTH = 253;

const NAME_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')";
const VALUE_RULE =
  "must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')";
const PREFIX_RULE =
  "must be a lowercase RFC 1123 subdomain: lowercase alphanumeric characters, '-' or '.', each dot-separated part starting and ending with an alphanumeric character (e.g. 'example.com')";

function isAlphanumeric(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isLowerAlphanumeric(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122);
}

/** `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?` over the whole of `text`. */
function isLabelName(text: string): boolean {
  const last = text.length - 1;
  if (last < 0 || !isAlphanumeric(text.charCodeAt(0)) || !isAlphanumeric(text.charCodeAt(last))) return false;
  for (let i = 1; i < last; i++) {
    const c = text.charCodeAt(i);
    if (!isAlphanumeric(c) && c !== 45 /* - */ && c !== 95 /* _ */ && c !== 46 /* . */) return false;
  }
  return true;
}

/** Dot-separated `[a-z0-9]([-a-z0-9]*[a-z0-9])?` parts, as `IsDNS1123Subdomain` (without the length rule). */
function isDns1123Subdomain(text: string): boolean {
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i === text.length ? 46 : text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (i === start || !isLowerAlphanumeric(text.charCodeAt(start)) || !isLowerAlphanumeric(text.charCodeAt(i - 1))) {
        return false;
      }
      start = i + 1;
    } else if (!isLowerAlphanumeric(c) && c !== 45 /* - */) {
      return false;
    }
  }
  return true;
}

/**
 * What is wrong with `key` as a label key, or an empty list when it is valid. A key is an optional
 * lowercase DNS-1123 subdomain prefix (≤ 253 characters) and `/`, then a name (≤ 63 characters) of
 * alphanumerics, `-`, `_` and `.` that starts and ends with an alphanumeric — the Kubernetes rule, so
 * that selectors and labels written for Kubernetes behave the same here.
 */
export function labelKeyProblems(key: string): string[] {
  const problems: string[] = [];
  const slash = key.indexOf('/');
  let name = key;
  if (slash >= 0) {
    if (key.indexOf('/', slash + 1) >= 0) {
      return [
        `must be a name with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName'); the name ${NAME_RULE}`,
      ];
    }
    const prefix = key.slice(0, slash);
    name = key.slice(slash + 1);
    if (prefix.length === 0) problems.push('prefix part must be non-empty');
    else if (prefix.length > LABEL_PREFIX_MAX_LENGTH) {
      problems.push(`prefix part must be no more than ${LABEL_PREFIX_MAX_LENGTH} characters`);
    } else if (!isDns1123Subdomain(prefix)) problems.push(`prefix part ${PREFIX_RULE}`);
  }
  if (name.length === 0) problems.push('name part must be non-empty');
  else if (name.length > LABEL_NAME_MAX_LENGTH) {
    problems.push(`name part must be no more than ${LABEL_NAME_MAX_LENGTH} characters`);
  } else if (!isLabelName(name)) problems.push(`name part ${NAME_RULE}`);
  return problems;
}

/**
 * What is wrong with `value` as a label value, or an empty list when it is valid: empty, or at most 63
 * alphanumerics, `-`, `_` and `.` starting and ending with an alphanumeric (Kubernetes' rule).
 */
export function labelValueProblems(value: string): string[] {
  if (value.length > LABEL_NAME_MAX_LENGTH) return [`must be no more than ${LABEL_NAME_MAX_LENGTH} characters`];
  if (value.length > 0 && !isLabelName(value)) return [VALUE_RULE];
  return [];
}

const INT64_MAX_DIGITS = '9223372036854775807';
const INT64_MIN_DIGITS = '9223372036854775808';

/**
 * Reads `text` as Go's `strconv.ParseInt(text, 10, 64)` would: an optional sign then decimal digits,
 * within the int64 range. Returns where the significant digits start (leading zeros skipped, one kept),
 * negated minus one for a negative number (`~start`), or `undefined` when `text` is not such an integer.
 * Allocation-free, so label matching can call it on every event.
 */
function scanInt64(text: string): number | undefined {
  const length = text.length;
  let start = 0;
  const first = text.charCodeAt(0);
  const negative = first === 45; /* - */
  if (negative || first === 43 /* + */) start = 1;
  if (start >= length) return undefined;
  for (let i = start; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  while (start < length - 1 && text.charCodeAt(start) === 48) start++;
  const digits = length - start;
  if (digits > 19) return undefined;
  if (digits === 19) {
    const limit = negative ? INT64_MIN_DIGITS : INT64_MAX_DIGITS;
    for (let i = 0; i < 19; i++) {
      const c = text.charCodeAt(start + i);
      const l = limit.charCodeAt(i);
      if (c !== l) {
        if (c > l) return undefined;
        break;
      }
    }
  }
  return negative ? ~start : start;
}

/** Whether `text` is a base-10 64-bit signed integer, as the `>` / `<` label requirements need. */
export function isInt64(text: string): boolean {
  return scanInt64(text) !== undefined;
}

/**
 * The significant digits of a non-negative int64 `text` (leading zeros dropped), the form
 * {@link compareInt64} takes its bound in. `text` must satisfy {@link isInt64} and carry no `-`.
 */
export function normalizeInt64(text: string): string {
  const start = scanInt64(text) ?? 0;
  return text.slice(start < 0 ? ~start : start);
}

/**
 * Compares the integer in label value `text` with `bound` (from {@link normalizeInt64}, so
 * non-negative): negative, zero or positive like a comparator, or `NaN` when `text` is not an int64 —
 * Kubernetes' `>` and `<` then do not match. Allocation-free.
 */
export function compareInt64(text: string, bound: string): number {
  const scanned = scanInt64(text);
  if (scanned === undefined) return Number.NaN;
  const negative = scanned < 0;
  const start = negative ? ~scanned : scanned;
  const digits = text.length - start;
  const isZero = digits === 1 && text.charCodeAt(start) === 48;
  if (negative && !isZero) return -1;
  if (digits !== bound.length) return digits - bound.length;
  for (let i = 0; i < digits; i++) {
    const difference = text.charCodeAt(start + i) - bound.charCodeAt(i);
    if (difference !== 0) return difference;
  }
  return 0;
}
