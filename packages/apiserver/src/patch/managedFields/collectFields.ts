import { InvalidError } from '@keelson/core';
import { isJsonObject, jsonEqual } from '../jsonValue';
import { fieldSchema, type MergeSchema } from '../mergeSchema';
import {
  type FieldPath,
  FieldSet,
  fieldElement,
  formatFieldPath,
  indexElement,
  keyElement,
  valueElement,
} from './fieldSet';

/** A field of an object and its value; list items stand for themselves (`value` undefined). */
export interface FieldValue {
  path: FieldPath;
  value: unknown;
}

/**
 * Every field an object sets, as server-side apply counts them: each scalar,
 * `null`, empty map and atomic list (a list without a `listType`, or a map with
 * `patchStrategy: replace`) is one field; maps are the sum of their fields; an
 * item of an associative (`map`) or `set` list is a field itself as well as the
 * sum of its own. `strict` refuses items that lack their list keys or repeat
 * one (what an applied configuration may not do); otherwise such items are
 * counted by index.
 */
export function collectFields(
  value: unknown,
  schema: MergeSchema | undefined,
  strict: boolean,
): Map<string, FieldValue> {
  const fields = new Map<string, FieldValue>();
  visit(value, schema, [], fields, strict);
  return fields;
}

export function fieldSetOf(fields: Map<string, FieldValue>): FieldSet {
  return new FieldSet([...fields.values()].map((f) => f.path));
}

function add(fields: Map<string, FieldValue>, path: FieldPath, value: unknown): void {
  fields.set(path.join('\u0000'), { path, value });
}

function visit(
  value: unknown,
  schema: MergeSchema | undefined,
  path: FieldPath,
  out: Map<string, FieldValue>,
  strict: boolean,
): void {
  if (isJsonObject(value) && Object.keys(value).length > 0 && schema?.patchStrategy !== 'replace') {
    for (const [key, child] of Object.entries(value)) {
      visit(child, fieldSchema(schema, key), [...path, fieldElement(key)], out, strict);
    }
    return;
  }
  if (Array.isArray(value) && schema?.listType === 'map' && schema.listMapKeys?.length) {
    visitMapList(value, schema, path, out, strict);
    return;
  }
  if (Array.isArray(value) && schema?.listType === 'set') {
    for (const item of value) add(out, [...path, valueElement(item)], item);
    return;
  }
  if (path.length > 0) add(out, path, value);
}

function visitMapList(
  list: unknown[],
  schema: MergeSchema,
  path: FieldPath,
  out: Map<string, FieldValue>,
  strict: boolean,
): void {
  const seen = new Set<string>();
  list.forEach((item, index) => {
    const keys = listItemKeys(item, schema);
    let element = keys === undefined ? undefined : keyElement(keys);
    if (element === undefined || seen.has(element)) {
      if (strict) {
        const problem =
          element === undefined ? `omits a key field (${schema.listMapKeys?.join(', ')})` : 'repeats its keys';
        throw new InvalidError(`${formatFieldPath(path)}[${index}]: an item of an associative list ${problem}`);
      }
      element = indexElement(index);
    }
    seen.add(element);
    const itemPath = [...path, element];
    add(out, itemPath, undefined);
    if (isJsonObject(item)) {
      for (const [key, child] of Object.entries(item)) {
        visit(child, fieldSchema(schema.items, key), [...itemPath, fieldElement(key)], out, strict);
      }
    }
  });
}

/** The key fields of an associative list item (with the schema's defaults), or undefined when one is missing. */
export function listItemKeys(item: unknown, schema: MergeSchema): Record<string, unknown> | undefined {
  if (!isJsonObject(item)) return undefined;
  const keys: Record<string, unknown> = {};
  for (const name of schema.listMapKeys ?? []) {
    const value = Object.hasOwn(item, name) ? item[name] : schema.listMapKeyDefaults?.[name];
    if (value === undefined || value === null) return undefined;
    keys[name] = value;
  }
  return keys;
}

/** Whether two associative list items have the same keys. */
export function sameListItem(a: unknown, b: unknown, schema: MergeSchema): boolean {
  const ka = listItemKeys(a, schema);
  return ka !== undefined && jsonEqual(ka, listItemKeys(b, schema));
}
