/**
 * `apps/v1` StatefulSet: pods with stable names, ordinals and storage,
 * started, updated and removed in order.
 */
import { defineResource, type FieldIssue, type ResourceOf } from '@keelson/core';
import { z } from 'zod';
import { conditionSchema } from './condition';
import { labelSelectorSchema } from './labelSelector';
import { claimSpecIssues, persistentVolumeClaimSpecSchema } from './persistentVolumeClaim';
import { checkPodSpec, podSpecFieldsSchema } from './podSpec';
import { podTemplateSpecSchema } from './podTemplate';
import {
  int32,
  int64,
  intOrPercent,
  labelMap,
  nonNegativeInt32,
  scaledValue,
  stringMap,
  supportedValues,
} from './primitives';
import { jsonEqual, selectorImmutable, workloadIssues } from './workload';

/**
 * How a stateful set replaces pods: `RollingUpdate` (default; ordinals at or
 * above `partition`, default 0, from the highest down) or `OnDelete`.
 */
export const statefulSetUpdateStrategySchema = z
  .object({
    type: supportedValues(['RollingUpdate', 'OnDelete']).default('RollingUpdate'),
    rollingUpdate: z
      .object({ partition: nonNegativeInt32.exactOptional(), maxUnavailable: intOrPercent.exactOptional() })
      .exactOptional(),
  })
  .prefault({})
  .superRefine((strategy, ctx) => {
    if (strategy.type === 'OnDelete' && strategy.rollingUpdate !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['rollingUpdate'],
        message: "only allowed for updateStrategy 'RollingUpdate'",
      });
    }
    const maxUnavailable = strategy.rollingUpdate?.maxUnavailable;
    if (maxUnavailable !== undefined && scaledValue(maxUnavailable, 100, false) === 0) {
      ctx.addIssue({ code: 'custom', path: ['rollingUpdate', 'maxUnavailable'], message: 'must be greater than 0' });
    }
  })
  .transform((strategy) =>
    strategy.type === 'RollingUpdate'
      ? { ...strategy, rollingUpdate: { ...strategy.rollingUpdate, partition: strategy.rollingUpdate?.partition ?? 0 } }
      : strategy,
  );

const retention = supportedValues(['Retain', 'Delete']).default('Retain');

/** A claim template: claims named `<template>-<set>-<ordinal>` are made from it, one per pod. */
export const volumeClaimTemplateSchema = z.object({
  apiVersion: z.string().exactOptional(),
  kind: z.string().exactOptional(),
  metadata: z.object({
    name: z.string().min(1, { error: 'Required value' }),
    labels: labelMap.exactOptional(),
    annotations: stringMap.exactOptional(),
  }),
  spec: persistentVolumeClaimSpecSchema,
});

/**
 * A stateful set's spec, with `SetDefaults_StatefulSet`: `replicas` 1,
 * `podManagementPolicy` OrderedReady, `updateStrategy` RollingUpdate with
 * partition 0, `revisionHistoryLimit` 10, `minReadySeconds` 0, and claims
 * retained when the set is deleted or scaled down.
 */
export const statefulSetSpecSchema = z
  .object({
    replicas: nonNegativeInt32.default(1),
    selector: labelSelectorSchema,
    // The template's spec is checked below, where the claim templates' names are known.
    template: podTemplateSpecSchema.extend({ spec: podSpecFieldsSchema }),
    volumeClaimTemplates: z.array(volumeClaimTemplateSchema).exactOptional(),
    serviceName: z.string().exactOptional(),
    podManagementPolicy: supportedValues(['OrderedReady', 'Parallel']).default('OrderedReady'),
    updateStrategy: statefulSetUpdateStrategySchema,
    revisionHistoryLimit: nonNegativeInt32.default(10),
    minReadySeconds: nonNegativeInt32.default(0),
    persistentVolumeClaimRetentionPolicy: z.object({ whenDeleted: retention, whenScaled: retention }).prefault({}),
    ordinals: z.object({ start: nonNegativeInt32.default(0) }).exactOptional(),
  })
  .superRefine((spec, ctx) => {
    // Containers mount the claim templates' volumes too, which the controller adds to each pod.
    const claims = new Set((spec.volumeClaimTemplates ?? []).map((template) => template.metadata.name));
    const inTemplate: z.RefinementCtx = {
      ...ctx,
      addIssue: (issue) => {
        if (typeof issue === 'string') ctx.addIssue(issue);
        else ctx.addIssue({ ...issue, path: ['template', 'spec', ...(issue.path ?? [])] });
      },
    };
    checkPodSpec(spec.template.spec, inTemplate, claims);
  });

/** What the stateful set controller observed; counters default to 0. */
export const statefulSetStatusSchema = z.object({
  observedGeneration: int64.exactOptional(),
  replicas: int32.default(0),
  readyReplicas: int32.default(0),
  currentReplicas: int32.default(0),
  updatedReplicas: int32.default(0),
  availableReplicas: int32.default(0),
  currentRevision: z.string().exactOptional(),
  updateRevision: z.string().exactOptional(),
  collisionCount: int32.exactOptional(),
  conditions: z.array(conditionSchema).exactOptional(),
});

type StatefulSetSpec = z.output<typeof statefulSetSpecSchema>;

function specIssues(set: { spec: StatefulSetSpec }): FieldIssue[] {
  const issues = workloadIssues(set, 'statefulset');
  if (set.spec.template.spec.activeDeadlineSeconds !== undefined) {
    issues.push({
      path: 'spec.template.spec.activeDeadlineSeconds',
      message: 'Forbidden: activeDeadlineSeconds in StatefulSet is not Supported',
    });
  }
  const names = new Set<string>();
  (set.spec.volumeClaimTemplates ?? []).forEach((template, i) => {
    const path = `spec.volumeClaimTemplates[${i}]`;
    if (names.has(template.metadata.name)) {
      issues.push({ path: `${path}.metadata.name`, message: `Duplicate value: "${template.metadata.name}"` });
    }
    names.add(template.metadata.name);
    issues.push(...claimSpecIssues(template.spec, `${path}.spec`));
  });
  return issues;
}

/** The fields an update may change; the rest of the spec is fixed. */
const MUTABLE = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
] as const;

function updateIssues(old: { spec: StatefulSetSpec }, next: { spec: StatefulSetSpec }): FieldIssue[] {
  const fixed = (spec: StatefulSetSpec) => {
    const rest: Record<string, unknown> = { ...spec };
    for (const field of [...MUTABLE, 'selector']) delete rest[field];
    return rest;
  };
  const issues = selectorImmutable(old, next);
  if (!jsonEqual(fixed(old.spec), fixed(next.spec))) {
    issues.push({
      path: 'spec',
      message:
        "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    });
  }
  return [...issues, ...specIssues(next)];
}

/**
 * The StatefulSet kind, with a `scale` subresource. Its selector must match
 * the template's labels and never changes; the template's `restartPolicy`
 * must be Always; claim templates follow the claim rules; an update may
 * change only replicas, ordinals, the template, the update strategy, the
 * history limit, the claim retention policy and minReadySeconds. A new
 * stateful set's status is reset.
 *
 * @example
 * ```ts
 * const db = await store.create(StatefulSet, {
 *   metadata: { name: 'db', namespace: 'default' },
 *   spec: {
 *     serviceName: 'db',
 *     replicas: 3,
 *     selector: { matchLabels: { app: 'db' } },
 *     template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
 *     volumeClaimTemplates: [
 *       { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
 *     ],
 *   },
 * });
 * db.spec.updateStrategy; // { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }
 * ```
 */
export const StatefulSet = defineResource({
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  namespaced: true,
  scale: {
    specReplicasPath: '.spec.replicas',
    statusReplicasPath: '.status.replicas',
    labelSelectorPath: '.spec.selector',
  },
  spec: statefulSetSpecSchema,
  status: statefulSetStatusSchema,
  strategy: {
    prepareForCreate: (set) => ({ ...set, status: statefulSetStatusSchema.parse({}) }),
    validate: specIssues,
    validateUpdate: updateIssues,
  },
});
export type StatefulSet = ResourceOf<typeof StatefulSet>;
