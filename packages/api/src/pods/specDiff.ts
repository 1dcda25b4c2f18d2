/** Comparing pod specs field by field, for the update rules. */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The paths under `path` where `a` and `b` differ, as deep as both sides have the same shape. */
export function differences(a: unknown, b: unknown, path: string, out: string[] = []): string[] {
  if (a === b) return out; // unchanged subtrees are shared by reference
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(path);
    else for (let i = 0; i < a.length; i++) differences(a[i], b[i], `${path}[${i}]`, out);
    return out;
  }
  if (isRecord(a) && isRecord(b)) {
    for (const key in a) differences(a[key], b[key], `${path}.${key}`, out);
    for (const key in b) if (!(key in a)) differences(undefined, b[key], `${path}.${key}`, out);
    return out;
  }
  if (!Object.is(a, b)) out.push(path);
  return out;
}

/** `object` with `key` set to `value`, or without `key` when `value` is undefined. */
export function withField<T extends object, K extends keyof T>(object: T, key: K, value: T[K] | undefined): T {
  const out = { ...object };
  if (value === undefined) delete out[key];
  else out[key] = value;
  return out;
}
