/**
 * Node selectors with Kubernetes' semantics (component-helpers `nodeaffinity`
 * and apimachinery `labels.NewRequirement`): terms are ORed, the requirements
 * of a term ANDed; an empty term list, or a term with neither
 * `matchExpressions` nor `matchFields`, matches nothing; `matchFields` compare
 * `metadata.name`; a term that fails to parse matches nothing (its errors are
 * kept, as upstream's lazy-error selector does). Compiled once (the
 * scheduler compiles per pod, and per profile for plugin args) so that
 * matching a node allocates nothing.
 */

import { type LabelSelector, labelKeyProblems, labelValueProblems, parseLabelSelector } from '@keelson/core';
import type { Node } from '../kinds/node';
import type { Affinity } from '../kinds/scheduling';

/** A pod's node affinity (`spec.affinity.nodeAffinity`). */
export type NodeAffinity = NonNullable<Affinity['nodeAffinity']>;
/** Required node affinity: terms of which one must match. */
export type NodeSelector = NonNullable<NodeAffinity['requiredDuringSchedulingIgnoredDuringExecution']>;
/** One term: `matchExpressions` on labels and `matchFields` on fields, ANDed. */
export type NodeSelectorTerm = NodeSelector['nodeSelectorTerms'][number];
/** One requirement of a term (`key`, `operator`, `values`). */
export type NodeSelectorRequirement = NonNullable<NodeSelectorTerm['matchExpressions']>[number];
/** A preferred term with its weight (1-100). */
export type PreferredSchedulingTerm = NonNullable<
  NodeAffinity['preferredDuringSchedulingIgnoredDuringExecution']
>[number];

const IN = 0;
const NOT_IN = 1;
const EXISTS = 2;
const DOES_NOT_EXIST = 3;
const GREATER_THAN = 4;
const LESS_THAN = 5;

const LABEL_OPERATORS: Readonly<Record<string, number>> = {
  In: IN,
  NotIn: NOT_IN,
  Exists: EXISTS,
  DoesNotExist: DOES_NOT_EXIST,
  Gt: GREATER_THAN,
  Lt: LESS_THAN,
};

const INT64 = /^[+-]?[0-9]+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's `strconv.ParseInt(text, 10, 64)`, or `undefined` when `text` is not an int64. */
function parseInt64(text: string): bigint | undefined {
  if (!INT64.test(text)) return undefined;
  const value = BigInt(text);
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}

/** A `matchFields` requirement (on `metadata.name`): In or NotIn one value. */
interface FieldRequirement {
  readonly key: string;
  readonly notIn: boolean;
  readonly value: string;
}

/** One term, compiled. */
export interface CompiledTerm {
  /**
   * `matchExpressions` on the node's labels (ANDed), compiled into a label selector of
   * `@keelson/core` (whose grammar has Kubernetes' `>` / `<`); `undefined` when the term has
   * none, or errors.
   */
  readonly labels: LabelSelector | undefined;
  /** `matchFields` on the node's fields (ANDed), or `undefined` when the term has none. */
  readonly fields: readonly FieldRequirement[] | undefined;
  /** Why the term does not parse; a term with errors matches no node. */
  readonly errors: readonly string[];
}

/** A compiled `NodeSelector`: the non-empty terms, ORed. */
export interface CompiledNodeSelector {
  readonly terms: readonly CompiledTerm[];
  /** Every term's parse errors, for reporting (args validation). */
  readonly errors: readonly string[];
}

/** Compiled preferred terms with their weights. Terms that fail to parse are left out and reported in `errors`. */
export interface CompiledPreferredTerms {
  readonly terms: ReadonlyArray<{ readonly term: CompiledTerm; readonly weight: number }>;
  readonly errors: readonly string[];
}

function quoted(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
}

/**
 * Checks one label requirement as Kubernetes' `labels.NewRequirement` does and
 * returns it in the selector grammar (`key in (a,b)`, `!key`, `key>5`, …); the
 * grammar's matching is `@keelson/core`'s.
 */
function compileLabelRequirement(expr: NodeSelectorRequirement, path: string, errors: string[]): string {
  const values = expr.values ?? [];
  for (const problem of labelKeyProblems(expr.key)) {
    errors.push(`${path}.key: Invalid value: ${JSON.stringify(expr.key)}: ${problem}`);
  }
  const test = LABEL_OPERATORS[expr.operator];
  let bound = 0n;
  if (test === undefined) {
    errors.push(
      `${path}.operator: Unsupported value: ${JSON.stringify(expr.operator)}: supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"`,
    );
  } else if ((test === IN || test === NOT_IN) && values.length === 0) {
    errors.push(`${path}.values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty`);
  } else if ((test === EXISTS || test === DOES_NOT_EXIST) && values.length !== 0) {
    errors.push(
      `${path}.values: Invalid value: ${quoted(values)}: values set must be empty for exists and does not exist`,
    );
  } else if (test === GREATER_THAN || test === LESS_THAN) {
    if (values.length !== 1) {
      errors.push(
        `${path}.values: Invalid value: ${quoted(values)}: for 'Gt', 'Lt' operators, exactly one value is required`,
      );
    }
    values.forEach((value, i) => {
      const parsed = parseInt64(value);
      if (parsed === undefined) {
        errors.push(
          `${path}.values[${i}]: Invalid value: ${JSON.stringify(value)}: for 'Gt', 'Lt' operators, the value must be an integer`,
        );
      } else if (i === 0) bound = parsed;
    });
  }
  values.forEach((value, i) => {
    for (const problem of labelValueProblems(value)) {
      errors.push(`${path}.values[${i}]: Invalid value: ${JSON.stringify(value)}: ${problem}`);
    }
  });
  const list = [...new Set(values)].join(',');
  switch (test) {
    case NOT_IN:
      return `${expr.key} notin (${list})`;
    case EXISTS:
      return expr.key;
    case DOES_NOT_EXIST:
      return `!${expr.key}`;
    case GREATER_THAN:
      return `${expr.key}>${bound}`;
    case LESS_THAN:
      return `${expr.key}<${bound}`;
    default:
      return `${expr.key} in (${list})`;
  }
}

function compileFieldRequirement(expr: NodeSelectorRequirement, path: string, errors: string[]): FieldRequirement {
  const values = expr.values ?? [];
  if (expr.operator !== 'In' && expr.operator !== 'NotIn') {
    errors.push(
      `${path}.operator: Unsupported value: ${JSON.stringify(expr.operator)}: supported values: "In", "NotIn"`,
    );
  } else if (values.length !== 1) {
    errors.push(`${path}.values: Invalid value: ${quoted(values)}: must have one element`);
  }
  return { key: expr.key, notIn: expr.operator === 'NotIn', value: values[0] ?? '' };
}

/** Whether a term has nothing to match on (such a term selects no node). */
export function isEmptyTerm(term: NodeSelectorTerm): boolean {
  return (term.matchExpressions?.length ?? 0) === 0 && (term.matchFields?.length ?? 0) === 0;
}

/** Compiles one non-empty term; `path` prefixes error messages (e.g. `nodeSelectorTerms[0]`). */
export function compileTerm(term: NodeSelectorTerm, path: string): CompiledTerm {
  const errors: string[] = [];
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  const dot = path === '' ? '' : '.';
  const requirements = expressions.map((e, i) =>
    compileLabelRequirement(e, `${path}${dot}matchExpressions[${i}]`, errors),
  );
  let labels: LabelSelector | undefined;
  if (requirements.length > 0 && errors.length === 0) {
    try {
      labels = parseLabelSelector(requirements.join(','));
    } catch (error) {
      errors.push(`${path}${dot}matchExpressions: ${(error as Error).message}`);
    }
  }
  return {
    labels,
    fields:
      fields.length === 0
        ? undefined
        : fields.map((e, i) => compileFieldRequirement(e, `${path}${dot}matchFields[${i}]`, errors)),
    errors,
  };
}

/** Compiles a `NodeSelector` (required node affinity); `path` prefixes error messages. */
export function compileNodeSelector(selector: NodeSelector, path = ''): CompiledNodeSelector {
  const terms: CompiledTerm[] = [];
  const errors: string[] = [];
  const dot = path === '' ? '' : '.';
  selector.nodeSelectorTerms.forEach((term, i) => {
    if (isEmptyTerm(term)) return;
    const compiled = compileTerm(term, `${path}${dot}nodeSelectorTerms[${i}]`);
    terms.push(compiled);
    errors.push(...compiled.errors);
  });
  return { terms, errors };
}

/** Compiles preferred terms; terms of weight 0 or with nothing to match are ignored, as upstream. */
export function compilePreferredTerms(
  preferred: readonly PreferredSchedulingTerm[],
  path = '',
): CompiledPreferredTerms {
  const terms: Array<{ term: CompiledTerm; weight: number }> = [];
  const errors: string[] = [];
  preferred.forEach((entry, i) => {
    if (entry.weight === 0 || isEmptyTerm(entry.preference)) return;
    const term = compileTerm(entry.preference, `${path}[${i}]`);
    if (term.errors.length > 0) errors.push(...term.errors);
    else terms.push({ term, weight: entry.weight });
  });
  return { terms, errors };
}

/** The label's value, ignoring inherited members such as `constructor`. */
function labelOf(labels: Readonly<Record<string, string>> | undefined, key: string): string | undefined {
  const found: unknown = labels === undefined ? undefined : labels[key];
  return typeof found === 'string' ? found : undefined;
}

function fieldMatches(req: FieldRequirement, node: Node): boolean {
  // The only node field selectors see is metadata.name; a missing field reads as ''.
  const value = req.key === 'metadata.name' ? node.metadata.name : '';
  return (value === req.value) !== req.notIn;
}

/** Whether `node` satisfies every requirement of `term` (false for a term with parse errors). */
export function termMatches(term: CompiledTerm, node: Node): boolean {
  if (term.errors.length > 0) return false;
  if (term.labels !== undefined && !term.labels.matches(node.metadata.labels)) return false;
  const fields = term.fields;
  if (fields !== undefined && node.metadata.name !== '') {
    for (let i = 0; i < fields.length; i++) if (!fieldMatches(fields[i] as FieldRequirement, node)) return false;
  }
  return true;
}

/** Whether `node` satisfies at least one term (never, for a selector without terms). */
export function nodeSelectorMatches(selector: CompiledNodeSelector, node: Node): boolean {
  const terms = selector.terms;
  for (let i = 0; i < terms.length; i++) if (termMatches(terms[i] as CompiledTerm, node)) return true;
  return false;
}

/** The sum of the weights of the preferred terms `node` matches. */
export function preferredScore(preferred: CompiledPreferredTerms, node: Node): number {
  let score = 0;
  const terms = preferred.terms;
  for (let i = 0; i < terms.length; i++) {
    const entry = terms[i] as { term: CompiledTerm; weight: number };
    if (termMatches(entry.term, node)) score += entry.weight;
  }
  return score;
}

/** Whether `labels` carry every key/value pair of a pod's `spec.nodeSelector` (given as entries). */
export function labelsMatchSelectorMap(
  pairs: ReadonlyArray<readonly [string, string]>,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] as readonly [string, string];
    if (labelOf(labels, pair[0]) !== pair[1]) return false;
  }
  return true;
}
