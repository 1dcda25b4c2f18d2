import { hasOwn, isJsonObject, type JsonObject, jsonEqual, withEntry, withoutEntry } from '../jsonValue';
import { fieldSchema, type MergeSchema } from '../mergeSchema';
import { listItemKeys, sameListItem } from './collectFields';
import { type FieldPath, keyElement } from './fieldSet';

/**
 * Merges an applied configuration into the live object as server-side apply
 * does: maps merge, associative lists merge item by item (live order, new
 * items appended), sets become the union, atomic lists and scalars are
 * replaced, and `null` removes a field.
 */
export function mergeApplied(live: unknown, applied: unknown, schema: MergeSchema | undefined): unknown {
  if (isJsonObject(applied) && schema?.patchStrategy !== 'replace') {
    let result: JsonObject = isJsonObject(live) ? live : {};
    for (const [key, value] of Object.entries(applied)) {
      if (value === null) result = hasOwn(result, key) ? withoutEntry(result, key) : result;
      else
        result = withEntry(
          result,
          key,
          mergeApplied(hasOwn(result, key) ? result[key] : undefined, value, fieldSchema(schema, key)),
        );
    }
    return result;
  }
  if (Array.isArray(applied) && Array.isArray(live) && schema?.listType === 'map')
    return mergeMapList(live, applied, schema);
  if (Array.isArray(applied) && Array.isArray(live) && schema?.listType === 'set') {
    return [...live, ...applied.filter((item) => !live.some((l) => jsonEqual(l, item)))];
  }
  return applied;
}

function mergeMapList(live: readonly unknown[], applied: readonly unknown[], schema: MergeSchema): unknown[] {
  const result = [...live];
  for (const item of applied) {
    const index = result.findIndex((existing) => sameListItem(existing, item, schema));
    if (index >= 0) result[index] = mergeApplied(result[index], item, schema.items);
    else result.push(mergeApplied(undefined, item, schema.items));
  }
  return result;
}

/** The object without the field at `path` (unchanged when it is not there). */
export function removeField(object: unknown, path: FieldPath, schema: MergeSchema | undefined): unknown {
  const [element, ...rest] = path;
  if (element === undefined) return object;
  if (element.startsWith('f:') && isJsonObject(object)) {
    const name = element.slice(2);
    if (!hasOwn(object, name)) return object;
    if (rest.length === 0) return withoutEntry(object, name);
    return withEntry(object, name, removeField(object[name], rest, fieldSchema(schema, name)));
  }
  if (!Array.isArray(object)) return object;
  const index = object.findIndex((item, i) => elementMatches(element, item, i, schema));
  if (index < 0) return object;
  if (rest.length === 0) return object.filter((_, i) => i !== index);
  return object.map((item, i) => (i === index ? removeField(item, rest, schema?.items) : item));
}

function elementMatches(element: string, item: unknown, index: number, schema: MergeSchema | undefined): boolean {
  if (element.startsWith('k:')) {
    const keys = schema ? listItemKeys(item, schema) : undefined;
    return keys !== undefined && keyElement(keys) === element;
  }
  if (element.startsWith('v:')) return `v:${JSON.stringify(item)}` === element;
  return element === `i:${index}`;
}
