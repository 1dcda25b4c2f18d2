/**
 * The string grammar of Kubernetes label selectors (`labels.Parse` in kubernetes/apimachinery):
 *
 * ```text
 * selector    ::= requirement ( "," requirement )*
 * requirement ::= [ "!" ] KEY [ ( "in" | "notin" ) "(" VALUES ")" | ( "=" | "==" | "!=" | ">" | "<" ) VALUE ]
 * ```
 *
 * Whitespace (space, tab, CR, LF) may separate tokens. `in` and `notin` are keywords only where an
 * operator may stand, so they also work as keys and values. Errors name a 1-based position.
 */
import { InvalidError } from '../errors/index';
import type { SelectorOperator } from './labelSelector';
import { isInt64, labelKeyProblems, labelValueProblems } from './labelSyntax';
import { quote } from './quote';

/** One requirement as written, before it is compiled for matching. */
export interface ParsedRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** Sorted and de-duplicated, as Kubernetes' parser leaves them; empty for Exists / DoesNotExist. */
  readonly values: readonly string[];
}

type TokenKind = 'end' | 'identifier' | '!' | '=' | '==' | '!=' | '>' | '<' | '(' | ')' | ',' | 'in' | 'notin';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** 0-based offset in the selector. */
  readonly start: number;
}

const BINARY_OPERATORS: Partial<Record<TokenKind, SelectorOperator>> = {
  in: 'In',
  notin: 'NotIn',
  '=': 'Equals',
  '==': 'DoubleEquals',
  '!=': 'NotEquals',
  '>': 'GreaterThan',
  '<': 'LessThan',
};

function isWhitespace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function isSpecial(c: string): boolean {
  return c === '=' || c === '!' || c === '(' || c === ')' || c === ',' || c === '>' || c === '<';
}

/** Splits the selector into tokens; `==` and `!=` are the only two-character symbols. */
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input.charAt(i);
    if (isWhitespace(c)) {
      i++;
    } else if (isSpecial(c)) {
      const pair = input.slice(i, i + 2);
      const text = pair === '==' || pair === '!=' ? pair : c;
      tokens.push({ kind: text as TokenKind, text, start: i });
      i += text.length;
    } else {
      const start = i;
      while (i < input.length && !isSpecial(input.charAt(i)) && !isWhitespace(input.charAt(i))) i++;
      const text = input.slice(start, i);
      tokens.push({ kind: text === 'in' || text === 'notin' ? text : 'identifier', text, start });
    }
  }
  tokens.push({ kind: 'end', text: '', start: input.length });
  return tokens;
}

function describe(token: Token): string {
  return token.kind === 'end' ? 'end of input' : quote(token.text);
}

/** Parses a non-empty selector string into requirements sorted by key (stable, like Kubernetes for small selectors). */
export function parseLabelRequirements(input: string): ParsedRequirement[] {
  const tokens = tokenize(input);
  let position = 0;
  /** `label selector "…": <detail> at position <n><after>`, positions counted from 1. */
  const fail = (detail: string, at: number, after = ''): never => {
    throw new InvalidError(`label selector ${quote(input)}: ${detail} at position ${at + 1}${after}`);
  };
  const expected = (what: string, token: Token): never =>
    fail(`expected ${what}`, token.start, `, found ${describe(token)}`);
  // Where a value may stand, the keywords `in` / `notin` are ordinary identifiers.
  const peekValue = (): Token => {
    const token = tokens[position] as Token;
    return token.kind === 'in' || token.kind === 'notin' ? { ...token, kind: 'identifier' } : token;
  };
  const nextValue = (): Token => {
    const token = peekValue();
    position++;
    return token;
  };

  const checkValue = (key: string, value: string, at: number): void => {
    const problems = labelValueProblems(value);
    if (problems.length > 0)
      fail(`invalid value ${quote(value)} for key ${quote(key)}`, at, `: ${problems.join('; ')}`);
  };

  const parseSetValues = (key: string): string[] => {
    const open = nextValue();
    if (open.kind !== '(') expected('"("', open);
    const values = new Set<string>();
    if (peekValue().kind === ')') {
      position++;
      return [''];
    }
    for (;;) {
      const token = nextValue();
      if (token.kind === 'identifier') {
        checkValue(key, token.text, token.start);
        values.add(token.text);
        const after = peekValue();
        if (after.kind === ')') break;
        if (after.kind !== ',') expected('"," or ")"', after);
      } else if (token.kind === ',') {
        // An empty string stands before a leading comma, between two commas and after a trailing one.
        if (values.size === 0) values.add('');
        const after = peekValue();
        if (after.kind === ')') {
          values.add('');
          break;
        }
        if (after.kind === ',') values.add('');
      } else {
        expected('a value or ","', token);
      }
    }
    position++; // the ')'
    return [...values].sort();
  };

  const parseSingleValue = (key: string, operator: SelectorOperator): string => {
    const token = peekValue();
    // A missing value (`x=` before "," or the end) is the empty string.
    let value = '';
    if (token.kind !== 'end' && token.kind !== ',') {
      position++;
      if (token.kind !== 'identifier') expected('a value', token);
      value = token.text;
      checkValue(key, value, token.start);
    }
    if ((operator === 'GreaterThan' || operator === 'LessThan') && !isInt64(value)) {
      const symbol = operator === 'GreaterThan' ? '>' : '<';
      fail(`value ${quote(value)} for "${symbol}" on key ${quote(key)} must be a 64-bit integer`, token.start);
    }
    return value;
  };

  const parseRequirement = (): ParsedRequirement => {
    let keyToken = nextValue();
    const negated = keyToken.kind === '!';
    if (negated) keyToken = nextValue();
    if (keyToken.kind !== 'identifier') expected('a label key', keyToken);
    const key = keyToken.text;
    const problems = labelKeyProblems(key);
    if (problems.length > 0) fail(`invalid label key ${quote(key)}`, keyToken.start, `: ${problems.join('; ')}`);
    const after = peekValue();
    if (negated) return { key, operator: 'DoesNotExist', values: [] };
    if (after.kind === 'end' || after.kind === ',') return { key, operator: 'Exists', values: [] };
    const operatorToken = tokens[position] as Token;
    position++;
    const operator = BINARY_OPERATORS[operatorToken.kind];
    if (operator === undefined) {
      return expected(
        `an operator ("=", "==", "!=", "in", "notin", ">" or "<") after key ${quote(key)}`,
        operatorToken,
      );
    }
    if (operator === 'In' || operator === 'NotIn') return { key, operator, values: parseSetValues(key) };
    return { key, operator, values: [parseSingleValue(key, operator)] };
  };

  const requirements: ParsedRequirement[] = [];
  let token = peekValue();
  if (token.kind !== 'end') {
    for (;;) {
      if (token.kind !== 'identifier' && token.kind !== '!') expected('a label key or "!"', token);
      requirements.push(parseRequirement());
      const separator = nextValue();
      if (separator.kind === 'end') break;
      if (separator.kind !== ',') expected('"," or end of input', separator);
      token = peekValue();
      if (token.kind === 'end') expected('a requirement after ","', token);
    }
  }
  return requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
