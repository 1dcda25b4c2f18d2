/**
 * `storage.k8s.io/v1` StorageClass: a kind of storage claims may ask for,
 * and the provisioner that makes volumes of it.
 */
import { defineResource, type FieldIssue, labelKeyProblems, type ResourceOf } from '@keelson/core';
import { z } from 'zod';
import { supportedValues } from './primitives';
import { jsonEqual } from './workload';

/** Topology a class's volumes may be provisioned in: terms of label keys and the values allowed. */
export const topologySelectorTermSchema = z.object({
  matchLabelExpressions: z
    .array(
      z.object({
        key: z.string().min(1, { error: 'Required value' }),
        values: z.array(z.string()).min(1, { error: 'Required value: must specify as least one value' }),
      }),
    )
    .exactOptional(),
});

/**
 * A StorageClass's top-level fields, with `SetDefaults_StorageClass`:
 * `reclaimPolicy` Delete and `volumeBindingMode` Immediate.
 */
export const storageClassFieldsSchema = z.object({
  provisioner: z
    .string({ error: (issue) => (issue.input === undefined ? 'Required value' : undefined) })
    .min(1, { error: 'Required value' }),
  parameters: z.record(z.string(), z.string()).exactOptional(),
  reclaimPolicy: supportedValues(['Delete', 'Retain']).default('Delete'),
  allowVolumeExpansion: z.boolean().exactOptional(),
  mountOptions: z.array(z.string()).exactOptional(),
  volumeBindingMode: supportedValues(['Immediate', 'WaitForFirstConsumer']).default('Immediate'),
  allowedTopologies: z.array(topologySelectorTermSchema).exactOptional(),
});

type StorageClassFields = z.output<typeof storageClassFieldsSchema>;

const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_BYTES = 256 * 1024;

function storageClassIssues(storageClass: StorageClassFields): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const problem of labelKeyProblems(storageClass.provisioner.toLowerCase())) {
    issues.push({ path: 'provisioner', message: problem });
  }
  const parameters = Object.entries(storageClass.parameters ?? {});
  if (parameters.length > MAX_PARAMETERS) {
    issues.push({ path: 'parameters', message: `Too many: ${parameters.length}: must have at most 512 items` });
  }
  let bytes = 0;
  for (const [key, value] of parameters) {
    if (key === '') issues.push({ path: 'parameters', message: 'Invalid value: "": field can not be empty.' });
    bytes += key.length + value.length;
  }
  if (bytes > MAX_PARAMETERS_BYTES) {
    issues.push({ path: 'parameters', message: `Too long: may not be more than ${MAX_PARAMETERS_BYTES} bytes` });
  }
  return issues;
}

function forbidden(field: keyof StorageClassFields): FieldIssue {
  return { path: field, message: `Forbidden: updates to ${field} are forbidden.` };
}

/**
 * The StorageClass kind (cluster-scoped). `provisioner` is required (a
 * qualified name such as `csi.example.dev`); `provisioner`, `parameters`,
 * `reclaimPolicy` and `volumeBindingMode` never change.
 *
 * @example
 * ```ts
 * const fast = await store.create(StorageClass, {
 *   metadata: { name: 'fast' },
 *   provisioner: 'csi.example.dev',
 *   volumeBindingMode: 'WaitForFirstConsumer',
 *   allowVolumeExpansion: true,
 * });
 * fast.reclaimPolicy; // 'Delete'
 * ```
 */
export const StorageClass = defineResource({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  plural: 'storageclasses',
  namespaced: false,
  root: storageClassFieldsSchema,
  strategy: {
    validate: storageClassIssues,
    validateUpdate: (old, next) => [
      ...(old.provisioner === next.provisioner ? [] : [forbidden('provisioner')]),
      ...(jsonEqual(old.parameters ?? {}, next.parameters ?? {}) ? [] : [forbidden('parameters')]),
      ...(old.reclaimPolicy === next.reclaimPolicy ? [] : [forbidden('reclaimPolicy')]),
      ...(old.volumeBindingMode === next.volumeBindingMode
        ? []
        : [{ path: 'volumeBindingMode', message: 'field is immutable' }]),
      ...storageClassIssues(next),
    ],
  },
});
export type StorageClass = ResourceOf<typeof StorageClass>;
