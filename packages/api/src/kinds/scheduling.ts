/**
 * Where a pod may run: affinity (node, pod and anti-affinity, in Kubernetes'
 * shape), taints on nodes and the tolerations that let pods ignore them,
 * and topology spread constraints.
 */
import { z } from 'zod';
import { labelSelectorSchema } from './labelSelector';
import { int32, int64, time } from './primitives';

const weight = int32.min(1, { error: 'must be in the range 1-100' }).max(100, { error: 'must be in the range 1-100' });

/** One requirement on a node's labels (or fields): `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt`. */
export const nodeSelectorRequirementSchema = z.object({
  key: z.string().min(1),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']),
  values: z.array(z.string()).exactOptional(),
});

/** Requirements that must all hold (ANDed). */
export const nodeSelectorTermSchema = z.object({
  matchExpressions: z.array(nodeSelectorRequirementSchema).exactOptional(),
  matchFields: z.array(nodeSelectorRequirementSchema).exactOptional(),
});

/** Terms of which at least one must hold (ORed). */
export const nodeSelectorSchema = z.object({ nodeSelectorTerms: z.array(nodeSelectorTermSchema) });

/** Which nodes a pod must (required) or would rather (preferred, weighted) run on. */
export const nodeAffinitySchema = z.object({
  requiredDuringSchedulingIgnoredDuringExecution: nodeSelectorSchema.exactOptional(),
  preferredDuringSchedulingIgnoredDuringExecution: z
    .array(z.object({ weight, preference: nodeSelectorTermSchema }))
    .exactOptional(),
});

/** Pods (chosen by label selector and namespaces) that share a topology domain (`topologyKey`). */
export const podAffinityTermSchema = z.object({
  labelSelector: labelSelectorSchema.exactOptional(),
  namespaces: z.array(z.string()).exactOptional(),
  topologyKey: z.string().min(1, { error: 'can not be empty' }),
  namespaceSelector: labelSelectorSchema.exactOptional(),
  matchLabelKeys: z.array(z.string()).exactOptional(),
  mismatchLabelKeys: z.array(z.string()).exactOptional(),
});

/** A preferred pod affinity term and its weight (1-100). */
export const weightedPodAffinityTermSchema = z.object({ weight, podAffinityTerm: podAffinityTermSchema });

const podAffinityShape = {
  requiredDuringSchedulingIgnoredDuringExecution: z.array(podAffinityTermSchema).exactOptional(),
  preferredDuringSchedulingIgnoredDuringExecution: z.array(weightedPodAffinityTermSchema).exactOptional(),
};

/** Run near pods matching the terms. */
export const podAffinitySchema = z.object(podAffinityShape);

/** Run away from pods matching the terms. */
export const podAntiAffinitySchema = z.object(podAffinityShape);

/** A pod's scheduling constraints. */
export const affinitySchema = z.object({
  nodeAffinity: nodeAffinitySchema.exactOptional(),
  podAffinity: podAffinitySchema.exactOptional(),
  podAntiAffinity: podAntiAffinitySchema.exactOptional(),
});

/** What a taint does to pods that do not tolerate it. */
export const taintEffectSchema = z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

/** A taint on a node: repels pods that do not tolerate it. */
export const taintSchema = z.object({
  key: z.string().min(1),
  value: z.string().exactOptional(),
  effect: taintEffectSchema,
  timeAdded: time.exactOptional(),
});

/**
 * A pod's toleration of matching taints. `operator` defaults to `Equal`; an
 * empty `key` with `Exists` tolerates everything; `tolerationSeconds` (only
 * with `NoExecute`) bounds how long the pod stays once tainted.
 */
export const tolerationSchema = z
  .object({
    key: z.string().exactOptional(),
    operator: z.enum(['Equal', 'Exists']).default('Equal'),
    value: z.string().exactOptional(),
    effect: taintEffectSchema.exactOptional(),
    tolerationSeconds: int64.exactOptional(),
  })
  .superRefine((toleration, ctx) => {
    if (!toleration.key && toleration.operator !== 'Exists') {
      ctx.addIssue({
        code: 'custom',
        path: ['operator'],
        message: 'operator must be Exists when `key` is empty, which means "match all values and all keys"',
      });
    }
    if (toleration.operator === 'Exists' && toleration.value) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: "value must be empty when `operator` is 'Exists'" });
    }
    if (toleration.tolerationSeconds !== undefined && toleration.effect !== 'NoExecute') {
      ctx.addIssue({
        code: 'custom',
        path: ['effect'],
        message: "effect must be 'NoExecute' when `tolerationSeconds` is set",
      });
    }
  });

/** How pods spread across topology domains (zones, nodes). */
export const topologySpreadConstraintSchema = z.object({
  maxSkew: int32.min(1, { error: 'must be greater than zero' }),
  topologyKey: z.string().min(1),
  whenUnsatisfiable: z.enum(['DoNotSchedule', 'ScheduleAnyway']),
  labelSelector: labelSelectorSchema.exactOptional(),
  minDomains: int32.min(1).exactOptional(),
  nodeAffinityPolicy: z.enum(['Honor', 'Ignore']).exactOptional(),
  nodeTaintsPolicy: z.enum(['Honor', 'Ignore']).exactOptional(),
  matchLabelKeys: z.array(z.string()).exactOptional(),
});

/** A taint as stored. */
export type Taint = z.output<typeof taintSchema>;
/** A toleration as stored. */
export type Toleration = z.output<typeof tolerationSchema>;
/** Affinity as stored. */
export type Affinity = z.output<typeof affinitySchema>;
