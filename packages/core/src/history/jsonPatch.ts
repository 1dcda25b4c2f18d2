import { InvalidError } from '@keelson/eventlog';

/**
 * One step of an RFC 6902 JSON Patch. Only the three operations a diff needs
 * are modelled: history patches are produced by {@link diffJson}, and keeping
 * the union small keeps every consumer's `switch` exhaustive.
 */
export type JsonPatchOperation =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'replace'; path: string; value: unknown };

type JsonObject = Record<string, unknown>;
type Container = unknown[] | JsonObject;
type Kind = 'array' | 'object' | 'primitive';

function kindOf(value: unknown): Kind {
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' && value !== null ? 'object' : 'primitive';
}

function escapeToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * The operations that turn `before` into `after`, so `store.history()` can
 * show what each version changed without storing the change separately.
 *
 * Consecutive versions share unchanged subtrees by reference, so a subtree
 * that is `===` on both sides is skipped without being read: the cost is
 * proportional to what changed, not to the size of the object.
 *
 * Output order is deterministic: within an object, `remove`s come first in
 * `before`'s key order, then `add`s and changes in `after`'s key order. Within
 * an array, the common prefix is compared element by element, then surplus
 * elements are removed from the highest index down (so each index is still
 * valid when applied) or new elements are added in ascending order. Arrays are
 * not searched for moved or inserted elements: an insertion near the front
 * shows up as element-wise changes plus an `add` at the end, which is larger
 * but always correct. A change of type (object, array, primitive) is a single
 * `replace`; at the root its path is `''`.
 *
 * Values in the operations are `after`'s own values by reference, never
 * copies, so a patch costs no more memory than the version it describes.
 */
export function diffJson(before: unknown, after: unknown): JsonPatchOperation[] {
  const operations: JsonPatchOperation[] = [];
  diffInto(before, after, '', operations);
  return operations;
}

function diffInto(before: unknown, after: unknown, path: string, out: JsonPatchOperation[]): void {
  if (before === after) return;
  const kind = kindOf(before);
  if (kind !== kindOf(after) || kind === 'primitive') {
    out.push({ op: 'replace', path, value: after });
  } else if (kind === 'array') {
    diffArrays(before as readonly unknown[], after as readonly unknown[], path, out);
  } else {
    diffObjects(before as JsonObject, after as JsonObject, path, out);
  }
}

function diffObjects(before: JsonObject, after: JsonObject, path: string, out: JsonPatchOperation[]): void {
  for (const key of Object.keys(before)) {
    if (!Object.hasOwn(after, key)) out.push({ op: 'remove', path: `${path}/${escapeToken(key)}` });
  }
  for (const key of Object.keys(after)) {
    const childPath = `${path}/${escapeToken(key)}`;
    if (Object.hasOwn(before, key)) diffInto(before[key], after[key], childPath, out);
    else out.push({ op: 'add', path: childPath, value: after[key] });
  }
}

function diffArrays(
  before: readonly unknown[],
  after: readonly unknown[],
  path: string,
  out: JsonPatchOperation[],
): void {
  const common = Math.min(before.length, after.length);
  for (let i = 0; i < common; i++) diffInto(before[i], after[i], `${path}/${i}`, out);
  for (let i = before.length - 1; i >= common; i--) out.push({ op: 'remove', path: `${path}/${i}` });
  for (let i = common; i < after.length; i++) out.push({ op: 'add', path: `${path}/${i}`, value: after[i] });
}

/**
 * Applies `operations` to `document` and returns the result, so a version can
 * be rebuilt from an earlier one (and a diff checked against its source).
 *
 * The input is never mutated and may be deeply frozen. Only the containers on
 * the paths the patch touches are copied (each at most once per call, however
 * many operations land in it); every other subtree of the result is shared by
 * reference with `document`, and values from `add`/`replace` are inserted by
 * reference. Copied containers are not frozen: freeze the result if it will be
 * stored.
 *
 * Array semantics follow RFC 6902: `add` inserts at an index (`-` or the
 * length appends) and `remove` shifts later elements down. A path whose parent
 * does not exist, an index out of range, a `remove`/`replace` of a missing key,
 * a malformed pointer, an unknown `op` or missing `value`, or removing the whole document throws
 * {@link InvalidError}. Operations apply in order, so when one throws nothing
 * is returned and `document` is untouched.
 */
export function applyJsonPatch<T>(document: T, operations: readonly JsonPatchOperation[]): T {
  const owned = new WeakSet<object>();
  let root: unknown = document;
  for (const [index, operation] of operations.entries()) {
    root = applyOperation(root, operation, `operations[${index}]`, owned);
  }
  return root as T;
}

function applyOperation(root: unknown, operation: JsonPatchOperation, where: string, owned: WeakSet<object>): unknown {
  const { op, path } = operation;
  if (op !== 'add' && op !== 'remove' && op !== 'replace') {
    throw new InvalidError(`${where}.op: unsupported operation ${JSON.stringify(op)}; use add, remove or replace`);
  }
  if (op !== 'remove' && !('value' in operation)) throw new InvalidError(`${where}.value: ${op} needs a value`);
  const tokens = parsePointer(path, where);
  const last = tokens.pop();
  if (last === undefined) {
    if (op === 'remove') throw new InvalidError(`${where}: cannot remove the whole document (path "")`);
    return operation.value;
  }
  const target = `${where} (${op} "${path}")`;
  const prefix = (depth: number): string =>
    `"${tokens
      .slice(0, depth)
      .map((token) => `/${escapeToken(token)}`)
      .join('')}"`;

  if (!isContainer(root)) throw new InvalidError(`${target}: the document is not an object or array`);
  const newRoot = ownCopy(root, owned);
  let parent: Container = newRoot;
  for (const [depth, token] of tokens.entries()) {
    const child = readChild(parent, token, `${target}: ${prefix(depth + 1)}`);
    if (!isContainer(child)) throw new InvalidError(`${target}: ${prefix(depth + 1)} is not an object or array`);
    const copy = ownCopy(child, owned);
    if (copy !== child) writeChild(parent, token, copy);
    parent = copy;
  }

  if (Array.isArray(parent)) {
    const index = op === 'add' && last === '-' ? parent.length : parseIndex(last, target);
    const limit = op === 'add' ? parent.length : parent.length - 1;
    if (index > limit) {
      throw new InvalidError(`${target}: index ${index} is out of range for an array of ${parent.length}`);
    }
    if (op === 'add') parent.splice(index, 0, operation.value);
    else if (op === 'remove') parent.splice(index, 1);
    else parent[index] = operation.value;
  } else if (op === 'add' || Object.hasOwn(parent, last)) {
    if (op === 'remove') delete parent[last];
    else writeChild(parent, last, operation.value);
  } else {
    throw new InvalidError(`${target}: key "${last}" does not exist`);
  }
  return newRoot;
}

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

/** A shallow copy this call may mutate, made at most once per container per call. */
function ownCopy(container: Container, owned: WeakSet<object>): Container {
  if (owned.has(container)) return container;
  const copy: Container = Array.isArray(container) ? [...container] : { ...container };
  owned.add(copy);
  return copy;
}

function readChild(parent: Container, token: string, described: string): unknown {
  if (Array.isArray(parent)) {
    const index = parseIndex(token, described);
    if (index >= parent.length) throw new InvalidError(`${described} does not exist (index ${index} is out of range)`);
    return parent[index];
  }
  if (!Object.hasOwn(parent, token)) throw new InvalidError(`${described} does not exist`);
  return parent[token];
}

function writeChild(parent: Container, token: string, value: unknown): void {
  if (Array.isArray(parent)) {
    parent[Number(token)] = value;
    return;
  }
  // defineProperty, not assignment, so a key such as "__proto__" stays an ordinary own property.
  Object.defineProperty(parent, token, { value, writable: true, enumerable: true, configurable: true });
}

function parseIndex(token: string, target: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) {
    throw new InvalidError(`${target}: "${token}" is not an array index (use digits without leading zeros)`);
  }
  return Number(token);
}

function parsePointer(path: unknown, where: string): string[] {
  if (typeof path !== 'string') throw new InvalidError(`${where}.path: must be a string JSON pointer`);
  if (path === '') return [];
  if (!path.startsWith('/')) throw new InvalidError(`${where}.path: "${path}" must be "" or start with "/"`);
  return path
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~(?![01])/.test(token)) {
        throw new InvalidError(`${where}.path: "${path}" has a "~" not followed by 0 or 1 (escape "~" as "~0")`);
      }
      return token.replaceAll('~1', '/').replaceAll('~0', '~');
    });
}
