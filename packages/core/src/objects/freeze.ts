/**
 * A shallow copy of a plain object, for copies that are frozen afterwards.
 * Same result as `{ ...value }`, but V8 (Node 20) gives every frozen spread
 * copy a hidden class of its own (about 300 bytes of maps and descriptors per
 * object), while `Object.assign` onto `{}` builds the copies along shared
 * transitions, so all copies of one shape share one hidden class.
 */
export function plainCopy<T extends object>(value: T, ...overrides: Partial<T>[]): T {
  // JSON data may hold an own "__proto__" key, which Object.assign would turn into the copy's prototype.
  if (Object.hasOwn(value, '__proto__')) return Object.assign({ ...value }, ...overrides);
  return Object.assign({}, value, ...overrides);
}

/**
 * Freezes `value` and everything under it that is not frozen yet. Subtrees
 * shared with an earlier (already frozen) version are skipped in O(1), so a
 * write pays only for what it changed.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  // Leaves (most children) are told apart here, without a call each.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null) deepFreeze(item);
    }
  } else {
    for (const key in value) {
      const item: unknown = (value as Record<string, unknown>)[key];
      if (typeof item === 'object' && item !== null) deepFreeze(item);
    }
  }
  return value;
}

/**
 * Returns `next` with every subtree that deep-equals the same place in `prev`
 * replaced by `prev`'s (frozen) subtree, so consecutive versions share what
 * did not change; returns `prev` itself when nothing changed. `next` is never
 * modified: a container is copied only when one of its children is swapped
 * for `prev`'s, otherwise `next`'s own container is kept.
 */
export function shareUnchanged<T>(prev: unknown, next: T): T {
  if (prev === next || typeof next !== 'object' || next === null || typeof prev !== 'object' || prev === null) {
    return next;
  }
  if (Array.isArray(next)) {
    if (!Array.isArray(prev)) return next;
    let samePrev = prev.length === next.length;
    let out: unknown[] | undefined;
    for (let i = 0; i < next.length; i++) {
      const child = next[i];
      const shared =
        typeof child === 'object' && child !== null && i < prev.length ? shareUnchanged(prev[i], child) : child;
      if (shared !== prev[i]) samePrev = false;
      if (shared !== child) {
        out ??= next.slice();
        out[i] = shared;
      }
    }
    return (samePrev ? prev : (out ?? next)) as T;
  }
  if (Array.isArray(prev)) return next;
  const before = prev as Record<string, unknown>;
  const after = next as Record<string, unknown>;
  let samePrev = true;
  let count = 0;
  let out: Record<string, unknown> | undefined;
  for (const key in after) {
    count++;
    const child = after[key];
    // A leaf is its own shared value: no call for it.
    const shared =
      typeof child === 'object' && child !== null && key in before ? shareUnchanged(before[key], child) : child;
    if (shared !== before[key]) samePrev = false;
    if (shared !== child) {
      out ??= plainCopy(after);
      out[key] = shared;
    }
  }
  if (samePrev) {
    for (const _ in before) count--;
    if (count === 0) return prev as T;
  }
  return (out ?? next) as T;
}

/** Deep equality of plain JSON values, with a shortcut for shared references. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  let count = 0;
  for (const key in a) {
    if (!(key in b) || !jsonEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) {
      return false;
    }
    count++;
  }
  for (const _ in b) count--;
  return count === 0;
}
