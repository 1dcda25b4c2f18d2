import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Fallback } from './crc32';

describe('crc32', () => {
  it('matches the IEEE check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32Fallback(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('gives the same answer natively and portably', () => {
    for (let size = 0; size < 2000; size += 97) {
      const bytes = randomBytes(size);
      expect(crc32Fallback(bytes)).toBe(crc32(bytes));
    }
  });
});
