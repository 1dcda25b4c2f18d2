/**
 * `apps/v1` ControllerRevision: an immutable snapshot of the state a
 * controller rolls out (a StatefulSet's or DaemonSet's pod template), kept
 * for history and rollback.
 */
import { defineResource, type FieldIssue, type ResourceOf } from '@keelson/core';
import { z } from 'zod';
import { jsonEqual } from './workload';

/**
 * A ControllerRevision's top-level fields (it has no spec or status): the
 * serialized state in `data` (any JSON object, as Kubernetes'
 * `runtime.RawExtension`) and its `revision` number.
 */
export const controllerRevisionFieldsSchema = z.object({
  data: z.record(z.string(), z.unknown()).exactOptional(),
  revision: z.int().min(0, { error: 'must be greater than or equal to 0' }),
});

type ControllerRevisionFields = z.output<typeof controllerRevisionFieldsSchema>;

function updateIssues(old: ControllerRevisionFields, next: ControllerRevisionFields): FieldIssue[] {
  // ValidateControllerRevisionUpdate: the data of a revision never changes; only its revision number may.
  return jsonEqual(old.data ?? null, next.data ?? null)
    ? []
    : [{ path: 'data', message: 'Invalid value: field is immutable' }];
}

/**
 * The ControllerRevision kind. `revision` is required and not negative;
 * `data` is immutable once created (only `revision` and metadata may change).
 *
 * @example
 * ```ts
 * const rev = await store.create(ControllerRevision, {
 *   metadata: { name: 'web-7b9f5c8d4', namespace: 'default' },
 *   data: { spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [] } } } },
 *   revision: 1,
 * });
 * rev.revision; // 1
 * ```
 */
export const ControllerRevision = defineResource({
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  namespaced: true,
  root: controllerRevisionFieldsSchema,
  strategy: { validateUpdate: updateIssues },
});
export type ControllerRevision = ResourceOf<typeof ControllerRevision>;
