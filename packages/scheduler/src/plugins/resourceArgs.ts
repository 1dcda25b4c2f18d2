/**
 * Args of NodeResourcesFit and NodeResourcesBalancedAllocation in the shape
 * of kube-scheduler's `NodeResourcesFitArgs` /
 * `NodeResourcesBalancedAllocationArgs` (v1), defaulted and validated as
 * kube-scheduler does: default resources cpu 1, memory 1; a weight left out
 * (or 0) is 1; weights 1–100 (BalancedAllocation: exactly 1); shape points
 * sorted by utilization 0–100 with scores 0–10.
 */
import { InvalidError } from '@keelson/core';
import { isQualifiedName } from './resourceNames';
import {
  MAX_CUSTOM_PRIORITY_SCORE,
  MAX_UTILIZATION,
  type ResourceSpec,
  type UtilizationShapePoint,
} from './resourceScoring';

/** NodeResourcesFit's scoring strategies. */
export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';

/** A resource in args: `weight` defaults to 1. */
export interface ResourceSpecInput {
  name: string;
  weight?: number;
}

/** NodeResourcesFit's args, as configured in a profile's `pluginConfig`. */
export interface NodeResourcesFitArgs {
  /** Extended resources the filter ignores (e.g. `example.com/foo`). */
  ignoredResources?: string[];
  /** Extended-resource groups (the part before `/`, e.g. `example.com`) the filter ignores. */
  ignoredResourceGroups?: string[];
  /** Default `{ type: 'LeastAllocated', resources: [cpu 1, memory 1] }`. */
  scoringStrategy?: {
    type: ScoringStrategyType;
    resources?: ResourceSpecInput[];
    /** Required for `RequestedToCapacityRatio`. */
    requestedToCapacityRatio?: { shape: UtilizationShapePoint[] };
  };
}

/** NodeResourcesBalancedAllocation's args. */
export interface NodeResourcesBalancedAllocationArgs {
  /** Default cpu and memory; every weight must be 1. */
  resources?: ResourceSpecInput[];
}

/** NodeResourcesFit's args after defaulting and validation. */
export interface ResolvedFitArgs {
  readonly ignoredResources: ReadonlySet<string>;
  readonly ignoredResourceGroups: ReadonlySet<string>;
  readonly type: ScoringStrategyType;
  readonly resources: readonly ResourceSpec[];
  readonly shape: readonly UtilizationShapePoint[];
}

/** Kubernetes' default scored resources. */
export const DEFAULT_RESOURCES: readonly ResourceSpec[] = Object.freeze([
  Object.freeze({ name: 'cpu', weight: 1 }),
  Object.freeze({ name: 'memory', weight: 1 }),
]);

const STRATEGIES: readonly ScoringStrategyType[] = ['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'];

type Fail = (field: string, problem: string) => never;

function failer(plugin: string): Fail {
  return (field, problem) => {
    throw new InvalidError(`${plugin} args: ${field} ${problem}`);
  };
}

function record(value: unknown, field: string, fail: Fail, known: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'must be an object');
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (!known.includes(key))
      fail(`${field === 'args' ? '' : `${field}.`}${key}`, `is not a known field (${known.join(', ')})`);
  }
  return object;
}

function list(value: unknown, field: string, fail: Fail): unknown[] {
  if (!Array.isArray(value)) fail(field, 'must be an array');
  return value as unknown[];
}

function integer(value: unknown, field: string, fail: Fail, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(field, `must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
  }
  return value as number;
}

function resourceSpecs(value: unknown, field: string, fail: Fail, onlyWeightOne: boolean): ResourceSpec[] {
  return list(value, field, fail).map((entry, i) => {
    const at = `${field}[${i}]`;
    const spec = record(entry, at, fail, ['name', 'weight']);
    if (typeof spec.name !== 'string' || spec.name === '') fail(`${at}.name`, 'must be a resource name such as cpu');
    // kube-scheduler's v1 defaulting: a weight left out or set to 0 means 1.
    const weight = spec.weight === undefined || spec.weight === 0 ? 1 : spec.weight;
    if (onlyWeightOne && weight !== 1) fail(`${at}.weight`, `must be 1 (got ${JSON.stringify(weight)})`);
    return { name: spec.name as string, weight: integer(weight, `${at}.weight`, fail, 1, 100) };
  });
}

function shapeOf(value: unknown, field: string, fail: Fail): UtilizationShapePoint[] {
  const points = list(value, field, fail);
  if (points.length === 0) fail(field, 'must have at least one point');
  let previous = -1;
  return points.map((entry, i) => {
    const at = `${field}[${i}]`;
    const point = record(entry, at, fail, ['utilization', 'score']);
    const utilization = integer(point.utilization, `${at}.utilization`, fail, 0, MAX_UTILIZATION);
    const score = integer(point.score, `${at}.score`, fail, 0, MAX_CUSTOM_PRIORITY_SCORE);
    if (utilization <= previous) {
      fail(
        `${at}.utilization`,
        "must be greater than the previous point's (sort the points by increasing utilization)",
      );
    }
    previous = utilization;
    return { utilization, score };
  });
}

function names(value: unknown, field: string, fail: Fail, group: boolean): Set<string> {
  return new Set(
    list(value, field, fail).map((entry, i) => {
      const at = `${field}[${i}]`;
      if (typeof entry !== 'string') fail(at, 'must be a string');
      const name = entry as string;
      if (group && name.includes('/'))
        fail(at, `must not contain '/' (got ${JSON.stringify(name)}): name the group only, e.g. example.com`);
      if (!isQualifiedName(name)) fail(at, `must be a valid qualified name (got ${JSON.stringify(name)})`);
      return name;
    }),
  );
}

/** Defaults and validates NodeResourcesFit's args; throws `InvalidError` naming the bad field. */
export function resolveFitArgs(args: unknown): ResolvedFitArgs {
  const fail = failer('NodeResourcesFit');
  const input =
    args === undefined || args === null
      ? {}
      : record(args, 'args', fail, ['ignoredResources', 'ignoredResourceGroups', 'scoringStrategy']);
  const ignoredResources =
    input.ignoredResources === undefined
      ? new Set<string>()
      : names(input.ignoredResources, 'ignoredResources', fail, false);
  const ignoredResourceGroups =
    input.ignoredResourceGroups === undefined
      ? new Set<string>()
      : names(input.ignoredResourceGroups, 'ignoredResourceGroups', fail, true);
  if (input.scoringStrategy === undefined) {
    return { ignoredResources, ignoredResourceGroups, type: 'LeastAllocated', resources: DEFAULT_RESOURCES, shape: [] };
  }
  const strategy = record(input.scoringStrategy, 'scoringStrategy', fail, [
    'type',
    'resources',
    'requestedToCapacityRatio',
  ]);
  if (!STRATEGIES.includes(strategy.type as ScoringStrategyType)) {
    fail(
      'scoringStrategy.type',
      `must be LeastAllocated, MostAllocated or RequestedToCapacityRatio (got ${JSON.stringify(strategy.type)})`,
    );
  }
  const type = strategy.type as ScoringStrategyType;
  const given =
    strategy.resources === undefined ? [] : resourceSpecs(strategy.resources, 'scoringStrategy.resources', fail, false);
  const resources = given.length === 0 ? DEFAULT_RESOURCES : given;
  let shape: UtilizationShapePoint[] = [];
  if (strategy.requestedToCapacityRatio !== undefined) {
    const ratio = record(strategy.requestedToCapacityRatio, 'scoringStrategy.requestedToCapacityRatio', fail, [
      'shape',
    ]);
    shape = shapeOf(ratio.shape, 'scoringStrategy.requestedToCapacityRatio.shape', fail);
  } else if (type === 'RequestedToCapacityRatio') {
    fail('scoringStrategy.requestedToCapacityRatio.shape', 'is required when type is RequestedToCapacityRatio');
  }
  return { ignoredResources, ignoredResourceGroups, type, resources, shape };
}

/** Defaults and validates NodeResourcesBalancedAllocation's args (the scored resources). */
export function resolveBalancedAllocationArgs(args: unknown): readonly ResourceSpec[] {
  const fail = failer('NodeResourcesBalancedAllocation');
  const input = args === undefined || args === null ? {} : record(args, 'args', fail, ['resources']);
  if (input.resources === undefined) return DEFAULT_RESOURCES;
  const resources = list(input.resources, 'resources', fail);
  if (resources.length === 0) return DEFAULT_RESOURCES;
  const specs = resourceSpecs(resources, 'resources', fail, true);
  const seen = new Set<string>();
  specs.forEach((spec, i) => {
    if (seen.has(spec.name))
      fail(`resources[${i}].name`, `duplicates ${JSON.stringify(spec.name)}; list each resource once`);
    seen.add(spec.name);
  });
  return specs;
}
