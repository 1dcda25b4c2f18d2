import { isJsonObject, type JsonObject, jsonEqual } from '../jsonValue';
import type { MergeSchema } from '../mergeSchema';
import { collectFields } from './collectFields';
import { FieldSet } from './fieldSet';

/** Metadata the server sets; no manager owns it (Kubernetes strips these before tracking fields). */
const SERVER_METADATA = [
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
  'managedFields',
];

function withoutKeys(object: JsonObject, keys: readonly string[]): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

/**
 * The part of an object whose fields managers own: all but `apiVersion`,
 * `kind` and server-set metadata; for the main resource not `status`, for the
 * `status` subresource only `status` (as Kubernetes resets the other part).
 */
export function trackedPart(object: JsonObject | undefined, subresource: string): JsonObject {
  if (object === undefined) return {};
  if (subresource === 'status') return object.status === undefined ? {} : { status: object.status };
  const rest = withoutKeys(object, ['apiVersion', 'kind', 'status']);
  if (!isJsonObject(object.metadata)) return rest;
  const metadata = withoutKeys(object.metadata, SERVER_METADATA);
  return Object.keys(metadata).length > 0 ? { ...rest, metadata } : withoutKeys(rest, ['metadata']);
}

/** What an applied configuration may change: for the main resource all but status and server-set metadata. */
export function appliedPart(applied: JsonObject, subresource: string): JsonObject {
  if (subresource === 'status') return applied.status === undefined ? {} : { status: applied.status };
  const rest = withoutKeys(applied, ['status']);
  if (!isJsonObject(applied.metadata)) return rest;
  const keep = ['name', 'namespace'];
  return {
    ...rest,
    metadata: withoutKeys(
      applied.metadata,
      SERVER_METADATA.filter((k) => !keep.includes(k)),
    ),
  };
}

export interface FieldDiff {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** Which tracked fields a write added, changed and removed. */
export function diffTracked(
  before: JsonObject | undefined,
  after: JsonObject,
  subresource: string,
  schema: MergeSchema | undefined,
): FieldDiff {
  const old = collectFields(trackedPart(before, subresource), schema, false);
  const next = collectFields(trackedPart(after, subresource), schema, false);
  const diff: FieldDiff = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  for (const [id, field] of next) {
    const previous = old.get(id);
    if (previous === undefined) diff.added.add(field.path);
    else if (!jsonEqual(previous.value, field.value)) diff.modified.add(field.path);
  }
  for (const [id, field] of old) if (!next.has(id)) diff.removed.add(field.path);
  return diff;
}

export function isEmptyDiff(diff: FieldDiff): boolean {
  return diff.added.size === 0 && diff.modified.size === 0 && diff.removed.size === 0;
}
