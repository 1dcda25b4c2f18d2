/**
 * Typed reads of plain JSON objects. Printers read stored objects, which the
 * schema has already checked, but tolerate anything: a missing or mistyped
 * field reads as absent.
 */

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a path of field names. */
export function at(object: unknown, ...path: string[]): unknown {
  let current = object;
  for (const key of path) {
    if (!isObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

export function objectAt(object: unknown, ...path: string[]): Json {
  const value = at(object, ...path);
  return isObject(value) ? value : {};
}

export function listAt(object: unknown, ...path: string[]): unknown[] {
  const value = at(object, ...path);
  return Array.isArray(value) ? value : [];
}

export function stringAt(object: unknown, ...path: string[]): string {
  const value = at(object, ...path);
  return typeof value === 'string' ? value : '';
}

export function numberAt(object: unknown, ...path: string[]): number | undefined {
  const value = at(object, ...path);
  return typeof value === 'number' ? value : undefined;
}

/** A count field, 0 when absent (Go's zero value). */
export function countAt(object: unknown, ...path: string[]): number {
  return numberAt(object, ...path) ?? 0;
}

export function orNone(text: string): string {
  return text === '' ? '<none>' : text;
}
