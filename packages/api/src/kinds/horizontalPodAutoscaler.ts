/**
 * `autoscaling/v2` HorizontalPodAutoscaler: the replica count of a scalable
 * object, driven by metrics.
 */
import { defineResource, type FieldIssue, type ResourceOf } from '@keelson/core';
import { z } from 'zod';
import { hpaConditionSchema } from './condition';
import { labelSelectorSchema } from './labelSelector';
import { int32, quantity, time } from './primitives';

/** Which object to scale: anything with a `scale` subresource (Deployment, ReplicaSet, …). */
export const crossVersionObjectReferenceSchema = z.object({
  apiVersion: z.string().exactOptional(),
  kind: z.string().min(1, { error: 'Required value' }),
  name: z.string().min(1, { error: 'Required value' }),
});

/** A metric's target: a utilization percentage of the pods' requests, a value, or an average value per pod. */
export const metricTargetSchema = z.object({
  type: z.enum(['Utilization', 'Value', 'AverageValue']),
  value: quantity.exactOptional(),
  averageValue: quantity.exactOptional(),
  averageUtilization: int32.exactOptional(),
});

const metricIdentifierSchema = z.object({ name: z.string().min(1), selector: labelSelectorSchema.exactOptional() });

/** One metric an autoscaler follows. */
export const metricSpecSchema = z.object({
  type: z.enum(['Resource', 'ContainerResource', 'Pods', 'Object', 'External']),
  resource: z.object({ name: z.string().min(1), target: metricTargetSchema }).exactOptional(),
  containerResource: z
    .object({ name: z.string().min(1), container: z.string().min(1), target: metricTargetSchema })
    .exactOptional(),
  pods: z.object({ metric: metricIdentifierSchema, target: metricTargetSchema }).exactOptional(),
  object: z
    .object({
      describedObject: crossVersionObjectReferenceSchema,
      metric: metricIdentifierSchema,
      target: metricTargetSchema,
    })
    .exactOptional(),
  external: z.object({ metric: metricIdentifierSchema, target: metricTargetSchema }).exactOptional(),
});

/** A scaling policy: at most `value` pods or percent per `periodSeconds`. */
export const hpaScalingPolicySchema = z.object({
  type: z.enum(['Pods', 'Percent']),
  value: int32,
  periodSeconds: int32,
});

/** The rules of one scaling direction. */
export const hpaScalingRulesSchema = z.object({
  stabilizationWindowSeconds: int32.exactOptional(),
  selectPolicy: z.enum(['Max', 'Min', 'Disabled']).exactOptional(),
  policies: z.array(hpaScalingPolicySchema).exactOptional(),
});

type ScalingRules = z.output<typeof hpaScalingRulesSchema>;

/** Kubernetes' `GenerateHPAScaleUpRules`: no stabilization, Max of 4 pods or 100 % per 15 s. */
function scaleUpRules(rules: ScalingRules | undefined): Required<ScalingRules> {
  return {
    stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? 0,
    selectPolicy: rules?.selectPolicy ?? 'Max',
    policies: rules?.policies ?? [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

/** Kubernetes' `GenerateHPAScaleDownRules`: a 300 s window, Max of 100 % per 15 s. */
function scaleDownRules(rules: ScalingRules | undefined): ScalingRules {
  return {
    ...(rules?.stabilizationWindowSeconds === undefined
      ? {}
      : { stabilizationWindowSeconds: rules.stabilizationWindowSeconds }),
    selectPolicy: rules?.selectPolicy ?? 'Max',
    policies: rules?.policies ?? [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  };
}

const CPU_80: z.input<typeof metricSpecSchema> = {
  type: 'Resource',
  resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
};

/**
 * An autoscaler's spec, with `SetDefaults_HorizontalPodAutoscaler`:
 * `minReplicas` 1, metrics 80 % CPU utilization when none are given, and —
 * when `behavior` is given — every rule it leaves out.
 */
export const hpaSpecSchema = z
  .object({
    scaleTargetRef: crossVersionObjectReferenceSchema,
    minReplicas: int32.default(1),
    maxReplicas: int32,
    metrics: z.array(metricSpecSchema).exactOptional(),
    behavior: z
      .object({ scaleUp: hpaScalingRulesSchema.exactOptional(), scaleDown: hpaScalingRulesSchema.exactOptional() })
      .exactOptional(),
  })
  .transform((spec) => ({
    ...spec,
    metrics: spec.metrics === undefined || spec.metrics.length === 0 ? [metricSpecSchema.parse(CPU_80)] : spec.metrics,
    ...(spec.behavior === undefined
      ? {}
      : {
          behavior: {
            scaleUp: scaleUpRules(spec.behavior.scaleUp),
            scaleDown: scaleDownRules(spec.behavior.scaleDown),
          },
        }),
  }));

const metricValueStatusSchema = z.object({
  value: quantity.exactOptional(),
  averageValue: quantity.exactOptional(),
  averageUtilization: int32.exactOptional(),
});

/** What the autoscaler last read of one metric. */
export const metricStatusSchema = z.object({
  type: z.enum(['Resource', 'ContainerResource', 'Pods', 'Object', 'External']),
  resource: z.object({ name: z.string(), current: metricValueStatusSchema }).exactOptional(),
  containerResource: z
    .object({ name: z.string(), container: z.string(), current: metricValueStatusSchema })
    .exactOptional(),
  pods: z.object({ metric: metricIdentifierSchema, current: metricValueStatusSchema }).exactOptional(),
  object: z
    .object({
      describedObject: crossVersionObjectReferenceSchema,
      metric: metricIdentifierSchema,
      current: metricValueStatusSchema,
    })
    .exactOptional(),
  external: z.object({ metric: metricIdentifierSchema, current: metricValueStatusSchema }).exactOptional(),
});

/** What the autoscaler observed and decided. */
export const hpaStatusSchema = z.object({
  observedGeneration: z.int().exactOptional(),
  lastScaleTime: time.exactOptional(),
  currentReplicas: int32.default(0),
  desiredReplicas: int32.default(0),
  currentMetrics: z.array(metricStatusSchema).exactOptional(),
  conditions: z.array(hpaConditionSchema).exactOptional(),
});

type HpaSpec = z.output<typeof hpaSpecSchema>;

function targetIssues(
  path: string,
  target: z.output<typeof metricTargetSchema>,
  allowed: readonly string[],
): FieldIssue[] {
  if (!allowed.includes(target.type)) {
    return [
      {
        path: `${path}.type`,
        message: `Unsupported value: "${target.type}": supported values: ${allowed.map((a) => `"${a}"`).join(', ')}`,
      },
    ];
  }
  const field =
    target.type === 'Utilization' ? 'averageUtilization' : target.type === 'Value' ? 'value' : 'averageValue';
  if (target[field] === undefined)
    return [{ path: `${path}.${field}`, message: `Required value: must set ${field} for type ${target.type}` }];
  if (target.type === 'Utilization' && (target.averageUtilization ?? 0) <= 0) {
    return [{ path: `${path}.averageUtilization`, message: 'must be greater than 0' }];
  }
  return [];
}

const METRIC_TARGETS: Record<string, readonly string[]> = {
  Resource: ['Utilization', 'AverageValue'],
  ContainerResource: ['Utilization', 'AverageValue'],
  Pods: ['AverageValue'],
  Object: ['Value', 'AverageValue'],
  External: ['Value', 'AverageValue'],
};

function rulesIssues(path: string, rules: ScalingRules | undefined): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (rules === undefined) return issues;
  const window = rules.stabilizationWindowSeconds;
  if (window !== undefined && (window < 0 || window > 3600)) {
    issues.push({ path: `${path}.stabilizationWindowSeconds`, message: 'must be between 0 and 3600 seconds' });
  }
  (rules.policies ?? []).forEach((policy, i) => {
    if (policy.value <= 0) issues.push({ path: `${path}.policies[${i}].value`, message: 'must be greater than zero' });
    if (policy.periodSeconds <= 0 || policy.periodSeconds > 1800) {
      issues.push({ path: `${path}.policies[${i}].periodSeconds`, message: 'must be between 1 and 1800 seconds' });
    }
  });
  if (rules.policies !== undefined && rules.policies.length === 0) {
    issues.push({ path: `${path}.policies`, message: 'Required value: must specify at least one Policy' });
  }
  return issues;
}

function hpaIssues(spec: HpaSpec): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (spec.minReplicas < 1) issues.push({ path: 'spec.minReplicas', message: 'must be greater than or equal to 1' });
  if (spec.maxReplicas < spec.minReplicas) {
    issues.push({ path: 'spec.maxReplicas', message: 'must be greater than or equal to `minReplicas`' });
  }
  spec.metrics.forEach((metric, i) => {
    const key = {
      Resource: 'resource',
      ContainerResource: 'containerResource',
      Pods: 'pods',
      Object: 'object',
      External: 'external',
    }[metric.type] as 'resource' | 'containerResource' | 'pods' | 'object' | 'external';
    const source = metric[key];
    if (source === undefined) {
      issues.push({
        path: `spec.metrics[${i}].${key}`,
        message: `Required value: must populate information for the given metric source`,
      });
      return;
    }
    issues.push(...targetIssues(`spec.metrics[${i}].${key}.target`, source.target, METRIC_TARGETS[metric.type] ?? []));
  });
  issues.push(...rulesIssues('spec.behavior.scaleUp', spec.behavior?.scaleUp));
  issues.push(...rulesIssues('spec.behavior.scaleDown', spec.behavior?.scaleDown));
  return issues;
}

/**
 * The HorizontalPodAutoscaler kind (`autoscaling/v2`, short name `hpa`):
 * `minReplicas` ≥ 1 and ≤ `maxReplicas`; each metric's source must be set
 * and its target type suit it (Resource: Utilization or AverageValue; Pods:
 * AverageValue; Object and External: Value or AverageValue); policies have
 * a value > 0 and a period of 1–1800 s; windows are 0–3600 s.
 *
 * @example
 * ```ts
 * await store.create(HorizontalPodAutoscaler, {
 *   metadata: { name: 'web', namespace: 'default' },
 *   spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 10 },
 * }); // minReplicas 1, 80 % CPU
 * ```
 */
export const HorizontalPodAutoscaler = defineResource({
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  namespaced: true,
  spec: hpaSpecSchema,
  status: hpaStatusSchema,
  strategy: {
    validate: (hpa) => hpaIssues(hpa.spec),
    validateUpdate: (_old, next) => hpaIssues(next.spec),
  },
});
export type HorizontalPodAutoscaler = ResourceOf<typeof HorizontalPodAutoscaler>;
