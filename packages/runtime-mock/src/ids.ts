import { createRandom, type Random } from '@keelson/clock';

const WORD = 0x1_0000_0000;

/** `length` lowercase hex digits drawn from `random` (containerd ids are 64). */
export function randomHex(random: Random, length = 64): string {
  let out = '';
  while (out.length < length) out += random.int(WORD).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

/**
 * A stable `sha256:`-style digest for `text`. Not a real SHA-256: the mock
 * only needs digests that are well-formed, distinct per input and the same
 * on every run, and package code draws nothing from `crypto`.
 */
export function digestOf(text: string): string {
  return `sha256:${randomHex(createRandom(text, 'digest'))}`;
}
