/**
 * `apps/v1` ReplicaSet: keeps a number of identical pods running.
 */
import { defineResource, type ResourceOf } from '@keelson/core';
import { z } from 'zod';
import { conditionSchema } from './condition';
import { labelSelectorSchema } from './labelSelector';
import { podTemplateSpecSchema } from './podTemplate';
import { int32, int64, nonNegativeInt32 } from './primitives';
import { selectorImmutable, workloadIssues } from './workload';

/** A replica set's spec; `replicas` defaults to 1 and `minReadySeconds` to 0. */
export const replicaSetSpecSchema = z.object({
  replicas: nonNegativeInt32.default(1),
  minReadySeconds: nonNegativeInt32.default(0),
  selector: labelSelectorSchema,
  template: podTemplateSpecSchema,
});

/** What the replica set controller observed; counters default to 0. */
export const replicaSetStatusSchema = z.object({
  replicas: int32.default(0),
  fullyLabeledReplicas: int32.default(0),
  readyReplicas: int32.default(0),
  availableReplicas: int32.default(0),
  terminatingReplicas: int32.exactOptional(),
  observedGeneration: int64.exactOptional(),
  conditions: z.array(conditionSchema).exactOptional(),
});

/**
 * The ReplicaSet kind. Its selector must match the template's labels and
 * never changes; the template's `restartPolicy` must be Always; a new
 * replica set's status is reset. `status.replicas` is selectable.
 */
export const ReplicaSet = defineResource({
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  namespaced: true,
  scale: {
    specReplicasPath: '.spec.replicas',
    statusReplicasPath: '.status.replicas',
    labelSelectorPath: '.spec.selector',
  },
  spec: replicaSetSpecSchema,
  status: replicaSetStatusSchema,
  fields: { 'status.replicas': { get: (rs) => String(rs.status?.replicas ?? 0) } },
  strategy: {
    prepareForCreate: (rs) => ({ ...rs, status: replicaSetStatusSchema.parse({}) }),
    validate: (rs) => workloadIssues(rs, 'replicaset'),
    validateUpdate: (old, next) => [...selectorImmutable(old, next), ...workloadIssues(next, 'replicaset')],
  },
});
export type ReplicaSet = ResourceOf<typeof ReplicaSet>;
