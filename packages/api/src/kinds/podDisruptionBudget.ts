/**
 * `policy/v1` PodDisruptionBudget: how many of a set of pods voluntary
 * disruptions (evictions, drains) may take down at once.
 */
import { defineResource, type FieldIssue, type ResourceOf } from '@keelson/core';
import { z } from 'zod';
import { metaConditionSchema } from './condition';
import { labelSelectorSchema } from './labelSelector';
import { int64, intOrPercent, nonNegativeInt32, time } from './primitives';

/** The condition the disruption controller keeps on every budget. */
export const DISRUPTION_ALLOWED_CONDITION = 'DisruptionAllowed';

/** Reasons of the `DisruptionAllowed` condition, as upstream names them. */
export const DisruptionAllowedReason = {
  /** `True`: at least one pod may be disrupted. */
  SufficientPods: 'SufficientPods',
  /** `False`: no pod may be disrupted now. */
  InsufficientPods: 'InsufficientPods',
  /** `False`: the controller could not compute the budget (e.g. a pod's controller is missing). */
  SyncFailed: 'SyncFailed',
} as const;

const POLICIES = ['IfHealthyBudget', 'AlwaysAllow'] as const;

/** A budget bound: a count, or a percentage of at most 100%. */
const budgetBound = intOrPercent.superRefine((value, ctx) => {
  if (typeof value === 'string' && /^[0-9]+%$/.test(value) && Number(value.slice(0, -1)) > 100) {
    ctx.addIssue({ code: 'custom', message: 'must not be greater than 100%' });
  }
});

/**
 * A budget's spec. At most one of `minAvailable` and `maxUnavailable`;
 * policy/v1 sets no default (a budget with neither allows no disruption).
 * An empty `selector` selects every pod of the namespace; a missing one none.
 * `unhealthyPodEvictionPolicy` (unset means `IfHealthyBudget`): whether
 * running pods that are not ready may be evicted only while the budget is
 * met (`IfHealthyBudget`) or always (`AlwaysAllow`).
 */
export const podDisruptionBudgetSpecSchema = z.object({
  minAvailable: budgetBound.exactOptional(),
  maxUnavailable: budgetBound.exactOptional(),
  selector: labelSelectorSchema.exactOptional(),
  unhealthyPodEvictionPolicy: z
    .enum(POLICIES, {
      error: (issue) =>
        `Unsupported value: ${JSON.stringify(issue.input)}: supported values: "AlwaysAllow", "IfHealthyBudget"`,
    })
    .exactOptional(),
});

/**
 * What the disruption controller observed. `disruptedPods` maps the pods the
 * eviction subresource let go (and the controller has not yet seen deleted)
 * to when they were let go; such pods do not count as healthy for 2 minutes.
 */
export const podDisruptionBudgetStatusSchema = z.object({
  observedGeneration: int64.exactOptional(),
  disruptedPods: z.record(z.string(), time).exactOptional(),
  disruptionsAllowed: nonNegativeInt32.default(0),
  currentHealthy: nonNegativeInt32.default(0),
  desiredHealthy: nonNegativeInt32.default(0),
  expectedPods: nonNegativeInt32.default(0),
  conditions: z.array(metaConditionSchema).exactOptional(),
});

function specIssues(pdb: { spec: z.output<typeof podDisruptionBudgetSpecSchema> }): FieldIssue[] {
  const { minAvailable, maxUnavailable } = pdb.spec;
  return minAvailable !== undefined && maxUnavailable !== undefined
    ? [{ path: 'spec', message: 'minAvailable and maxUnavailable cannot be both set' }]
    : [];
}

/**
 * The PodDisruptionBudget kind. A new budget's status is reset (only the
 * disruption controller and the eviction subresource write it); the spec may
 * change, which bumps the generation, and evictions wait (429) until the
 * controller has observed it.
 *
 * @example
 * ```ts
 * await store.create(PodDisruptionBudget, {
 *   metadata: { name: 'web', namespace: 'default' },
 *   spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
 * });
 * ```
 */
export const PodDisruptionBudget = defineResource({
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  namespaced: true,
  spec: podDisruptionBudgetSpecSchema,
  status: podDisruptionBudgetStatusSchema,
  strategy: {
    prepareForCreate: (pdb) => ({ ...pdb, status: podDisruptionBudgetStatusSchema.parse({}) }),
    validate: specIssues,
    validateUpdate: (_old, next) => specIssues(next),
  },
});
export type PodDisruptionBudget = ResourceOf<typeof PodDisruptionBudget>;
