import { describe, expect, it } from 'vitest';
import { OPENAPI_V2_PROTOBUF, openApiV2Document } from './index';

/** The length-delimited fields of a protobuf message, by field number. */
function fields(bytes: Uint8Array): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  for (let i = 0; i < bytes.length; ) {
    const tag = bytes[i] ?? 0;
    const length = bytes[i + 1] ?? 0;
    expect(tag & 7).toBe(2);
    out.set(tag >> 3, bytes.subarray(i + 2, i + 2 + length));
    i += 2 + length;
  }
  return out;
}

describe('openApiV2Document', () => {
  it('encodes swagger 2.0 with an info and nothing else, as gnostic reads it', () => {
    const document = fields(openApiV2Document());
    expect([...document.keys()]).toEqual([1, 2]);
    expect(new TextDecoder().decode(document.get(1))).toBe('2.0');
    const info = fields(document.get(2) ?? new Uint8Array());
    expect(new TextDecoder().decode(info.get(1))).toBe('Kubernetes');
  });

  it('names a media type Go can parse (no @)', () => {
    expect(OPENAPI_V2_PROTOBUF).toMatch(/^application\/[a-z0-9.+-]+$/);
  });
});
