import { InvalidError } from '@keelson/core';
import { arrayIndexOf, parseJsonPointer } from './jsonPointer';
import { hasOwn, isJsonObject, jsonEqual, jsonTypeOf, withEntry, withoutEntry } from './jsonValue';

type Fail = (message: string) => never;

interface Operation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/**
 * Applies an RFC 6902 JSON patch (`application/json-patch+json`) and returns the
 * patched document; `document` is never mutated and untouched subtrees are shared.
 * A malformed patch or an operation that cannot apply (missing path, failed `test`)
 * throws an `InvalidError` naming the operation, e.g.
 * `json patch operation 2 ("replace" /spec/replicas): path does not exist`
 * (operations are numbered from 0, as in the array).
 *
 * @example
 * ```ts
 * applyJsonPatch({ spec: { replicas: 1 } }, [{ op: 'replace', path: '/spec/replicas', value: 3 }]);
 * // → { spec: { replicas: 3 } }
 * ```
 */
export function applyJsonPatch(document: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) {
    throw new InvalidError(`json patch must be an array of operations, not ${jsonTypeOf(operations)}`);
  }
  return operations.reduce<unknown>(
    (doc, raw, index) => applyOperation(doc, parseOperation(raw, index), index),
    document,
  );
}

function parseOperation(raw: unknown, index: number): Operation {
  const fail = (message: string): never => {
    throw new InvalidError(`json patch operation ${index}: ${message}`);
  };
  if (!isJsonObject(raw)) return fail(`must be an object, not ${jsonTypeOf(raw)}`);
  const { op, path, from } = raw;
  if (typeof op !== 'string' || !OPS.has(op)) return fail(`unknown "op" ${JSON.stringify(op)}`);
  if (typeof path !== 'string') return fail(`"${op}" needs a string "path"`);
  const operation: Operation = { op: op as Operation['op'], path };
  if (op === 'move' || op === 'copy') {
    if (typeof from !== 'string') return fail(`"${op}" ${path} needs a string "from"`);
    operation.from = from;
  }
  if (op === 'add' || op === 'replace' || op === 'test') {
    if (!hasOwn(raw, 'value')) return fail(`"${op}" ${path} needs a "value"`);
    operation.value = raw.value;
  }
  return operation;
}

function applyOperation(doc: unknown, operation: Operation, index: number): unknown {
  const where = `json patch operation ${index} (${JSON.stringify(operation.op)} ${operation.path})`;
  const fail: Fail = (message) => {
    throw new InvalidError(`${where}: ${message}`);
  };
  const path = parseJsonPointer(operation.path, where);
  switch (operation.op) {
    case 'add':
      return addAt(doc, path, operation.value, fail);
    case 'remove':
      return removeAt(doc, path, fail);
    case 'replace':
      return path.length === 0 ? operation.value : addAt(removeAt(doc, path, fail), path, operation.value, fail);
    case 'test':
      if (!jsonEqual(readAt(doc, path, fail), operation.value)) fail('test failed: the value differs');
      return doc;
    case 'copy':
      return addAt(doc, path, readAt(doc, parseJsonPointer(operation.from ?? '', where), fail), fail);
    case 'move':
      return moveTo(doc, parseJsonPointer(operation.from ?? '', where), path, fail);
  }
}

function moveTo(doc: unknown, from: string[], path: string[], fail: Fail): unknown {
  const isSame = from.length === path.length && from.every((t, i) => t === path[i]);
  if (isSame) {
    readAt(doc, from, fail);
    return doc;
  }
  if (from.length < path.length && from.every((t, i) => t === path[i])) {
    fail('cannot move a value into one of its own children');
  }
  const value = readAt(doc, from, fail);
  return addAt(removeAt(doc, from, fail), path, value, fail);
}

function childOf(container: unknown, token: string): { found: boolean; value?: unknown } {
  if (Array.isArray(container)) {
    const i = arrayIndexOf(token);
    return i !== undefined && i < container.length ? { found: true, value: container[i] } : { found: false };
  }
  if (isJsonObject(container) && hasOwn(container, token)) return { found: true, value: container[token] };
  return { found: false };
}

function readAt(doc: unknown, path: string[], fail: Fail): unknown {
  let current = doc;
  for (const token of path) {
    const child = childOf(current, token);
    if (!child.found) return fail('path does not exist');
    current = child.value;
  }
  return current;
}

/** Rebuilds the containers from the root down to the parent of `path`'s last token. */
function updateParent(
  doc: unknown,
  parentPath: readonly string[],
  update: (parent: unknown) => unknown,
  fail: Fail,
): unknown {
  const [head, ...rest] = parentPath;
  if (head === undefined) return update(doc);
  const child = childOf(doc, head);
  if (!child.found) return fail('path does not exist');
  const next = updateParent(child.value, rest, update, fail);
  if (Array.isArray(doc)) return doc.map((item, i) => (i === Number(head) ? next : item));
  return withEntry(doc as Record<string, unknown>, head, next);
}

function addAt(doc: unknown, path: string[], value: unknown, fail: Fail): unknown {
  const last = path.at(-1);
  if (last === undefined) return value;
  return updateParent(
    doc,
    path.slice(0, -1),
    (parent) => {
      if (Array.isArray(parent)) {
        const i = last === '-' ? parent.length : arrayIndexOf(last);
        if (i === undefined || i > parent.length) return fail(`array index "${last}" is out of range`);
        return [...parent.slice(0, i), value, ...parent.slice(i)];
      }
      if (isJsonObject(parent)) return withEntry(parent, last, value);
      return fail(`cannot add a child to a ${jsonTypeOf(parent)}`);
    },
    fail,
  );
}

function removeAt(doc: unknown, path: string[], fail: Fail): unknown {
  const last = path.at(-1);
  if (last === undefined) return fail('cannot remove the whole document');
  return updateParent(
    doc,
    path.slice(0, -1),
    (parent) => {
      if (!childOf(parent, last).found) return fail('path does not exist');
      if (Array.isArray(parent)) return parent.filter((_, i) => i !== Number(last));
      return withoutEntry(parent as Record<string, unknown>, last);
    },
    fail,
  );
}
