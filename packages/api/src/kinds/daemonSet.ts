/**
 * `apps/v1` DaemonSet: one pod on every (matching) node.
 */
import { defineResource, type ResourceOf } from '@keelson/core';
import { z } from 'zod';
import { conditionSchema } from './condition';
import { labelSelectorSchema } from './labelSelector';
import { podTemplateSpecSchema } from './podTemplate';
import { int32, int64, intOrPercent, nonNegativeInt32, scaledValue } from './primitives';
import { selectorImmutable, workloadIssues } from './workload';

/**
 * How a daemon set replaces pods: `RollingUpdate` (default; `maxUnavailable`
 * default 1, `maxSurge` default 0) or `OnDelete` (only when pods are deleted).
 */
export const daemonSetUpdateStrategySchema = z
  .object({
    type: z.enum(['RollingUpdate', 'OnDelete']).default('RollingUpdate'),
    rollingUpdate: z
      .object({ maxUnavailable: intOrPercent.exactOptional(), maxSurge: intOrPercent.exactOptional() })
      .exactOptional(),
  })
  .prefault({})
  .transform((strategy) => {
    if (strategy.type !== 'RollingUpdate') return strategy;
    const { maxUnavailable = 1, maxSurge = 0 } = strategy.rollingUpdate ?? {};
    return { ...strategy, rollingUpdate: { maxUnavailable, maxSurge } };
  })
  .superRefine((strategy, ctx) => {
    const rolling = strategy.rollingUpdate;
    if (rolling === undefined) return;
    if (
      scaledValue(rolling.maxUnavailable ?? 0, 100, false) === 0 &&
      scaledValue(rolling.maxSurge ?? 0, 100, false) === 0
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['rollingUpdate', 'maxUnavailable'],
        message: 'may not be 0 when `maxSurge` is 0',
      });
    }
  });

/** A daemon set's spec; `revisionHistoryLimit` defaults to 10 and `minReadySeconds` to 0. */
export const daemonSetSpecSchema = z.object({
  selector: labelSelectorSchema,
  template: podTemplateSpecSchema,
  updateStrategy: daemonSetUpdateStrategySchema,
  minReadySeconds: nonNegativeInt32.default(0),
  revisionHistoryLimit: nonNegativeInt32.default(10),
});

/** What the daemon set controller observed; counters default to 0. */
export const daemonSetStatusSchema = z.object({
  currentNumberScheduled: int32.default(0),
  numberMisscheduled: int32.default(0),
  desiredNumberScheduled: int32.default(0),
  numberReady: int32.default(0),
  observedGeneration: int64.exactOptional(),
  updatedNumberScheduled: int32.default(0),
  numberAvailable: int32.default(0),
  numberUnavailable: int32.default(0),
  collisionCount: int32.exactOptional(),
  conditions: z.array(conditionSchema).exactOptional(),
});

/**
 * The DaemonSet kind. Its selector must match the template's labels and
 * never changes; the template's `restartPolicy` must be Always; a new
 * daemon set's status is reset.
 */
export const DaemonSet = defineResource({
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  plural: 'daemonsets',
  namespaced: true,
  spec: daemonSetSpecSchema,
  status: daemonSetStatusSchema,
  strategy: {
    prepareForCreate: (ds) => ({ ...ds, status: daemonSetStatusSchema.parse({}) }),
    validate: (ds) => workloadIssues(ds, 'daemonset'),
    validateUpdate: (old, next) => [...selectorImmutable(old, next), ...workloadIssues(next, 'daemonset')],
  },
});
export type DaemonSet = ResourceOf<typeof DaemonSet>;
