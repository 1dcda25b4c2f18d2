/**
 * The `pod-template-hash` of a pod template, as Kubernetes' `ComputeHash`
 * makes it: a 32-bit FNV-1a hash of the template (and of the Deployment's
 * `collisionCount`, so a collision can be escaped), written as its decimal
 * digits mapped through `SafeEncodeString`'s alphabet, which has no vowels
 * (no accidental words) and no look-alike characters.
 *
 * Upstream hashes Go's printed form of the struct; Keelson hashes a
 * canonical JSON form instead (sorted keys, empty maps and lists left out),
 * so the values differ from a real cluster's but keep every property the
 * controller relies on: deterministic, stable across key order, different
 * for different templates and for different collision counts.
 */
import type { PodTemplateSpec } from '@keelson/api';
import { POD_TEMPLATE_HASH_LABEL } from './constants';

/** `SafeEncodeString`'s alphabet (k8s.io/apimachinery `util/rand`). */
export const SAFE_ENCODE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Maps every character through {@link SAFE_ENCODE_ALPHABET} by its code, as `SafeEncodeString` does. */
export function safeEncodeString(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    out += SAFE_ENCODE_ALPHABET[text.charCodeAt(i) % SAFE_ENCODE_ALPHABET.length];
  }
  return out;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a over bytes, continuing from `hash`. */
export function fnv1a32(bytes: Uint8Array, hash = FNV_OFFSET): number {
  let h = hash >>> 0;
  for (const byte of bytes) {
    h ^= byte;
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/**
 * The value with object keys sorted and absent, empty-map and empty-list
 * fields left out, so that two templates Kubernetes calls semantically
 * equal (nil and empty maps alike) have one form.
 */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = canonical((value as Record<string, unknown>)[key]);
    if (!isEmpty(child)) out[key] = child;
  }
  return out;
}

/** The canonical JSON text of a value (sorted keys, empty fields left out). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value)) ?? '';
}

/**
 * The `pod-template-hash` of `template` for a Deployment with this
 * `status.collisionCount`.
 *
 * @example
 * ```ts
 * podTemplateHash(deployment.spec.template, deployment.status?.collisionCount); // e.g. '7b9f5c8d4'
 * ```
 */
export function podTemplateHash(template: PodTemplateSpec, collisionCount?: number): string {
  let hash = fnv1a32(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined) {
    // Upstream writes the count as a little-endian uint32 into an 8-byte buffer.
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv1a32(bytes, hash);
  }
  return safeEncodeString(String(hash));
}

/** A copy of the template without the `pod-template-hash` label (what a rollback writes back). */
export function templateWithoutHash(template: PodTemplateSpec): PodTemplateSpec {
  const labels = template.metadata.labels;
  if (labels === undefined || !(POD_TEMPLATE_HASH_LABEL in labels)) return template;
  const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...rest } = labels;
  return { ...template, metadata: { ...template.metadata, labels: rest } };
}

/**
 * Kubernetes' `EqualIgnoreHash`: whether two templates are the same but for
 * the `pod-template-hash` label (missing and empty maps count as equal).
 */
export function equalIgnoreHash(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  return canonicalJson(templateWithoutHash(a)) === canonicalJson(templateWithoutHash(b));
}
