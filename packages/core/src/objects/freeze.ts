function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Freezes `value` and everything under it that is not frozen yet. Subtrees
 * shared with an earlier (already frozen) version are skipped in O(1), so a
 * write pays only for what it changed.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (const item of value) deepFreeze(item);
  } else {
    for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/**
 * Returns `next` with every subtree that deep-equals the same place in `prev`
 * replaced by `prev`'s (frozen) subtree, so consecutive versions share what
 * did not change; returns `prev` itself when nothing changed. `next` must be
 * plain JSON and is not modified: changed containers are copied.
 */
export function shareUnchanged<T>(prev: unknown, next: T): T {
  if (prev === next) return next;
  if (typeof next !== 'object' || next === null || typeof prev !== 'object' || prev === null) {
    return (prev === next ? prev : next) as T;
  }
  if (Array.isArray(next)) {
    if (!Array.isArray(prev)) return next;
    let same = prev.length === next.length;
    const out = new Array(next.length);
    for (let i = 0; i < next.length; i++) {
      const shared = i < prev.length ? shareUnchanged(prev[i], next[i]) : next[i];
      out[i] = shared;
      if (same && shared !== prev[i]) same = false;
    }
    return (same ? prev : out) as T;
  }
  if (!isPlainObject(prev) || Array.isArray(prev)) return next;
  const out: Record<string, unknown> = {};
  let same = true;
  let count = 0;
  for (const key in next) {
    const value = (next as Record<string, unknown>)[key];
    count++;
    if (!(key in prev)) {
      same = false;
      out[key] = value;
      continue;
    }
    const shared = shareUnchanged(prev[key], value);
    out[key] = shared;
    if (same && shared !== prev[key]) same = false;
  }
  if (same) {
    for (const _ in prev) count--;
    if (count === 0) return prev as T;
  }
  return out as T;
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
