/**
 * `apps/v1` Deployment: declarative rollouts of a pod template through replica sets.
 */
import { defineResource, type ResourceOf } from '@keelson/core';
import { z } from 'zod';
import { deploymentConditionSchema } from './condition';
import { labelSelectorSchema } from './labelSelector';
import { podTemplateSpecSchema } from './podTemplate';
import { int32, int64, intOrPercent, nonNegativeInt32, scaledValue } from './primitives';
import { selectorImmutable, workloadIssues } from './workload';

/**
 * How a deployment replaces pods: `RollingUpdate` (default; at most
 * `maxUnavailable` below and `maxSurge` above the desired count, both
 * default `'25%'`) or `Recreate` (all old pods go first).
 */
export const deploymentStrategySchema = z
  .object({
    type: z.enum(['RollingUpdate', 'Recreate']).default('RollingUpdate'),
    rollingUpdate: z
      .object({ maxUnavailable: intOrPercent.exactOptional(), maxSurge: intOrPercent.exactOptional() })
      .exactOptional(),
  })
  .prefault({})
  .superRefine((strategy, ctx) => {
    if (strategy.type === 'Recreate' && strategy.rollingUpdate !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['rollingUpdate'],
        message: "may not be specified when strategy `type` is 'Recreate'",
      });
    }
  })
  .transform((strategy) => {
    if (strategy.type !== 'RollingUpdate') return strategy;
    const { maxUnavailable = '25%', maxSurge = '25%' } = strategy.rollingUpdate ?? {};
    return { ...strategy, rollingUpdate: { maxUnavailable, maxSurge } };
  })
  .superRefine((strategy, ctx) => {
    const rolling = strategy.rollingUpdate;
    if (rolling === undefined) return;
    const { maxUnavailable, maxSurge } = rolling;
    if (typeof maxUnavailable === 'string' && scaledValue(maxUnavailable, 100, false) > 100) {
      ctx.addIssue({
        code: 'custom',
        path: ['rollingUpdate', 'maxUnavailable'],
        message: 'must not be greater than 100%',
      });
    }
    if (scaledValue(maxUnavailable ?? 0, 100, false) === 0 && scaledValue(maxSurge ?? 0, 100, false) === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['rollingUpdate', 'maxUnavailable'],
        message: 'may not be 0 when `maxSurge` is 0',
      });
    }
  });

/**
 * A deployment's spec, with `SetDefaults_Deployment`: `replicas` 1,
 * the strategy defaults, `revisionHistoryLimit` 10,
 * `progressDeadlineSeconds` 600, `minReadySeconds` 0.
 */
export const deploymentSpecSchema = z
  .object({
    replicas: nonNegativeInt32.default(1),
    selector: labelSelectorSchema,
    template: podTemplateSpecSchema,
    strategy: deploymentStrategySchema,
    minReadySeconds: nonNegativeInt32.default(0),
    revisionHistoryLimit: nonNegativeInt32.default(10),
    paused: z.boolean().exactOptional(),
    progressDeadlineSeconds: int32.min(1).default(600),
  })
  .superRefine((spec, ctx) => {
    if (spec.progressDeadlineSeconds <= spec.minReadySeconds) {
      ctx.addIssue({
        code: 'custom',
        path: ['progressDeadlineSeconds'],
        message: 'must be greater than minReadySeconds',
      });
    }
  });

/** What the deployment controller observed; counters default to 0. */
export const deploymentStatusSchema = z.object({
  observedGeneration: int64.exactOptional(),
  replicas: int32.default(0),
  updatedReplicas: int32.default(0),
  readyReplicas: int32.default(0),
  availableReplicas: int32.default(0),
  unavailableReplicas: int32.default(0),
  terminatingReplicas: int32.exactOptional(),
  conditions: z.array(deploymentConditionSchema).exactOptional(),
  collisionCount: int32.exactOptional(),
});

/**
 * The Deployment kind. Its selector must match the template's labels and
 * never changes; the template's `restartPolicy` must be Always; a new
 * deployment's status is reset.
 *
 * @example
 * ```ts
 * const d = await store.create(Deployment, {
 *   metadata: { name: 'web', namespace: 'default' },
 *   spec: {
 *     selector: { matchLabels: { app: 'web' } },
 *     template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
 *   },
 * });
 * d.spec.strategy; // { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }
 * ```
 */
export const Deployment = defineResource({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  namespaced: true,
  scale: {
    specReplicasPath: '.spec.replicas',
    statusReplicasPath: '.status.replicas',
    labelSelectorPath: '.spec.selector',
  },
  spec: deploymentSpecSchema,
  status: deploymentStatusSchema,
  strategy: {
    prepareForCreate: (deployment) => ({ ...deployment, status: deploymentStatusSchema.parse({}) }),
    validate: (deployment) => workloadIssues(deployment, 'deployment'),
    validateUpdate: (old, next) => [...selectorImmutable(old, next), ...workloadIssues(next, 'deployment')],
  },
});
export type Deployment = ResourceOf<typeof Deployment>;
