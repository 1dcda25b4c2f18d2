/**
 * PodTopologySpread's args (Kubernetes' `PodTopologySpreadArgs`), checked as
 * kube-scheduler's `ValidatePodTopologySpreadArgs` checks them, with one
 * Keelson difference: a default constraint may carry a `labelSelector`.
 */
import { InvalidError, labelKeyProblems, labelSelectorFromStructured } from '@keelson/core';
import type { TopologySpreadConstraintSpec } from './constraints';

/** How pods without their own constraints get some. */
export type DefaultingType = 'System' | 'List';

/** The args as configured in a profile's `pluginConfig`. */
export interface PodTopologySpreadArgs {
  /**
   * Constraints for pods that declare none (with `defaultingType: List`).
   * Kubernetes forbids a `labelSelector` here and derives one per pod from the
   * Services, ReplicaSets, StatefulSets and ReplicationControllers selecting
   * it; Keelson's scheduler has none of those at hand, so a default constraint
   * counts with its own `labelSelector` or with the `defaultSelector` hook of
   * {@link createPodTopologySpread}, and applies to no pod without either.
   */
  defaultConstraints?: TopologySpreadConstraintSpec[];
  /** `System` (the default): Kubernetes' built-in soft constraints; `List`: `defaultConstraints`. */
  defaultingType?: DefaultingType;
}

/** The args after validation and defaulting. */
export interface PodTopologySpreadConfig {
  readonly defaultConstraints: readonly TopologySpreadConstraintSpec[];
  readonly systemDefaulted: boolean;
}

/** Kubernetes' built-in defaults: soft spreading over hostnames (skew 3) and zones (skew 5). */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraintSpec[] = Object.freeze([
  { topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
]);

const PLUGIN = 'PodTopologySpread';
const ARG_KEYS = new Set(['defaultConstraints', 'defaultingType']);
const CONSTRAINT_KEYS = new Set([
  'maxSkew',
  'topologyKey',
  'whenUnsatisfiable',
  'labelSelector',
  'minDomains',
  'nodeAffinityPolicy',
  'nodeTaintsPolicy',
  'matchLabelKeys',
]);

function fail(detail: string): never {
  throw new InvalidError(`${PLUGIN} args: ${detail}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveInteger(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    fail(`${path} must be an integer greater than zero`);
  }
  return value;
}

function policy(value: unknown, path: string): 'Honor' | 'Ignore' | undefined {
  if (value === undefined || value === 'Honor' || value === 'Ignore') return value;
  return fail(`${path} must be Honor or Ignore`);
}

function constraintOf(raw: unknown, path: string): TopologySpreadConstraintSpec {
  if (!isRecord(raw)) fail(`${path} must be an object with maxSkew, topologyKey and whenUnsatisfiable`);
  for (const key of Object.keys(raw)) {
    if (!CONSTRAINT_KEYS.has(key)) fail(`${path}.${key} is not a constraint field; remove it`);
  }
  const maxSkew = positiveInteger(raw.maxSkew, `${path}.maxSkew`);
  const topologyKey = raw.topologyKey;
  if (typeof topologyKey !== 'string' || topologyKey === '') fail(`${path}.topologyKey can not be empty`);
  const keyProblems = labelKeyProblems(topologyKey);
  if (keyProblems.length > 0) fail(`${path}.topologyKey ${JSON.stringify(topologyKey)}: ${keyProblems.join('; ')}`);
  const when = raw.whenUnsatisfiable;
  if (when !== 'DoNotSchedule' && when !== 'ScheduleAnyway') {
    fail(`${path}.whenUnsatisfiable must be DoNotSchedule or ScheduleAnyway`);
  }
  const spec: TopologySpreadConstraintSpec = { maxSkew, topologyKey, whenUnsatisfiable: when };
  if (raw.labelSelector !== undefined) {
    if (!isRecord(raw.labelSelector)) fail(`${path}.labelSelector must be {matchLabels, matchExpressions}`);
    try {
      labelSelectorFromStructured(raw.labelSelector);
    } catch (error) {
      fail(`${path}.${error instanceof Error ? error.message : String(error)}`);
    }
    spec.labelSelector = raw.labelSelector as NonNullable<TopologySpreadConstraintSpec['labelSelector']>;
  }
  if (raw.minDomains !== undefined) spec.minDomains = positiveInteger(raw.minDomains, `${path}.minDomains`);
  const affinityPolicy = policy(raw.nodeAffinityPolicy, `${path}.nodeAffinityPolicy`);
  if (affinityPolicy !== undefined) spec.nodeAffinityPolicy = affinityPolicy;
  const taintsPolicy = policy(raw.nodeTaintsPolicy, `${path}.nodeTaintsPolicy`);
  if (taintsPolicy !== undefined) spec.nodeTaintsPolicy = taintsPolicy;
  if (raw.matchLabelKeys !== undefined) {
    const keys = raw.matchLabelKeys;
    if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'string')) {
      fail(`${path}.matchLabelKeys must be a list of label keys`);
    }
    spec.matchLabelKeys = keys as string[];
  }
  return spec;
}

/**
 * Validates and defaults PodTopologySpread's args.
 *
 * @throws InvalidError naming the field: an unknown key, a `defaultingType`
 * other than System / List, System with `defaultConstraints`, a bad or
 * repeated (topologyKey, whenUnsatisfiable) constraint.
 */
export function parsePodTopologySpreadArgs(args: unknown): PodTopologySpreadConfig {
  if (args === undefined || args === null)
    return { defaultConstraints: SYSTEM_DEFAULT_CONSTRAINTS, systemDefaulted: true };
  if (!isRecord(args)) fail('expected an object with defaultConstraints and defaultingType');
  for (const key of Object.keys(args)) {
    if (!ARG_KEYS.has(key)) fail(`unknown field ${JSON.stringify(key)}; expected defaultConstraints or defaultingType`);
  }
  const type = args.defaultingType ?? 'System';
  if (type !== 'System' && type !== 'List') fail('defaultingType must be System or List');
  const rawConstraints = args.defaultConstraints ?? [];
  if (!Array.isArray(rawConstraints)) fail('defaultConstraints must be a list of topology spread constraints');
  const constraints = rawConstraints.map((raw, i) => constraintOf(raw, `defaultConstraints[${i}]`));
  if (type === 'System' && constraints.length > 0) {
    fail('defaultingType System can not be used with defaultConstraints; set defaultingType: List');
  }
  constraints.forEach((constraint, i) => {
    const earlier = constraints.findIndex(
      (other) =>
        other.topologyKey === constraint.topologyKey && other.whenUnsatisfiable === constraint.whenUnsatisfiable,
    );
    if (earlier < i) {
      fail(
        `defaultConstraints[${i}] duplicates defaultConstraints[${earlier}] ` +
          `({${constraint.topologyKey}, ${constraint.whenUnsatisfiable}}); keep one constraint per topologyKey and action`,
      );
    }
  });
  if (type === 'System') return { defaultConstraints: SYSTEM_DEFAULT_CONSTRAINTS, systemDefaulted: true };
  return { defaultConstraints: Object.freeze(constraints), systemDefaulted: false };
}
