import { z } from 'zod';
import { labelKeyProblems, labelValueProblems } from '../selectors/index';

/** A reference from a dependent to its owner (garbage collection, controllers). */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  /** At most one owner reference is the managing controller. */
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Which fields one manager owns, as Kubernetes' server-side apply records it (`fieldsV1`). */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** Kubernetes' ObjectMeta: what every object carries, set and guarded by the store. */
export interface ObjectMeta {
  name: string;
  generateName?: string;
  /** Set for namespaced kinds, absent for cluster-scoped ones. */
  namespace?: string;
  uid: string;
  /** The decimal log revision of the object's last change. */
  resourceVersion: string;
  /** Bumped when the desired state (spec) changes. */
  generation: number;
  creationTimestamp: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  /** Field ownership for server-side apply; kept as written (an update without it keeps the stored one). */
  managedFields?: ManagedFieldsEntry[];
}

/** Metadata as callers write it (properties set to `undefined` count as unset): the store fills in or guards the rest. */
export interface ObjectMetaInput {
  name?: string | undefined;
  generateName?: string | undefined;
  namespace?: string | undefined;
  uid?: string | undefined;
  resourceVersion?: string | undefined;
  generation?: number | undefined;
  creationTimestamp?: string | undefined;
  deletionTimestamp?: string | undefined;
  deletionGracePeriodSeconds?: number | undefined;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
  ownerReferences?: OwnerReference[] | undefined;
  finalizers?: string[] | undefined;
  managedFields?: ManagedFieldsEntry[] | undefined;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** How a kind's names are checked: DNS-1123 subdomain (most kinds, ≤ 253) or label (≤ 63). */
export type NameRule = 'subdomain' | 'label';

/** Why `name` is not a valid name under `rule`, or undefined when it is. */
export function invalidName(name: string, rule: NameRule): string | undefined {
  const max = rule === 'label' ? 63 : 253;
  if (name.length > max) return `must be no more than ${max} characters`;
  const pattern = rule === 'label' ? DNS1123_LABEL : DNS1123_SUBDOMAIN;
  if (!pattern.test(name)) {
    return rule === 'label'
      ? "must consist of lower case alphanumeric characters or '-', and start and end with an alphanumeric character"
      : "must consist of lower case alphanumeric characters, '-' or '.', and start and end with an alphanumeric character";
  }
  return undefined;
}

const labels = z.record(z.string(), z.string()).superRefine((value, ctx) => {
  for (const [key, v] of Object.entries(value)) {
    for (const problem of labelKeyProblems(key))
      ctx.addIssue({ code: 'custom', path: [key], message: `label key ${problem}` });
    for (const problem of labelValueProblems(v))
      ctx.addIssue({ code: 'custom', path: [key], message: `label value ${problem}` });
  }
});

const ownerReference = z.object({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  name: z.string().min(1),
  uid: z.string().min(1),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});

/** @internal The schema of metadata input; names are checked by the store per kind. */
export const objectMetaInputSchema = z.object({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().int().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  deletionGracePeriodSeconds: z.number().int().optional(),
  labels: labels.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  ownerReferences: z
    .array(ownerReference)
    .refine((refs) => refs.filter((r) => r.controller === true).length <= 1, {
      error: 'only one owner reference can have controller set to true',
    })
    .optional(),
  finalizers: z.array(z.string().min(1)).optional(),
  managedFields: z
    .array(
      z.object({
        manager: z.string(),
        operation: z.enum(['Apply', 'Update']),
        apiVersion: z.string(),
        time: z.string().optional(),
        fieldsType: z.literal('FieldsV1'),
        fieldsV1: z.record(z.string(), z.unknown()),
        subresource: z.string().optional(),
      }),
    )
    .optional(),
});
