import { InvalidError } from '@keelson/core';
import { isJsonObject, type JsonObject, withEntry, withoutEntry } from '../jsonValue';
import type { MergeSchema } from '../mergeSchema';
import type { ApplyConflict } from './applyConflict';
import { mergeApplied, removeField } from './applyMerge';
import { collectFields, fieldSetOf } from './collectFields';
import { type FieldSet, formatFieldPath } from './fieldSet';
import { type Manager, readManagers, sameManager, writeManagers } from './managedFieldsEntry';
import { appliedPart, diffTracked, isEmptyDiff } from './trackedFields';

export interface ServerSideApplyOptions {
  /** The stored object, or undefined when the apply creates it. */
  live: Record<string, unknown> | undefined;
  /** The configuration the client applies (`application/apply-patch+yaml`, parsed). */
  applied: Record<string, unknown>;
  /** The `fieldManager` query parameter (required for apply). */
  fieldManager: string;
  /** The `force` query parameter: take conflicting fields over instead of failing. */
  force: boolean;
  /** The write's time, RFC 3339, for the manager's entry. */
  now: string;
  /** `status` when applying to the status subresource. */
  subresource?: string | undefined;
  /** Merge keys of the kind (`strategicMergeSchemaFor`); without one every list is atomic, as for CRDs. */
  schema?: MergeSchema | undefined;
}

export interface ServerSideApplyResult {
  /** The object to store, with `metadata.managedFields` updated; the live object when there are conflicts. */
  object: Record<string, unknown>;
  /** Fields other managers own that the apply would change; non-empty means nothing may be written unless forced. */
  conflicts: ApplyConflict[];
}

/**
 * Server-side apply (`application/apply-patch+yaml`): merges the applied
 * configuration into the live object and records in `metadata.managedFields`
 * that `fieldManager` owns every field it applied. A field another manager
 * owns and the apply would change is a conflict (the object is returned
 * unchanged) unless `force`, which moves the field to the applier. Fields the
 * manager applied before but no longer applies are removed unless another
 * manager owns them; fields it never mentioned are left alone. Throw
 * `applyConflictError(result.conflicts)` to answer a conflict as Kubernetes does.
 *
 * @example
 * ```ts
 * const { object, conflicts } = serverSideApply({ live, applied, fieldManager: 'kubectl', force: false, now, schema: strategicMergeSchemaFor('apps/v1', 'Deployment') });
 * if (conflicts.length > 0) throw applyConflictError(conflicts);
 * ```
 */
export function serverSideApply(options: ServerSideApplyOptions): ServerSideApplyResult {
  const { live, applied, fieldManager, force, now, schema } = options;
  const subresource = options.subresource ?? '';
  checkApplied(applied, fieldManager);
  const part = appliedPart(applied, subresource);
  const appliedFields = fieldSetOf(collectFields(withoutIdentity(part), schema, true));
  const identity = {
    manager: fieldManager,
    operation: 'Apply' as const,
    apiVersion: String(applied.apiVersion ?? ''),
    subresource,
  };
  const managers = readManagers(live?.metadata);
  const previous = managers.find((m) => sameManager(m, identity));
  const others = managers.filter((m) => m !== previous);

  let merged = mergeApplied(live ?? {}, part, schema) as JsonObject;
  // Shortest paths first: a removed list item takes its fields with it.
  const dropped = [...(previous?.fields.difference(appliedFields) ?? [])].sort((a, b) => a.length - b.length);
  for (const path of dropped) {
    if (!others.some((m) => m.fields.coversOrBelow(path))) merged = removeField(merged, path, schema) as JsonObject;
  }

  const diff = diffTracked(live, merged, subresource, schema);
  const changed = diff.added.union(diff.modified);
  const conflicts = others.flatMap((m) => conflictsOf(m, m.fields.intersection(changed)));
  if (conflicts.length > 0 && !force) return { object: live ?? merged, conflicts: sortConflicts(conflicts) };

  const kept = others.map((m) => ({ ...m, fields: m.fields.difference(changed).difference(diff.removed) }));
  const unchanged = previous?.fields.equals(appliedFields) === true && isEmptyDiff(diff);
  const mine: Manager = { ...identity, time: unchanged ? (previous?.time ?? now) : now, fields: appliedFields };
  return { object: withManagedFields(merged, [...kept, mine]), conflicts: [] };
}

function checkApplied(applied: Record<string, unknown>, fieldManager: string): void {
  if (fieldManager === '') throw new InvalidError('fieldManager is required for apply requests');
  const managedFields = isJsonObject(applied.metadata) ? applied.metadata.managedFields : undefined;
  if (
    managedFields !== undefined &&
    managedFields !== null &&
    !(Array.isArray(managedFields) && managedFields.length === 0)
  ) {
    throw new InvalidError('metadata.managedFields must be nil in an applied configuration');
  }
}

/** The applied part without `apiVersion`, `kind` and `metadata.name` / `namespace`: they identify the object and are nobody's fields. */
function withoutIdentity(applied: JsonObject): JsonObject {
  const part = withoutEntry(withoutEntry(applied, 'apiVersion'), 'kind');
  if (!isJsonObject(part.metadata)) return part;
  const metadata = withoutEntry(withoutEntry(part.metadata, 'name'), 'namespace');
  return Object.keys(metadata).length > 0 ? withEntry(part, 'metadata', metadata) : withoutEntry(part, 'metadata');
}

function conflictsOf(manager: Manager, fields: FieldSet): ApplyConflict[] {
  return [...fields].map((path) => {
    const conflict: ApplyConflict = {
      manager: manager.manager,
      field: formatFieldPath(path),
      operation: manager.operation,
      apiVersion: manager.apiVersion,
    };
    if (manager.subresource !== '') conflict.subresource = manager.subresource;
    return conflict;
  });
}

function sortConflicts(conflicts: ApplyConflict[]): ApplyConflict[] {
  return conflicts.sort((a, b) => (a.manager + a.field < b.manager + b.field ? -1 : 1));
}

/** The object with its managers written to `metadata.managedFields` (the key dropped when none own anything). */
export function withManagedFields(object: JsonObject, managers: readonly Manager[]): JsonObject {
  const entries = writeManagers(managers);
  const metadata = isJsonObject(object.metadata) ? object.metadata : {};
  const next =
    entries.length > 0 ? withEntry(metadata, 'managedFields', entries) : withoutEntry(metadata, 'managedFields');
  return withEntry(object, 'metadata', next);
}
