import type { KubeObject } from '@keelson/core';

/**
 * Filters the events that enqueue a reconcile, like controller-runtime's
 * predicates. A missing function lets that kind of event through.
 */
export interface Predicate<T extends KubeObject = KubeObject> {
  create?(object: T): boolean;
  update?(oldObject: T, newObject: T): boolean;
  delete?(object: T): boolean;
}

/** @internal Whether every predicate lets this event through. */
export function passes<T extends KubeObject>(
  predicates: readonly Predicate<T>[],
  event: 'create' | 'update' | 'delete',
  object: T,
  oldObject?: T,
): boolean {
  for (const predicate of predicates) {
    if (event === 'create' && predicate.create && !predicate.create(object)) return false;
    if (event === 'update' && predicate.update && !predicate.update(oldObject as T, object)) return false;
    if (event === 'delete' && predicate.delete && !predicate.delete(object)) return false;
  }
  return true;
}

function sameRecord(
  a: Readonly<Record<string, string>> | undefined,
  b: Readonly<Record<string, string>> | undefined,
): boolean {
  if (a === b) return true;
  const ak = Object.keys(a ?? {});
  if (ak.length !== Object.keys(b ?? {}).length) return false;
  return ak.every((k) => a?.[k] === b?.[k]);
}

/** Updates pass only when `metadata.generation` changed: status-only writes are ignored. */
export function generationChanged(): Predicate {
  return { update: (o, n) => o.metadata.generation !== n.metadata.generation };
}

/** Updates pass only when the labels changed. */
export function labelChanged(): Predicate {
  return { update: (o, n) => !sameRecord(o.metadata.labels, n.metadata.labels) };
}

/** Updates pass only when the annotations changed. */
export function annotationChanged(): Predicate {
  return { update: (o, n) => !sameRecord(o.metadata.annotations, n.metadata.annotations) };
}

/** Updates pass only when the resourceVersion changed (drops resync re-deliveries). */
export function resourceVersionChanged(): Predicate {
  return { update: (o, n) => o.metadata.resourceVersion !== n.metadata.resourceVersion };
}

/** Passes when every predicate passes. */
export function and<T extends KubeObject>(...predicates: Predicate<T>[]): Predicate<T> {
  return {
    create: (o) => passes(predicates, 'create', o),
    update: (o, n) => passes(predicates, 'update', n, o),
    delete: (o) => passes(predicates, 'delete', o),
  };
}

/** Passes when any predicate passes. */
export function or<T extends KubeObject>(...predicates: Predicate<T>[]): Predicate<T> {
  return {
    create: (o) => predicates.some((p) => passes([p], 'create', o)),
    update: (o, n) => predicates.some((p) => passes([p], 'update', n, o)),
    delete: (o) => predicates.some((p) => passes([p], 'delete', o)),
  };
}

/** Passes when the predicate does not. */
export function not<T extends KubeObject>(predicate: Predicate<T>): Predicate<T> {
  return {
    create: (o) => !passes([predicate], 'create', o),
    update: (o, n) => !passes([predicate], 'update', n, o),
    delete: (o) => !passes([predicate], 'delete', o),
  };
}
