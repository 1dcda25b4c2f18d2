import { hasOwn, isJsonObject, withEntry, withoutEntry } from './jsonValue';

/**
 * Applies an RFC 7386 JSON merge patch (`application/merge-patch+json`): objects
 * merge key by key, `null` deletes a key, anything else (lists included) replaces.
 * `document` is never mutated; subtrees the patch does not touch are shared.
 *
 * @example
 * ```ts
 * applyMergePatch({ metadata: { labels: { a: '1', b: '2' } } }, { metadata: { labels: { b: null, c: '3' } } });
 * // → { metadata: { labels: { a: '1', c: '3' } } }
 * ```
 */
export function applyMergePatch(document: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return patch;
  let result = isJsonObject(document) ? document : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      if (hasOwn(result, key)) result = withoutEntry(result, key);
    } else {
      result = withEntry(result, key, applyMergePatch(hasOwn(result, key) ? result[key] : undefined, value));
    }
  }
  return result;
}
