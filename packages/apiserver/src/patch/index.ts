/**
 * The four patch types of Kubernetes' API, as pure functions on plain JSON objects:
 * JSON patch, merge patch, strategic merge patch (with the built-in kinds' merge
 * keys) and server-side apply with `metadata.managedFields`. A bad patch throws an
 * InvalidError; apply conflicts are returned, and `applyConflictError` makes the 409.
 */

export { applyJsonPatch } from './jsonPatch';
export type { ApplyConflict } from './managedFields/applyConflict';
export { applyConflictError, applyConflictMessage } from './managedFields/applyConflict';
export type { ManagedFieldsEntry } from './managedFields/managedFieldsEntry';
export type { RecordUpdateOptions } from './managedFields/recordUpdate';
export { recordUpdate } from './managedFields/recordUpdate';
export type { ServerSideApplyOptions, ServerSideApplyResult } from './managedFields/serverSideApply';
export { serverSideApply } from './managedFields/serverSideApply';
export { applyMergePatch } from './mergePatch';
export type { MergeSchema } from './mergeSchema';
export { applyStrategicMergePatch, strategicMergeSchemaFor } from './strategicMergePatch';

/** The Content-Type of a PATCH request → the patch type it selects. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  const base = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  switch (base) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+json':
      return 'apply';
    default:
      return undefined;
  }
}
