import { InvalidError } from '@keelson/core';
import { type FieldPath, FieldSet } from './fieldSet';

/** A `fieldsV1` tree: each key an element, `.` when the path itself is in the set, `{}` for a leaf. */
export type FieldsV1 = { [element: string]: FieldsV1 };

/** Writes a set as the `fieldsV1` tree of a managedFields entry. */
export function encodeFieldsV1(set: FieldSet): FieldsV1 {
  const root: FieldsV1 = {};
  const members = new Set<FieldsV1>();
  for (const path of set) {
    let node = root;
    for (const element of path) {
      const next = Object.hasOwn(node, element) ? node[element] : undefined;
      node = next ?? defineChild(node, element);
    }
    members.add(node);
  }
  markMembers(root, members);
  return root;
}

function defineChild(node: FieldsV1, element: string): FieldsV1 {
  const child: FieldsV1 = {};
  Object.defineProperty(node, element, { value: child, enumerable: true, writable: true, configurable: true });
  return child;
}

/** A member with children gets `.`; a member without is the empty leaf `{}`. */
function markMembers(node: FieldsV1, members: ReadonlySet<FieldsV1>): void {
  for (const child of Object.values(node)) {
    const hasChildren = Object.keys(child).length > 0;
    markMembers(child, members);
    if (members.has(child) && hasChildren) defineChild(child, '.');
  }
}

/** Reads a `fieldsV1` tree back into a set; refuses anything that is not one. */
export function decodeFieldsV1(tree: unknown, where: string): FieldSet {
  const set = new FieldSet();
  walk(tree, [], set, where);
  return set;
}

function walk(node: unknown, path: FieldPath, set: FieldSet, where: string): void {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    throw new InvalidError(`${where}: fieldsV1 must be an object tree`);
  }
  const entries = Object.entries(node);
  if (entries.length === 0 && path.length > 0) set.add(path);
  for (const [element, child] of entries) {
    if (element === '.') set.add(path);
    else if (/^[fkvi]:/.test(element)) walk(child, [...path, element], set, where);
    else throw new InvalidError(`${where}: fieldsV1 key ${JSON.stringify(element)} is not f:, k:, v:, i: or .`);
  }
}
