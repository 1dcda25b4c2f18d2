import { describe, expect, it, vi } from 'vitest';
import { CriError, CriErrorCode, GRPC_STATUS_CODES, isCriError } from './errors';

describe('CriError', () => {
  it('carries a code, a message, a cause and the name CriError', () => {
    const cause = new Error('socket closed');
    const error = new CriError('NotFound', 'container "c1" not found; list containers to see which exist', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CriError');
    expect(error.code).toBe('NotFound');
    expect(error.message).toBe('container "c1" not found; list containers to see which exist');
    expect(error.cause).toBe(cause);
    expect(error.stack).toContain('CriError');
  });

  it('maps every code to its gRPC status number', () => {
    const expected: Record<CriErrorCode, number> = {
      InvalidArgument: 3,
      DeadlineExceeded: 4,
      NotFound: 5,
      AlreadyExists: 6,
      ResourceExhausted: 8,
      FailedPrecondition: 9,
      Unimplemented: 12,
      Internal: 13,
      Unavailable: 14,
      Unauthenticated: 16,
    };
    expect(GRPC_STATUS_CODES).toEqual(expected);
    for (const code of Object.values(CriErrorCode)) {
      expect(new CriError(code, 'x').grpcStatus).toBe(expected[code]);
    }
  });

  it('names each code after itself', () => {
    for (const [key, value] of Object.entries(CriErrorCode)) expect(value).toBe(key);
    expect(Object.keys(CriErrorCode)).toHaveLength(10);
  });
});

describe('isCriError', () => {
  it('recognises a CriError, with or without a code', () => {
    const error = new CriError('FailedPrecondition', 'container "c1" is running; stop it first');
    expect(isCriError(error)).toBe(true);
    expect(isCriError(error, 'FailedPrecondition')).toBe(true);
    expect(isCriError(error, 'NotFound')).toBe(false);
  });

  it('rejects other values', () => {
    for (const value of [
      new Error('plain'),
      Object.assign(new Error('look-alike'), { code: 'NotFound' }),
      { code: 'NotFound', message: 'object' },
      'NotFound',
      null,
      undefined,
      42,
    ]) {
      expect(isCriError(value)).toBe(false);
      expect(isCriError(value, 'NotFound')).toBe(false);
    }
  });

  it('recognises an error from another copy of the package by its global brand', async () => {
    vi.resetModules();
    const copy = await import('./errors');
    expect(copy.CriError).not.toBe(CriError);

    const foreign = new copy.CriError('Unavailable', 'runtime is shutting down; retry later');
    expect(foreign).not.toBeInstanceOf(CriError);
    expect(isCriError(foreign)).toBe(true);
    expect(isCriError(foreign, 'Unavailable')).toBe(true);
    expect(isCriError(foreign, 'Internal')).toBe(false);
    expect(copy.isCriError(new CriError('Internal', 'x'), 'Internal')).toBe(true);
  });

  it('recognises any object with the brand, as a hand-written copy would make', () => {
    const branded = Object.assign(new Error('from elsewhere'), {
      [Symbol.for('@keelson/cri-error')]: true,
      code: 'DeadlineExceeded',
    });
    expect(isCriError(branded, 'DeadlineExceeded')).toBe(true);
    expect(isCriError({ [Symbol.for('@keelson/cri-error')]: 'yes' })).toBe(false);
  });
});
