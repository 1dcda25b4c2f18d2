import type { PodTemplateSpec } from '@keelson/api';
import { describe, expect, it } from 'vitest';
import { equalIgnoreHash, fnv1a32, podTemplateHash, SAFE_ENCODE_ALPHABET, safeEncodeString } from './podTemplateHash';

const template = (image: string, extra: Partial<PodTemplateSpec['metadata']> = {}): PodTemplateSpec =>
  ({
    metadata: { labels: { app: 'web' }, ...extra },
    spec: { containers: [{ name: 'app', image }], restartPolicy: 'Always' },
  }) as unknown as PodTemplateSpec;

describe('fnv1a32', () => {
  it('matches the published FNV-1a test vectors', () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(fnv1a32(bytes(''))).toBe(0x811c9dc5);
    expect(fnv1a32(bytes('a'))).toBe(0xe40c292c);
    expect(fnv1a32(bytes('foobar'))).toBe(0xbf9cf968);
  });
});

describe('safeEncodeString', () => {
  it('maps each character by its code onto the vowel-free alphabet', () => {
    // '0' is code 48, and 48 mod 27 = 21, the alphabet's '4'; '6' is 54 mod 27 = 0, its 'b'.
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
    expect(SAFE_ENCODE_ALPHABET).toHaveLength(27);
  });
});

describe('podTemplateHash', () => {
  it('is deterministic, independent of key order, and made of the safe alphabet', () => {
    const a = template('nginx:1.25');
    const reordered = {
      spec: { restartPolicy: 'Always', containers: [{ image: 'nginx:1.25', name: 'app' }] },
      metadata: { labels: { app: 'web' } },
    };
    expect(podTemplateHash(a)).toBe(podTemplateHash(reordered as unknown as PodTemplateSpec));
    expect(podTemplateHash(a)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });

  it('differs for another template and for another collision count', () => {
    const a = template('nginx:1.25');
    const hashes = new Set([
      podTemplateHash(a),
      podTemplateHash(template('nginx:1.26')),
      podTemplateHash(a, 0),
      podTemplateHash(a, 1),
    ]);
    expect(hashes.size).toBe(4);
  });

  it('is the same for templates that are equal but for empty maps', () => {
    expect(podTemplateHash(template('nginx:1.25', { annotations: {} }))).toBe(podTemplateHash(template('nginx:1.25')));
  });
});

describe('equalIgnoreHash', () => {
  it('ignores the pod-template-hash label and nothing else', () => {
    const hashed = template('nginx:1.25', { labels: { app: 'web', 'pod-template-hash': 'abc' } });
    expect(equalIgnoreHash(hashed, template('nginx:1.25'))).toBe(true);
    expect(equalIgnoreHash(hashed, template('nginx:1.26'))).toBe(false);
    expect(equalIgnoreHash(template('nginx:1.25', { labels: { app: 'api' } }), template('nginx:1.25'))).toBe(false);
  });
});
