/** RFC 6902 patches as one readable line per operation: `replace /spec/replicas: 3 → 5`. */
import type { JsonPatchOperation } from '@keelson/core';

const MAX_VALUE_CHARS = 100;

/** The value at JSON pointer `path` of `document`; `undefined` when there is none. */
export function valueAtPointer(document: unknown, path: string): unknown {
  if (path === '') return document;
  let value: unknown = document;
  for (const raw of path.slice(1).split('/')) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, token)) return undefined;
    value = (value as Record<string, unknown>)[token];
  }
  return value;
}

/** `value` as compact JSON, shortened past {@link MAX_VALUE_CHARS} so one operation stays one line. */
export function formatValue(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** One operation as a line, reading the old value from `before` (the document the patch applies to). */
export function formatOperation(operation: JsonPatchOperation, before: unknown): string {
  const path = operation.path === '' ? '(whole object)' : operation.path;
  switch (operation.op) {
    case 'add':
      return `add ${path}: ${formatValue(operation.value)}`;
    case 'remove':
      return `remove ${path} (was ${formatValue(valueAtPointer(before, operation.path))})`;
    case 'replace':
      return `replace ${path}: ${formatValue(valueAtPointer(before, operation.path))} → ${formatValue(operation.value)}`;
  }
}

/** One line per operation of `patch` (operations of one diff touch disjoint paths, so all read `before`). */
export function formatPatch(patch: readonly JsonPatchOperation[], before: unknown): string[] {
  return patch.map((operation) => formatOperation(operation, before));
}
