/**
 * The kubelet's container hash (`HashContainer`): a digest of the container
 * spec taken when a container is created. When the stored spec's hash no
 * longer matches (an image update of a running pod), the kubelet kills the
 * container and starts it again.
 */
import type { Container } from '@keelson/api';

/** JSON with object keys sorted, so that the same spec always gives the same text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Hashes of frozen (store-owned, so never changing) container specs, computed once each. */
const frozenHashes = new WeakMap<Container, string>();

/** FNV-1a (32 bit) of the container spec, as hex: what the kubelet compares to decide on a restart. */
export function hashContainer(container: Container): string {
  const known = frozenHashes.get(container);
  if (known !== undefined) return known;
  let hash = 0x811c9dc5;
  for (const char of stableJson(container)) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const hex = hash.toString(16).padStart(8, '0');
  if (Object.isFrozen(container)) frozenHashes.set(container, hex);
  return hex;
}
