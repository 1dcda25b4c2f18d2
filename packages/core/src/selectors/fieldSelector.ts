/**
 * Field selectors with Kubernetes semantics (kubernetes/apimachinery `pkg/fields/selector.go`):
 * comma-separated `field=value`, `field==value` or `field!=value` terms, all of which must hold.
 * Which fields exist is each kind's business; the store checks the names, not this parser.
 */
import { InvalidError } from '../errors/index';
import { quote } from './quote';

/** One term of a field selector; `==` is read as `=`. */
export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** A parsed, immutable field selector. */
export interface FieldSelector {
  /** The terms in canonical order (sorted as written), without terms that are only an operator. */
  readonly requirements: readonly FieldRequirement[];
  /** True when there are no terms, so everything matches. */
  readonly empty: boolean;
  /**
   * Whether an object whose field values `get` returns is selected. As in Kubernetes, a field `get`
   * does not know (returns `undefined` for) compares as `''`: `status.phase=` matches it and
   * `status.phase!=Running` matches it. Allocates nothing beyond what `get` does.
   */
  matches(get: (field: string) => string | undefined): boolean;
  /** The value required for `field` by an `=` / `==` term, if any (the first such term); used to index watchers. */
  requiredValue(field: string): string | undefined;
  /** The canonical form: terms sorted, `==` written `=`, `\`, `,` and `=` in values escaped with `\`. */
  toString(): string;
}

/**
 * Escapes a literal value for a field selector term, as Kubernetes' `fields.EscapeValue`: `\` becomes
 * `\\`, `,` becomes `\,` and `=` becomes `\=`, so that any value can be selected on.
 *
 * @example
 * ```ts
 * `metadata.name=${escapeFieldSelectorValue('a,b')}`; // 'metadata.name=a\\,b'
 * ```
 */
export function escapeFieldSelectorValue(value: string): string {
  return value.replace(/[\\,=]/g, '\\$&');
}

/** Orders strings by code point, which is the byte order Kubernetes sorts the UTF-8 terms in. */
function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (U+D800–DFFF) encode code points above U+FFFF, so they sort after U+E000–FFFF.
      if (x >= 0xd800 && y >= 0xd800)
        return (x >= 0xe000 ? x - 0x800 : x + 0x2000) - (y >= 0xe000 ? y - 0x800 : y + 0x2000);
      return x - y;
    }
  }
  return a.length - b.length;
}

function render(requirement: FieldRequirement): string {
  return `${requirement.field}${requirement.operator}${escapeFieldSelectorValue(requirement.value)}`;
}

class TermSelector implements FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  readonly empty: boolean;
  readonly #required: ReadonlyMap<string, string>;
  readonly #text: string;

  constructor(requirements: FieldRequirement[]) {
    const rendered = requirements.map((requirement) => ({ requirement, text: render(requirement) }));
    rendered.sort((a, b) => compareCodePoints(a.text, b.text));
    this.requirements = Object.freeze(rendered.map(({ requirement }) => Object.freeze(requirement)));
    this.empty = requirements.length === 0;
    this.#text = rendered.map(({ text }) => text).join(',');
    const required = new Map<string, string>();
    for (const { field, operator, value } of this.requirements) {
      if (operator === '=' && !required.has(field)) required.set(field, value);
    }
    this.#required = required;
    Object.freeze(this);
  }

  matches(get: (field: string) => string | undefined): boolean {
    const requirements = this.requirements;
    for (let i = 0; i < requirements.length; i++) {
      const { field, operator, value } = requirements[i] as FieldRequirement;
      if (((get(field) ?? '') === value) !== (operator === '=')) return false;
    }
    return true;
  }

  requiredValue(field: string): string | undefined {
    return this.#required.get(field);
  }

  toString(): string {
    return this.#text;
  }
}

const everyField: FieldSelector = new TermSelector([]);

interface Term {
  readonly text: string;
  /** 0-based offset in the selector. */
  readonly start: number;
}

/** Splits at commas that are not escaped; the escapes stay in the terms. */
function splitTerms(input: string): Term[] {
  const terms: Term[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < input.length; i++) {
    const c = input.charAt(i);
    if (escaped) escaped = false;
    else if (c === '\\') escaped = true;
    else if (c === ',') {
      terms.push({ text: input.slice(start, i), start });
      start = i + 1;
    }
  }
  terms.push({ text: input.slice(start), start });
  return terms;
}

/**
 * Parses a field selector. `undefined`, `''` and terms that are empty (`a=b,,c=d`) or only an operator
 * (`=`) select everything, as in Kubernetes. Whitespace is not trimmed: it belongs to the field or value,
 * again as in Kubernetes. The field is everything before the first `!=`, `==` or `=`; in the value, `\\`,
 * `\,` and `\=` stand for `\`, `,` and `=` (see {@link escapeFieldSelectorValue}) and no other escape,
 * nor a bare `=`, is allowed.
 *
 * @throws InvalidError naming the term, its 1-based position and what is expected.
 * @example
 * ```ts
 * const selector = parseFieldSelector('spec.nodeName=node-1,status.phase!=Failed');
 * selector.matches((field) => ({ 'spec.nodeName': 'node-1', 'status.phase': 'Running' })[field]); // true
 * selector.requiredValue('spec.nodeName'); // 'node-1'
 * ```
 */
export function parseFieldSelector(input: string | undefined): FieldSelector {
  if (input === undefined || input === '') return everyField;
  if (typeof input !== 'string') throw new InvalidError('field selector: expected a string');
  const fail = (detail: string): never => {
    throw new InvalidError(`field selector ${quote(input)}: ${detail}`);
  };
  const terms = splitTerms(input).sort((a, b) => compareCodePoints(a.text, b.text));
  const requirements: FieldRequirement[] = [];
  for (const { text, start } of terms) {
    if (text === '') continue;
    const split = findOperator(text);
    if (split === undefined) {
      return fail(`term ${quote(text)} at position ${start + 1} has no operator; expected "=", "==" or "!="`);
    }
    const [at, operator] = split;
    const field = text.slice(0, at);
    const value = unescapeValue(text, at + operator.length, (problem, i, hint) =>
      fail(`${problem} at position ${start + i + 1} in the value of ${quote(field)}; ${hint}`),
    );
    if (field === '' && value === '') continue;
    requirements.push({ field, operator: operator === '!=' ? '!=' : '=', value });
  }
  return requirements.length === 0 ? everyField : new TermSelector(requirements);
}

/** Where the first `!=`, `==` or `=` of a term starts, and which it is. */
function findOperator(term: string): [at: number, operator: '!=' | '==' | '='] | undefined {
  for (let i = 0; i < term.length; i++) {
    if (term.startsWith('!=', i)) return [i, '!='];
    if (term.startsWith('==', i)) return [i, '=='];
    if (term.charAt(i) === '=') return [i, '='];
  }
  return undefined;
}

/** The literal value written from `from` to the end of `term`; `fail` gets a problem, its offset in `term` and a hint. */
function unescapeValue(term: string, from: number, fail: (problem: string, at: number, hint: string) => never): string {
  if (!/[\\=]/.test(term.slice(from))) return term.slice(from);
  let value = '';
  for (let i = from; i < term.length; i++) {
    const c = term.charAt(i);
    if (c === '=') fail('unescaped "="', i, 'write it as "\\="');
    if (c !== '\\') {
      value += c;
      continue;
    }
    if (i + 1 === term.length) fail('lone "\\"', i, 'write a backslash as "\\\\"');
    const next = term.charAt(++i);
    if (next !== '\\' && next !== ',' && next !== '=') {
      const sequence = `\\${String.fromCodePoint(term.codePointAt(i) ?? 0)}`;
      fail(`invalid escape sequence ${quote(sequence)}`, i - 1, 'only "\\\\", "\\," and "\\=" are allowed');
    }
    value += next;
  }
  return value;
}
