/**
 * Owner-side selector questions the workload controllers share: an owner's
 * parsed selector (parsed once per version of the owner, not once per
 * object it is matched against) and the watch mapping that wakes the owners
 * an orphan could be adopted by.
 */
import type { Cache, Request } from '@keelson/controller';
import {
  type KubeObject,
  type LabelSelector,
  labelSelectorFromStructured,
  type ResourceType,
  type StructuredLabelSelector,
} from '@keelson/core';
import { controllerOf } from './controllerRef';

/** An object with a structured `spec.selector` (ReplicaSet, Deployment, StatefulSet, DaemonSet, Job, …). */
export type SelectingOwner = KubeObject & { spec: { selector?: StructuredLabelSelector | null } };

/** Cached objects are replaced, never changed in place, on an update: a parse per object version is enough. */
const parsedSelectors = new WeakMap<object, LabelSelector>();

/**
 * The owner's `spec.selector` as a {@link LabelSelector}, exactly as
 * `labelSelectorFromStructured` gives it (a missing selector selects
 * nothing), parsed once per object.
 */
export function ownerSelector(owner: SelectingOwner): LabelSelector {
  let parsed = parsedSelectors.get(owner);
  if (parsed === undefined) {
    parsed = labelSelectorFromStructured(owner.spec.selector);
    parsedSelectors.set(owner, parsed);
  }
  return parsed;
}

/** The reconcile request for an object. */
export function requestFor(object: { metadata: { name: string; namespace?: string } }): Request {
  return object.metadata.namespace === undefined
    ? { name: object.metadata.name }
    : { name: object.metadata.name, namespace: object.metadata.namespace };
}

/**
 * A watch mapping for adoption: an orphan (an object without a controller
 * reference) wakes every owner of `ownerType` in its namespace whose
 * non-empty selector picks it, so one of them can adopt it; an object with
 * a controller wakes nobody here (its owner hears of it through `owns`).
 *
 * @example
 * ```ts
 * watches: [watchSource(Pod, ownersSelecting(ReplicaSet))]
 * ```
 */
export function ownersSelecting<O extends SelectingOwner>(
  ownerType: ResourceType<O, unknown>,
): (object: KubeObject, cache: Cache) => Request[] {
  return (object, cache) => {
    if (controllerOf(object) !== undefined) return [];
    const labels = object.metadata.labels ?? {};
    const requests: Request[] = [];
    for (const owner of cache.list(ownerType, { namespace: object.metadata.namespace })) {
      const selector = ownerSelector(owner);
      if (!selector.empty && selector.matches(labels)) requests.push(requestFor(owner));
    }
    return requests;
  };
}
