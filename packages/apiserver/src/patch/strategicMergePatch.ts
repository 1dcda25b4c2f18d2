import { InvalidError } from '@keelson/core';
import { builtinMergeSchemas } from './builtinMergeSchemas';
import { isJsonObject, jsonTypeOf } from './jsonValue';
import type { MergeSchema } from './mergeSchema';
import { mergeMap } from './strategicMerge';

/**
 * Applies a Kubernetes strategic merge patch (`application/strategic-merge-patch+json`),
 * as client-side `kubectl apply`, `kubectl edit` and `kubectl patch` send it for
 * built-in kinds. Maps merge and `null` deletes, as in a merge patch; a list
 * whose schema has `patchStrategy: merge` merges items by `patchMergeKey` (or as
 * a set of primitives); other lists are replaced. Directives: `$patch:
 * replace|delete|merge` on a map or as a list item, `$retainKeys`,
 * `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>`.
 * Without a schema it is a merge patch that also understands the directives.
 * `document` is never mutated. A bad directive or a list item without its
 * merge key throws an `InvalidError` naming the field.
 *
 * @example
 * ```ts
 * const schema = strategicMergeSchemaFor('v1', 'Pod');
 * applyStrategicMergePatch(pod, { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } }, schema);
 * // → the `web` container gets the new image; the pod's other containers stay
 * ```
 */
export function applyStrategicMergePatch(document: unknown, patch: unknown, schema: MergeSchema | undefined): unknown {
  if (!isJsonObject(patch)) {
    throw new InvalidError(`strategic merge patch must be a JSON object, not ${jsonTypeOf(patch)}`);
  }
  return mergeMap(isJsonObject(document) ? document : {}, patch, schema, '');
}

/**
 * The merge schema of a built-in kind, by its `apiVersion` and `kind` (any
 * version of the group); undefined for kinds without one (custom resources,
 * for which Kubernetes refuses strategic merge patches).
 */
export function strategicMergeSchemaFor(apiVersion: string, kind: string): MergeSchema | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  return builtinMergeSchemas.get(`${group}/${kind}`);
}
