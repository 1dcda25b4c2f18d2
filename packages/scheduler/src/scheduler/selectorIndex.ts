/**
 * Finding the objects whose label selector may select a pod without walking
 * every object of the namespace: each object is filed under its namespace and
 * one `key=value` pair its selector requires (the smallest key), or under its
 * namespace and `*` when it requires none. A pod can only be selected by
 * objects filed under one of its own labels or under `*`, each found once.
 */
import type { IndexFunction, Informer } from '@keelson/controller';
import type { KubeObject } from '@keelson/core';

/** The index's name on an informer. */
export const SELECTOR_INDEX = 'bySelectorPair';

const ANY = '*';

function entry(namespace: string, pair: string): string {
  return `${namespace}\u0000${pair}`;
}

/** The index function for objects whose required `key=value` pairs `requiredOf` reads. */
export function selectorIndexer<T extends KubeObject>(
  requiredOf: (object: T) => Readonly<Record<string, string>> | undefined,
): IndexFunction<T> {
  return (object) => {
    const namespace = object.metadata.namespace ?? '';
    const required = requiredOf(object) ?? {};
    let smallest: string | undefined;
    for (const key of Object.keys(required)) if (smallest === undefined || key < smallest) smallest = key;
    return [entry(namespace, smallest === undefined ? ANY : `${smallest}=${required[smallest]}`)];
  };
}

/**
 * The objects of `namespace` that could select a pod labelled `labels`, in
 * cache-key order (the order of a namespace listing); each still needs its
 * selector checked.
 */
export function candidatesFor<T extends KubeObject>(
  informer: Informer<T>,
  namespace: string,
  labels: Readonly<Record<string, string>>,
): T[] {
  const found = informer.byIndex(SELECTOR_INDEX, entry(namespace, ANY));
  for (const [key, value] of Object.entries(labels)) {
    found.push(...informer.byIndex(SELECTOR_INDEX, entry(namespace, `${key}=${value}`)));
  }
  if (found.length < 2) return found;
  return found.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}
