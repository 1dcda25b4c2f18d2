import { InvalidError } from '@keelson/core';
import { hasOwn, isJsonObject, type JsonObject, jsonEqual } from './jsonValue';
import { fieldSchema, type MergeSchema, mergesList } from './mergeSchema';

/*
 * The recursive core of the strategic merge patch. `result` objects built here
 * are fresh copies, so they are filled in place; inputs are never written.
 */

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM = '$deleteFromPrimitiveList/';
const SET_ORDER = '$setElementOrder/';

/** Merges one patch value into one original value (either may be absent). */
export function mergeValue(original: unknown, patch: unknown, schema: MergeSchema | undefined, path: string): unknown {
  if (isJsonObject(patch)) {
    const base = isJsonObject(original) && schema?.patchStrategy !== 'replace' ? original : {};
    return mergeMap(base, patch, schema, path);
  }
  if (Array.isArray(patch)) return mergeList(Array.isArray(original) ? original : [], patch, schema, path);
  return patch;
}

export function mergeMap(
  original: JsonObject,
  patch: JsonObject,
  schema: MergeSchema | undefined,
  path: string,
): JsonObject {
  if (hasOwn(patch, PATCH)) {
    const directive = patch[PATCH];
    if (directive === 'delete') return {};
    if (directive === 'replace') return mergeMap({}, withoutDirective(patch), schema, path);
    if (directive !== 'merge') throw invalid(path, `unknown $patch directive ${JSON.stringify(directive)}`);
  }
  const result = retainKeys(original, patch, path);
  for (const [key, values] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM)) deleteFromPrimitiveList(result, key.slice(DELETE_FROM.length), values, path);
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key === PATCH || key === RETAIN_KEYS || key.startsWith(DELETE_FROM) || key.startsWith(SET_ORDER)) continue;
    if (value === null) {
      delete result[key];
      continue;
    }
    const current = hasOwn(result, key) ? result[key] : undefined;
    setOwn(result, key, mergeValue(current, value, fieldSchema(schema, key), join(path, key)));
  }
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ORDER)) continue;
    const field = key.slice(SET_ORDER.length);
    if (!Array.isArray(order)) throw invalid(join(path, key), 'must be a list');
    const list = result[field];
    if (Array.isArray(list)) setOwn(result, field, reorderList(list, order, fieldSchema(schema, field)));
  }
  return result;
}

/**
 * Lists without the `merge` strategy are replaced as given. In a merged list a
 * `{"$patch":"replace"}` item replaces the original with the patch's other
 * items; keyed items merge into the original item with the same key (or are
 * appended) and `$patch: delete` items remove it; primitive lists become the
 * union, original order first.
 */
function mergeList(
  original: readonly unknown[],
  patch: readonly unknown[],
  schema: MergeSchema | undefined,
  path: string,
): unknown[] {
  if (!mergesList(schema)) return [...patch];
  const isReplace = (item: unknown): boolean => isDirectiveItem(item) && item[PATCH] === 'replace';
  const base = patch.some(isReplace) ? [] : [...original];
  const items = patch.filter((item) => !isReplace(item));
  const key = schema?.patchMergeKey;
  if (key === undefined) return unionOf(base, items);
  return items.reduce<unknown[]>(
    (merged, item, i) => mergeKeyedItem(merged, item, key, schema?.items, `${path}[${i}]`),
    base,
  );
}

function mergeKeyedItem(
  merged: unknown[],
  item: unknown,
  key: string,
  schema: MergeSchema | undefined,
  path: string,
): unknown[] {
  if (!isJsonObject(item) || !hasOwn(item, key)) {
    throw invalid(path, `list item does not contain declared merge key "${key}"`);
  }
  const index = merged.findIndex((o) => isJsonObject(o) && jsonEqual(o[key], item[key]));
  if (item[PATCH] === 'delete') return index < 0 ? merged : merged.filter((_, i) => i !== index);
  const existing = merged[index];
  const patch = item[PATCH] === 'merge' ? withoutDirective(item) : item;
  if (index >= 0 && isJsonObject(existing)) merged[index] = mergeMap(existing, patch, schema, path);
  else merged.push(mergeMap({}, patch, schema, path));
  return merged;
}

function unionOf(original: unknown[], patch: readonly unknown[]): unknown[] {
  for (const item of patch) if (!original.some((o) => jsonEqual(o, item))) original.push(item);
  return original;
}

/**
 * Orders a merged list as `$setElementOrder` says: the items it names in its
 * order, then the items it does not name (the server's own) in their order.
 */
function reorderList(list: readonly unknown[], order: readonly unknown[], schema: MergeSchema | undefined): unknown[] {
  const key = schema?.patchMergeKey;
  const positionOf = (item: unknown): number =>
    order.findIndex((o) =>
      key !== undefined && isJsonObject(o) && isJsonObject(item) ? jsonEqual(o[key], item[key]) : jsonEqual(o, item),
    );
  const named = list.filter((item) => positionOf(item) >= 0).sort((a, b) => positionOf(a) - positionOf(b));
  return [...named, ...list.filter((item) => positionOf(item) < 0)];
}

function retainKeys(original: JsonObject, patch: JsonObject, path: string): JsonObject {
  if (!hasOwn(patch, RETAIN_KEYS)) return { ...original };
  const keys = patch[RETAIN_KEYS];
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) {
    throw invalid(join(path, RETAIN_KEYS), 'must be a list of field names');
  }
  const result: JsonObject = {};
  for (const key of keys) if (hasOwn(original, key)) setOwn(result, key, original[key]);
  return result;
}

function deleteFromPrimitiveList(result: JsonObject, field: string, values: unknown, path: string): void {
  if (!Array.isArray(values)) throw invalid(join(path, DELETE_FROM + field), 'must be a list');
  const list = result[field];
  if (Array.isArray(list))
    setOwn(
      result,
      field,
      list.filter((item) => !values.some((v) => jsonEqual(v, item))),
    );
}

function isDirectiveItem(item: unknown): item is JsonObject {
  return isJsonObject(item) && hasOwn(item, PATCH);
}

function withoutDirective(patch: JsonObject): JsonObject {
  const { [PATCH]: _, ...rest } = patch;
  return rest;
}

function setOwn(object: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function invalid(path: string, message: string): InvalidError {
  return new InvalidError(`strategic merge patch at ${path === '' ? 'the top level' : path}: ${message}`);
}
