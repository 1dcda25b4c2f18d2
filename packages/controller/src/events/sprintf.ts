/**
 * The part of Go's `fmt.Sprintf` that event messages use, so `eventf` calls
 * read like client-go's `Eventf`: `%s`, `%v`, `%d`, `%q`, `%f` (with
 * `.precision`), `%t`, `%%`, plus a width and the `-` and `0` flags.
 * Mistakes show in the output as Go shows them (`%!d(MISSING)`,
 * `%!(EXTRA int=3)`, `%!d(string=x)`) rather than throwing: a bad format
 * must never lose the event.
 */

const DIRECTIVE = /%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])?/g;

/** Go's name for the type of a JavaScript value, for the error notes. */
function goType(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float64';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'slice';
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
}

/** `%v`: strings as they are, arrays Go-style `[a b]`, errors by message, other objects as JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(' ')}]`;
  if (value instanceof Error) return value.message;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const own = (value as { toString?: unknown }).toString;
    if (typeof own === 'function' && own !== Object.prototype.toString) return String(value);
    try {
      return JSON.stringify(value) ?? String(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

function bad(verb: string, value: unknown): string {
  return `%!${verb}(${goType(value)}=${formatValue(value)})`;
}

function convert(verb: string, value: unknown, precision: number | undefined): string {
  switch (verb) {
    case 'v':
    case 's':
      return formatValue(value);
    case 'q':
      return JSON.stringify(formatValue(value));
    case 'd':
      if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))) return String(value);
      return bad(verb, value);
    case 'f':
      return typeof value === 'number' ? value.toFixed(precision ?? 6) : bad(verb, value);
    case 't':
      return typeof value === 'boolean' ? String(value) : bad(verb, value);
    default:
      return bad(verb, value);
  }
}

function pad(text: string, flags: string, width: number | undefined, numeric: boolean): string {
  if (width === undefined || text.length >= width) return text;
  if (flags.includes('-')) return text.padEnd(width, ' ');
  if (numeric && flags.includes('0')) {
    const sign = text.startsWith('-') ? '-' : '';
    return sign + text.slice(sign.length).padStart(width - sign.length, '0');
  }
  return text.padStart(width, ' ');
}

/**
 * Formats like Go's `fmt.Sprintf(format, ...args)` for the verbs above.
 *
 * @example
 * ```ts
 * sprintf('Scaled up replica set %s to %d', 'web-5d8f', 3); // 'Scaled up replica set web-5d8f to 3'
 * ```
 */
export function sprintf(format: string, ...args: unknown[]): string {
  let next = 0;
  const out = format.replace(
    DIRECTIVE,
    (_match, flags: string, width: string | undefined, precision: string | undefined, verb: string | undefined) => {
      if (verb === undefined) return '%!(NOVERB)';
      if (verb === '%') return '%';
      if (next >= args.length) return `%!${verb}(MISSING)`;
      const value = args[next++];
      const text = convert(verb, value, precision === undefined ? undefined : Number(precision));
      const numeric = verb === 'd' || verb === 'f';
      return pad(text, flags, width === undefined ? undefined : Number(width), numeric);
    },
  );
  if (next >= args.length) return out;
  const extra = args.slice(next).map((value) => `${goType(value)}=${formatValue(value)}`);
  return `${out}%!(EXTRA ${extra.join(', ')})`;
}
