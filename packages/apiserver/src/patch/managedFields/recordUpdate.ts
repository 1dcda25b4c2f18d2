import { isJsonObject, type JsonObject } from '../jsonValue';
import type { MergeSchema } from '../mergeSchema';
import { type Manager, readManagers, sameManager } from './managedFieldsEntry';
import { withManagedFields } from './serverSideApply';
import { diffTracked, isEmptyDiff } from './trackedFields';

export interface RecordUpdateOptions {
  /** The stored object before the write; undefined on create. */
  before: Record<string, unknown> | undefined;
  /** The object about to be stored. */
  after: Record<string, unknown>;
  /** Who writes: the `fieldManager` parameter, else derived from the user agent (e.g. `kubectl-client-side-apply`). */
  manager: string;
  /** The write's time, RFC 3339. */
  now: string;
  /** The apiVersion the client wrote with. */
  apiVersion: string;
  /** The subresource written (`status`, `scale`), if any. */
  subresource?: string | undefined;
  /** Merge keys of the kind, as for `serverSideApply`. */
  schema?: MergeSchema | undefined;
}

/**
 * Records a write that is not an apply (create, update, patch) in
 * `metadata.managedFields` as Kubernetes does: the writer's `Update` entry
 * takes every field the write added or changed, silently taking it from other
 * managers, and fields the write removed leave every manager. So an apply that
 * later sets such a field to another value conflicts with this writer. The
 * managedFields of `after` are used when it carries a list (a client may
 * rewrite them), else those of `before`. Returns `after` with the entries.
 */
export function recordUpdate(options: RecordUpdateOptions): Record<string, unknown> {
  const { before, after, manager, now, apiVersion, schema } = options;
  const subresource = options.subresource ?? '';
  const source =
    isJsonObject(after.metadata) && Array.isArray(after.metadata.managedFields) ? after.metadata : before?.metadata;
  const managers = readManagers(source);
  const diff = diffTracked(before, after as JsonObject, subresource, schema);
  if (isEmptyDiff(diff)) return withManagedFields(after, managers);
  const changed = diff.added.union(diff.modified);
  const identity = { manager, operation: 'Update' as const, apiVersion, subresource };
  const previous = managers.find((m) => sameManager(m, identity));
  const others: Manager[] = managers
    .filter((m) => m !== previous)
    .map((m) => ({ ...m, fields: m.fields.difference(changed).difference(diff.removed) }));
  const mine: Manager = {
    ...identity,
    time: now,
    fields: (previous?.fields.union(changed) ?? changed).difference(diff.removed),
  };
  return withManagedFields(after, [...others, mine]);
}
