/**
 * Status conditions, with the semantics of k8s.io/apimachinery
 * `pkg/api/meta/conditions.go` (SetStatusCondition and friends), as pure
 * functions over immutable arrays.
 */

/** The status of a condition: `True`, `False`, or `Unknown` when it cannot be told. */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/**
 * One entry of a `status.conditions` list: the latest observation of one
 * aspect (`type`, e.g. `Ready`) of an object. Covers `metav1.Condition` and
 * the older per-kind conditions (`lastUpdateTime`, `lastProbeTime`).
 */
export interface Condition {
  /** What the condition is about, in CamelCase (`Ready`, `Available`); unique within a list. */
  type: string;
  /** Whether the condition holds. */
  status: ConditionStatus;
  /** `metadata.generation` of the object when the condition was set. */
  observedGeneration?: number;
  /** RFC 3339 time the status last changed. */
  lastTransitionTime?: string;
  /** RFC 3339 time the condition was last updated (older kinds such as Deployment). */
  lastUpdateTime?: string;
  /** RFC 3339 time the condition was last probed (older kinds such as Pod). */
  lastProbeTime?: string;
  /** Machine-readable CamelCase reason for the last transition. */
  reason?: string;
  /** Human-readable details. */
  message?: string;
}

function isSet(time: string | undefined): time is string {
  return time !== undefined && time !== '';
}

function sameFields(a: object, b: object): boolean {
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((key) => Object.hasOwn(b, key) && Object.is(Reflect.get(a, key), Reflect.get(b, key)));
}

/**
 * Sets the condition of `next.type`, returning a new array; neither the
 * input array nor its conditions are modified (they may be frozen).
 *
 * - No condition of that type yet: `next` is appended, with
 *   `lastTransitionTime` set to `now` unless `next` gives one.
 * - Otherwise the first condition of that type is replaced by `next`, in
 *   place, so every field (status, reason, message, observedGeneration, …)
 *   comes from `next` — except `lastTransitionTime`: when the status
 *   changes it is `next`'s if given, else `now`; when the status is the same
 *   the existing one is kept, even if `next` gives another.
 *
 * Conditions that do not change keep their identity, so an unchanged entry
 * is the very object that was passed in.
 *
 * @param now RFC 3339 timestamp used as the transition time when one is needed.
 */
export function setCondition<C extends Condition>(conditions: readonly C[] | undefined, next: C, now: string): C[] {
  const list = conditions ?? [];
  const index = list.findIndex((condition) => condition.type === next.type);
  const existing = index === -1 ? undefined : list[index];

  if (existing === undefined) {
    const added: C = isSet(next.lastTransitionTime) ? next : { ...next, lastTransitionTime: now };
    return [...list, added];
  }

  let lastTransitionTime: string | undefined;
  if (existing.status !== next.status) {
    lastTransitionTime = isSet(next.lastTransitionTime) ? next.lastTransitionTime : now;
  } else {
    lastTransitionTime = existing.lastTransitionTime;
  }
  const { lastTransitionTime: _ignored, ...rest } = next;
  const merged = (lastTransitionTime === undefined ? rest : { ...rest, lastTransitionTime }) as C;

  const result = [...list];
  result[index] = sameFields(merged, existing) ? existing : merged;
  return result;
}

/** The first condition of the given type, if any. */
export function getCondition<C extends Condition>(conditions: readonly C[] | undefined, type: string): C | undefined {
  return conditions?.find((condition) => condition.type === type);
}

/** Whether the condition of the given type is present with status `True`. */
export function isTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return getCondition(conditions, type)?.status === 'True';
}

/** Whether the condition of the given type is present with status `False`. */
export function isFalse(conditions: readonly Condition[] | undefined, type: string): boolean {
  return getCondition(conditions, type)?.status === 'False';
}

/** A new array without any condition of the given type; the input is not modified. */
export function removeCondition<C extends Condition>(conditions: readonly C[] | undefined, type: string): C[] {
  return (conditions ?? []).filter((condition) => condition.type !== type);
}
