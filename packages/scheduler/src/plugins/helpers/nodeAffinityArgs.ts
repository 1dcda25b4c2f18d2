/**
 * NodeAffinity's args, as kube-scheduler's `NodeAffinityArgs`: an
 * `addedAffinity` (a node affinity every pod of the profile must also
 * satisfy, and whose preferred terms add to every pod's score). Checked
 * field by field, and then compiled, so that a mistake fails the profile
 * with the path of the bad field instead of silently matching nothing.
 */
import { InvalidError } from '@keelson/core';
import {
  type CompiledNodeSelector,
  type CompiledPreferredTerms,
  compileNodeSelector,
  compilePreferredTerms,
  type NodeAffinity,
  type NodeSelectorRequirement,
  type NodeSelectorTerm,
  type PreferredSchedulingTerm,
} from './nodeSelector';

/** The args the NodeAffinity plugin takes. */
export interface NodeAffinityArgs {
  /** Applied to every pod of the profile, on top of the pod's own node affinity. */
  addedAffinity?: NodeAffinity;
}

/** `addedAffinity`, compiled. */
export interface CompiledAddedAffinity {
  readonly required: CompiledNodeSelector | undefined;
  readonly preferred: CompiledPreferredTerms | undefined;
}

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];

function fail(path: string, problem: string): never {
  throw new InvalidError(`NodeAffinity args: ${path} ${problem}`);
}

function record(value: unknown, path: string, fields: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, `must be an object with the fields ${fields.join(', ')}`);
  }
  for (const key of Object.keys(value)) {
    if (!fields.includes(key)) fail(`${path}.${key}`, `is not a known field; use ${fields.join(', ')}`);
  }
  return value as Record<string, unknown>;
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'must be a list');
  return value;
}

function requirementOf(value: unknown, path: string): NodeSelectorRequirement {
  const fields = record(value, path, ['key', 'operator', 'values']);
  if (typeof fields.key !== 'string' || fields.key === '') fail(`${path}.key`, 'must be a non-empty string');
  if (typeof fields.operator !== 'string' || !OPERATORS.includes(fields.operator)) {
    fail(`${path}.operator`, `must be one of ${OPERATORS.join(', ')}`);
  }
  const requirement = { key: fields.key, operator: fields.operator } as NodeSelectorRequirement;
  if (fields.values !== undefined) {
    const values = list(fields.values, `${path}.values`);
    values.forEach((v, i) => {
      if (typeof v !== 'string') fail(`${path}.values[${i}]`, 'must be a string');
    });
    requirement.values = values as string[];
  }
  return requirement;
}

function termOf(value: unknown, path: string): NodeSelectorTerm {
  const fields = record(value, path, ['matchExpressions', 'matchFields']);
  const term: NodeSelectorTerm = {};
  for (const name of ['matchExpressions', 'matchFields'] as const) {
    if (fields[name] === undefined) continue;
    term[name] = list(fields[name], `${path}.${name}`).map((r, i) => requirementOf(r, `${path}.${name}[${i}]`));
  }
  return term;
}

function preferredOf(value: unknown, path: string): PreferredSchedulingTerm {
  const fields = record(value, path, ['weight', 'preference']);
  const weight = fields.weight;
  if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 1 || weight > 100) {
    fail(`${path}.weight`, 'must be an integer from 1 to 100');
  }
  return { weight, preference: termOf(fields.preference, `${path}.preference`) };
}

function failParse(errors: readonly string[]): never {
  const message = errors.length === 1 ? (errors[0] as string) : `[${errors.join(', ')}]`;
  throw new InvalidError(`NodeAffinity args: ${message}; correct the term or remove it`);
}

/**
 * Checks NodeAffinity's `args` (`undefined`, or `{ addedAffinity }`) and
 * compiles the added affinity; throws `InvalidError` naming the bad field.
 */
export function parseNodeAffinityArgs(args: unknown): CompiledAddedAffinity {
  if (args === undefined || args === null) return { required: undefined, preferred: undefined };
  const top = record(args, 'args', ['addedAffinity']);
  if (top.addedAffinity === undefined) return { required: undefined, preferred: undefined };
  const path = 'addedAffinity';
  const requiredField = 'requiredDuringSchedulingIgnoredDuringExecution';
  const preferredField = 'preferredDuringSchedulingIgnoredDuringExecution';
  const affinity = record(top.addedAffinity, path, [requiredField, preferredField]);

  let required: CompiledNodeSelector | undefined;
  if (affinity[requiredField] !== undefined) {
    const requiredPath = `${path}.${requiredField}`;
    const selector = record(affinity[requiredField], requiredPath, ['nodeSelectorTerms']);
    const terms = list(selector.nodeSelectorTerms, `${requiredPath}.nodeSelectorTerms`).map((t, i) =>
      termOf(t, `${requiredPath}.nodeSelectorTerms[${i}]`),
    );
    required = compileNodeSelector({ nodeSelectorTerms: terms }, requiredPath);
    if (required.errors.length > 0) failParse(required.errors);
  }

  let preferred: CompiledPreferredTerms | undefined;
  if (affinity[preferredField] !== undefined) {
    const preferredPath = `${path}.${preferredField}`;
    const terms = list(affinity[preferredField], preferredPath).map((t, i) => preferredOf(t, `${preferredPath}[${i}]`));
    if (terms.length > 0) {
      preferred = compilePreferredTerms(terms, preferredPath);
      if (preferred.errors.length > 0) failParse(preferred.errors);
    }
  }
  return { required, preferred };
}
