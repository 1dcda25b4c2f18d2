import { InvalidError } from '../errors/index';

/** Largest object the store accepts, encoded as JSON (Kubernetes' etcd request limit). */
export const MAX_OBJECT_BYTES = 1.5 * 1024 * 1024;

/** Set by the walk when it meets a property whose value is `undefined`. */
let sawUndefined = false;

class Refusal {
  readonly path: Array<string | number> = [];
  constructor(readonly reason: string) {}
}

function isForbidden(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

// Returns a bound on the JSON size in UTF-16 units (each encodes to at most 6 bytes). The common
// (accepted) case runs without any try/catch; a refusal is located by a second walk, `locate`.
function walk(value: unknown, depth: number): number {
  if (typeof value === 'string') return value.length + 2;
  if (typeof value !== 'object' || value === null) return 24;
  if (depth > 256) throw new Refusal('is nested more than 256 levels deep');
  let units = 2;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) units += walk(value[i], depth + 1) + 1;
    return units;
  }
  for (const key of Object.keys(value)) {
    if (isForbidden(key)) throw new Refusal(`uses the reserved key "${key}"`);
    const child = (value as Record<string, unknown>)[key];
    if (child === undefined) sawUndefined = true;
    units += key.length + 4 + walk(child, depth + 1);
  }
  return units;
}

// The first refusal under `value`, with its path, in the order `walk` meets them.
function locate(value: unknown, depth: number): Refusal | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > 256) return new Refusal('is nested more than 256 levels deep');
  const array = Array.isArray(value);
  const keys: Array<string | number> = array ? value.map((_, i) => i) : Object.keys(value);
  for (const key of keys) {
    if (!array && isForbidden(key as string)) {
      const refusal = new Refusal(`uses the reserved key "${key}"`);
      refusal.path.push(key);
      return refusal;
    }
    const refusal = locate((value as Record<string | number, unknown>)[key], depth + 1);
    if (refusal) {
      refusal.path.push(key);
      return refusal;
    }
  }
  return undefined;
}

function withoutUndefined(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(withoutUndefined);
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) if (child !== undefined) out[key] = withoutUndefined(child);
  return out;
}

/**
 * Refuses input that could pollute prototypes (`__proto__`, `constructor`,
 * `prototype` as keys, anywhere) or that is over {@link MAX_OBJECT_BYTES}
 * encoded, before any schema sees it. Returns the input, or a copy without
 * properties set to `undefined` (JSON has no such thing: they mean "unset").
 */
export function inspectInput<T>(kind: string, object: T): T {
  let units: number;
  sawUndefined = false;
  try {
    units = walk(object, 0);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    const refusal = locate(object, 0) ?? error;
    const path = refusal.path
      .reverse()
      .reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : p ? `${p}.${k}` : k), '');
    throw new InvalidError(`${kind} ${path || 'object'} ${refusal.reason}; remove it`);
  }
  if (units * 6 > MAX_OBJECT_BYTES) {
    const bytes = Buffer.byteLength(JSON.stringify(object));
    if (bytes > MAX_OBJECT_BYTES) {
      throw new InvalidError(
        `${kind} is ${bytes} bytes encoded, over the ${MAX_OBJECT_BYTES}-byte object limit; store less in one object`,
      );
    }
  }
  return sawUndefined ? (withoutUndefined(object) as T) : object;
}
