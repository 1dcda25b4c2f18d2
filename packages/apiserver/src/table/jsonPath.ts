import { InvalidError } from '@keelson/core';
import { isObject } from './objectFields';

/*
 * The part of Kubernetes' JSONPath that CRD `additionalPrinterColumns` use:
 * `.a.b`, `['a.b']`, `[0]`, `[-1]`, `[*]`, and filters
 * `[?(@.type=="Ready")]` (`==` / `!=` against a string, number or boolean
 * literal, or `[?(@.field)]` for presence). `{…}` around the path is optional.
 */

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: Step[]; operator?: '==' | '!='; value?: unknown };

/** Every value the path selects in `object` (none when a field is missing). */
export function evaluateJsonPath(object: unknown, path: string): unknown[] {
  return parseJsonPath(path).reduce<unknown[]>((values, step) => values.flatMap((v) => apply(step, v)), [object]);
}

export function parseJsonPath(path: string): Step[] {
  let text = path.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  const parser = new StepParser(text, path);
  return parser.steps();
}

function apply(step: Step, value: unknown): unknown[] {
  switch (step.kind) {
    case 'field':
      return isObject(value) && Object.hasOwn(value, step.name) ? [value[step.name]] : [];
    case 'index': {
      if (!Array.isArray(value)) return [];
      const item = value[step.index < 0 ? value.length + step.index : step.index];
      return item === undefined ? [] : [item];
    }
    case 'all':
      return Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
    case 'filter':
      return (Array.isArray(value) ? value : []).filter((item) => matches(step, item));
  }
}

function matches(step: Extract<Step, { kind: 'filter' }>, item: unknown): boolean {
  const found = step.path.reduce<unknown[]>((values, s) => values.flatMap((v) => apply(s, v)), [item]);
  if (step.operator === undefined) return found.length > 0;
  const equal = found.length > 0 && found[0] === step.value;
  return step.operator === '==' ? equal : !equal;
}

class StepParser {
  private position = 0;

  constructor(
    private readonly text: string,
    private readonly original: string,
  ) {}

  steps(): Step[] {
    const steps: Step[] = [];
    while (this.position < this.text.length) steps.push(this.step());
    return steps;
  }

  private step(): Step {
    const char = this.text[this.position];
    if (char === '.') {
      this.position++;
      if (this.text[this.position] === '[') return this.bracket();
      return { kind: 'field', name: this.identifier() };
    }
    if (char === '[') return this.bracket();
    if (char === '@' && this.position === 0) {
      this.position++;
      return this.step();
    }
    return this.fail(`unexpected "${char}"`);
  }

  private identifier(): string {
    const match = /^(?:\\.|[^.[\]()=!\s])+/.exec(this.text.slice(this.position));
    if (!match) return this.fail('expected a field name');
    this.position += match[0].length;
    return match[0].replace(/\\(.)/g, '$1');
  }

  private bracket(): Step {
    const close = this.closingBracket();
    const inner = this.text.slice(this.position + 1, close).trim();
    this.position = close + 1;
    if (inner === '*') return { kind: 'all' };
    if (/^-?\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
    const quoted = /^(['"])(.*)\1$/.exec(inner);
    if (quoted) return { kind: 'field', name: quoted[2] ?? '' };
    const filter = /^\?\((.*)\)$/.exec(inner);
    if (filter) return this.filter(filter[1] ?? '');
    return this.fail(`unsupported "[${inner}]"`);
  }

  private closingBracket(): number {
    let depth = 0;
    let quote: string | undefined;
    for (let i = this.position; i < this.text.length; i++) {
      const char = this.text[i];
      if (quote) {
        if (char === quote) quote = undefined;
      } else if (char === '"' || char === "'") quote = char;
      else if (char === '[') depth++;
      else if (char === ']' && --depth === 0) return i;
    }
    return this.fail('missing "]"');
  }

  private filter(expression: string): Step {
    const match = /^(@[^=!]*?)\s*(?:(==|!=)\s*(.+))?$/.exec(expression.trim());
    if (!match?.[1]) return this.fail(`unsupported filter "${expression}"`);
    const path = new StepParser(match[1].trim(), this.original).steps();
    if (match[2] === undefined) return { kind: 'filter', path };
    return { kind: 'filter', path, operator: match[2] as '==' | '!=', value: literal(match[3] ?? '', this.original) };
  }

  private fail(message: string): never {
    throw new InvalidError(`JSONPath "${this.original}": ${message}`);
  }
}

function literal(text: string, original: string): unknown {
  const trimmed = text.trim();
  const quoted = /^(['"])(.*)\1$/.exec(trimmed);
  if (quoted) return quoted[2];
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  if (trimmed !== '' && !Number.isNaN(Number(trimmed))) return Number(trimmed);
  throw new InvalidError(`JSONPath "${original}": unsupported literal ${trimmed}`);
}
