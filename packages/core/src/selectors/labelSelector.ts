/**
 * Label selectors with Kubernetes semantics (kubernetes/apimachinery `pkg/labels` and
 * `metav1.LabelSelectorAsSelector`), compiled once at parse time so that {@link LabelSelector.matches},
 * which runs for every watch event and every candidate watcher, allocates nothing.
 */
import { InvalidError } from '../errors/index';
import { type ParsedRequirement, parseLabelRequirements } from './labelParser';
import { compareInt64, labelKeyProblems, labelValueProblems, normalizeInt64 } from './labelSyntax';
import { quote } from './quote';

/**
 * How a requirement relates a label key to its values. `Equals` / `DoubleEquals` (`=` / `==`) behave like
 * `In` with one value and `NotEquals` (`!=`) like `NotIn`; they are kept apart only so that
 * {@link LabelSelector.toString} writes back what was parsed, as Kubernetes does. `GreaterThan` / `LessThan`
 * (`>` / `<`) compare label values as 64-bit integers and exist only in the string grammar.
 */
export type SelectorOperator =
  | 'In'
  | 'NotIn'
  | 'Exists'
  | 'DoesNotExist'
  | 'Equals'
  | 'DoubleEquals'
  | 'NotEquals'
  | 'GreaterThan'
  | 'LessThan';

/** One entry of `matchExpressions`, as in Kubernetes' `metav1.LabelSelectorRequirement`. */
export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  /** Non-empty for `In` / `NotIn`; absent or empty for `Exists` / `DoesNotExist`. */
  values?: string[];
}

/**
 * The structured selector that objects carry (e.g. a workload's `spec.selector`), as Kubernetes'
 * `metav1.LabelSelector`: every `matchLabels` pair and every `matchExpressions` entry must hold.
 */
export interface StructuredLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** What {@link parseLabelSelector} accepts: the string grammar of list/watch requests, or the structured form. */
export type LabelSelectorInput = string | StructuredLabelSelector;

/** A parsed, immutable label selector. */
export interface LabelSelector {
  /** Whether an object with these labels is selected; `undefined` labels are an empty set. Allocation-free. */
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  /** True when the selector restricts nothing and so matches everything (never true for {@link nothing}). */
  readonly empty: boolean;
  /**
   * For indexing: the `[key, value]` pairs every match must carry, one per `=` / `==` requirement and per
   * `In` with a single distinct value, sorted by key. A watcher can be filed under any one of them.
   */
  readonly requiredEquals: ReadonlyArray<readonly [key: string, value: string]>;
  /**
   * The canonical string form, as Kubernetes' `String()`: requirements sorted by key (stably), set values
   * sorted and de-duplicated, joined by `,`. Parsing it gives an equivalent selector. {@link nothing} prints as `''`, like Kubernetes.
   */
  toString(): string;
}

const IN = 0;
const NOT_IN = 1;
const EXISTS = 2;
const DOES_NOT_EXIST = 3;
const GREATER_THAN = 4;
const LESS_THAN = 5;
/** Above this many distinct values a `Set` beats a linear scan. */
const SCAN_LIMIT = 8;

const TESTS: Record<SelectorOperator, number> = {
  In: IN,
  Equals: IN,
  DoubleEquals: IN,
  NotIn: NOT_IN,
  NotEquals: NOT_IN,
  Exists: EXISTS,
  DoesNotExist: DOES_NOT_EXIST,
  GreaterThan: GREATER_THAN,
  LessThan: LESS_THAN,
};

const SYMBOLS: Partial<Record<SelectorOperator, string>> = {
  Equals: '=',
  DoubleEquals: '==',
  NotEquals: '!=',
  GreaterThan: '>',
  LessThan: '<',
};

/** A requirement ready for matching: the operator reduced to a test, the values to a list or a set. */
interface CompiledRequirement {
  readonly key: string;
  readonly test: number;
  /** Distinct values, scanned when `valueSet` is absent. */
  readonly values: readonly string[];
  readonly valueSet: ReadonlySet<string> | undefined;
  /** The normalized integer bound of `>` / `<`. */
  readonly bound: string;
}

function compile(requirement: ParsedRequirement): CompiledRequirement {
  const test = TESTS[requirement.operator];
  const values = [...new Set(requirement.values)];
  const isComparison = test === GREATER_THAN || test === LESS_THAN;
  return {
    key: requirement.key,
    test,
    values,
    valueSet: values.length > SCAN_LIMIT ? new Set(values) : undefined,
    bound: isComparison ? normalizeInt64(values[0] ?? '0') : '',
  };
}

function hasValue(requirement: CompiledRequirement, value: string): boolean {
  if (requirement.valueSet !== undefined) return requirement.valueSet.has(value);
  const values = requirement.values;
  for (let i = 0; i < values.length; i++) if (values[i] === value) return true;
  return false;
}

function requirementMatches(requirement: CompiledRequirement, labels: Readonly<Record<string, string>> | undefined) {
  // `typeof` rather than `in`: inherited members such as `constructor` are not labels.
  const found: unknown = labels === undefined ? undefined : labels[requirement.key];
  const value = typeof found === 'string' ? found : undefined;
  switch (requirement.test) {
    case IN:
      return value !== undefined && hasValue(requirement, value);
    case NOT_IN:
      return value === undefined || !hasValue(requirement, value);
    case EXISTS:
      return value !== undefined;
    case DOES_NOT_EXIST:
      return value === undefined;
    case GREATER_THAN:
      return value !== undefined && compareInt64(value, requirement.bound) > 0; // NaN (not an integer) fails
    default:
      return value !== undefined && compareInt64(value, requirement.bound) < 0;
  }
}

/** Kubernetes' `Requirement.String()`, except that set values are also de-duplicated so the form is a fixed point. */
function render(requirement: ParsedRequirement): string {
  const { key, operator, values } = requirement;
  if (operator === 'Exists') return key;
  if (operator === 'DoesNotExist') return `!${key}`;
  if (operator === 'In' || operator === 'NotIn') {
    return `${key} ${operator === 'In' ? 'in' : 'notin'} (${[...new Set(values)].sort().join(',')})`;
  }
  return `${key}${SYMBOLS[operator] ?? ''}${values[0] ?? ''}`;
}

class RequirementSelector implements LabelSelector {
  readonly empty: boolean;
  readonly requiredEquals: ReadonlyArray<readonly [key: string, value: string]>;
  readonly #requirements: readonly CompiledRequirement[];
  readonly #text: string;

  /** `requirements` must be validated and sorted by key. */
  constructor(requirements: readonly ParsedRequirement[]) {
    const compiled = requirements.map(compile);
    this.#requirements = compiled;
    this.#text = requirements.map(render).join(',');
    this.empty = compiled.length === 0;
    this.requiredEquals = Object.freeze(
      compiled
        .filter((r) => r.test === IN && r.values.length === 1)
        .map((r) => Object.freeze([r.key, r.values[0] ?? ''] as const)),
    );
    Object.freeze(this);
  }

  matches(labels: Readonly<Record<string, string>> | undefined): boolean {
    const requirements = this.#requirements;
    for (let i = 0; i < requirements.length; i++) {
      if (!requirementMatches(requirements[i] as CompiledRequirement, labels)) return false;
    }
    return true;
  }

  toString(): string {
    return this.#text;
  }
}

/** The selector that matches every label set: what a list or watch without a selector uses. */
export const everything: LabelSelector = new RequirementSelector([]);

/**
 * The selector that matches no label set — what Kubernetes' `LabelSelectorAsSelector` gives for a nil
 * selector, so that a workload without a selector adopts nothing rather than everything. Its `toString()`
 * is `''` (as upstream), which would parse back as {@link everything}; do not round-trip it.
 */
export const nothing: LabelSelector = Object.freeze({
  matches: (_labels: Readonly<Record<string, string>> | undefined): boolean => false,
  empty: false,
  requiredEquals: Object.freeze([]),
  toString: (): string => '',
});

const sortByKey = (a: ParsedRequirement, b: ParsedRequirement): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function fromStructured(selector: StructuredLabelSelector): LabelSelector {
  const fail = (path: string, detail: string): never => {
    throw new InvalidError(`label selector ${path}: ${detail}`);
  };
  const checkKey = (path: string, key: unknown): string => {
    if (typeof key !== 'string') return fail(path, 'a label key must be a string');
    const problems = labelKeyProblems(key);
    if (problems.length > 0) fail(path, `invalid label key ${quote(key)}: ${problems.join('; ')}`);
    return key;
  };
  const checkValue = (path: string, key: string, value: unknown): string => {
    if (typeof value !== 'string') return fail(path, `the value for key ${quote(key)} must be a string`);
    const problems = labelValueProblems(value);
    if (problems.length > 0) fail(path, `invalid value ${quote(value)} for key ${quote(key)}: ${problems.join('; ')}`);
    return value;
  };

  if (typeof selector !== 'object' || Array.isArray(selector)) {
    return fail('', 'expected a string or an object with matchLabels and/or matchExpressions');
  }
  const requirements: ParsedRequirement[] = [];
  const matchLabels: unknown = selector.matchLabels ?? {};
  if (typeof matchLabels !== 'object' || matchLabels === null || Array.isArray(matchLabels)) {
    return fail('matchLabels', 'expected an object of label keys to values');
  }
  for (const [key, value] of Object.entries(matchLabels)) {
    const path = `matchLabels[${quote(key)}]`;
    requirements.push({ key: checkKey(path, key), operator: 'Equals', values: [checkValue(path, key, value)] });
  }
  const expressions: unknown = selector.matchExpressions ?? [];
  if (!Array.isArray(expressions)) return fail('matchExpressions', 'expected an array of requirements');
  for (const [i, expression] of (expressions as unknown[]).entries()) {
    const path = `matchExpressions[${i}]`;
    if (typeof expression !== 'object' || expression === null) return fail(path, 'expected {key, operator, values}');
    const {
      key: rawKey,
      operator,
      values = [],
    } = expression as Partial<Record<keyof LabelSelectorRequirement, unknown>>;
    const key = checkKey(`${path}.key`, rawKey);
    if (operator !== 'In' && operator !== 'NotIn' && operator !== 'Exists' && operator !== 'DoesNotExist') {
      const found = typeof operator === 'string' ? quote(operator) : String(operator);
      return fail(
        `${path}.operator`,
        `${found} is not a valid operator; expected "In", "NotIn", "Exists" or "DoesNotExist"`,
      );
    }
    if (!Array.isArray(values)) return fail(`${path}.values`, 'expected an array of strings');
    const isSet = operator === 'In' || operator === 'NotIn';
    if (isSet && values.length === 0) fail(`${path}.values`, `operator "${operator}" needs at least one value`);
    if (!isSet && values.length > 0) fail(`${path}.values`, `operator "${operator}" takes no values`);
    const checked = values.map((value: unknown, j) => checkValue(`${path}.values[${j}]`, key, value));
    requirements.push({ key, operator, values: checked });
  }
  return requirements.length === 0 ? everything : new RequirementSelector(requirements.sort(sortByKey));
}

/**
 * Parses a label selector given in either form. A list or watch without a selector selects everything,
 * so `undefined` and `''` (or only whitespace) give {@link everything}; a structured `{}` does too.
 *
 * The string grammar is Kubernetes': comma-separated requirements, all of which must hold —
 * `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`, `key` (exists),
 * `!key` (does not exist), `key>10`, `key<10` (64-bit integers). `!=` and `notin` also match objects
 * without the key; `=`, `in`, `>` and `<` need it. Keys and values are validated by Kubernetes' rules.
 *
 * @throws InvalidError naming the offending part (and for strings its 1-based position) and what is expected.
 * @example
 * ```ts
 * const selector = parseLabelSelector('app in (web, api), tier!=cache, !canary');
 * selector.matches({ app: 'web' }); // true
 * selector.matches({ app: 'web', canary: 'yes' }); // false
 * selector.toString(); // 'app in (api,web),!canary,tier!=cache'
 * parseLabelSelector({ matchLabels: { app: 'web' } }).requiredEquals; // [['app', 'web']]
 * ```
 */
export function parseLabelSelector(input: LabelSelectorInput | undefined): LabelSelector {
  if (input === undefined) return everything;
  if (typeof input === 'string') {
    const requirements = parseLabelRequirements(input);
    return requirements.length === 0 ? everything : new RequirementSelector(requirements);
  }
  if (input === null) {
    throw new InvalidError(
      'label selector null: pass undefined for "no selector", or use labelSelectorFromStructured for a nil structured selector',
    );
  }
  return fromStructured(input);
}

/**
 * Converts an object's structured selector exactly as Kubernetes' `LabelSelectorAsSelector`: a missing
 * (`null` / `undefined`) selector gives {@link nothing}, an empty `{}` gives {@link everything}. Workload
 * controllers use this so that a workload without a selector never adopts every pod.
 *
 * @throws InvalidError naming the bad `matchLabels` / `matchExpressions` entry and what is expected.
 */
export function labelSelectorFromStructured(selector: StructuredLabelSelector | undefined | null): LabelSelector {
  return selector === undefined || selector === null ? nothing : fromStructured(selector);
}
