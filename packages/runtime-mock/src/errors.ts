import { CriError } from '@keelson/cri';

// Constructors for the CRI errors the mock answers with, so that every call
// site words the same failure the same way and says what to do about it.

/** `NotFound` for the `what` named `id`, with what to do about it. */
export const notFound = (what: string, id: string, hint: string): CriError =>
  new CriError('NotFound', `${what} "${id}" not found; ${hint}`);

/** `NotFound` for a container id. */
export const containerNotFound = (id: string): CriError =>
  notFound('container', id, 'list containers to see which exist (it may have been removed)');

/** `NotFound` for a sandbox id. */
export const sandboxNotFound = (id: string): CriError =>
  notFound('pod sandbox', id, 'list pod sandboxes to see which exist (it may have been removed)');

/** `InvalidArgument`: the input is wrong and nothing changed. */
export const invalidArgument = (message: string): CriError => new CriError('InvalidArgument', message);

/** `FailedPrecondition`: the object is in the wrong state and nothing changed. */
export const failedPrecondition = (message: string): CriError => new CriError('FailedPrecondition', message);

/** `Unavailable` while `faults.runtimeDown()` is in effect. */
export const runtimeUnavailable = (): CriError =>
  new CriError(
    'Unavailable',
    'the container runtime is down (faults.runtimeDown() was called); call faults.runtimeUp() to bring it back',
  );

/** `Unimplemented` for an RPC CRI lets a runtime leave out. */
export const unimplemented = (rpc: string): CriError =>
  new CriError('Unimplemented', `the mock runtime does not offer ${rpc}; the kubelet falls back without it`);

/** Throws `InvalidArgument` unless `value` is a whole number of seconds >= 0. */
export function checkSeconds(rpc: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw invalidArgument(`${rpc}: ${name} must be a whole number of seconds >= 0, got ${String(value)}`);
  }
}

/** Throws `InvalidArgument` unless `value` is a non-empty string. */
export function checkNonEmpty(rpc: string, name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value === '') {
    throw invalidArgument(`${rpc}: ${name} is required and must be a non-empty string`);
  }
}

/** Network failures of a simulated probe, named like Node's socket error codes. */
export type ProbeErrorCode = 'ECONNREFUSED' | 'ETIMEDOUT' | 'EHOSTUNREACH';

/**
 * Why a simulated `httpGet` probe got no answer: the container is not
 * listening yet or any more (`ECONNREFUSED`), hangs (`ETIMEDOUT`, after the
 * probe's timeout), or is gone or its sandbox's network is down
 * (`EHOSTUNREACH`). `code` matches the `code` of Node's own socket errors, so
 * a prober can treat real and simulated failures alike.
 */
export class ProbeConnectionError extends Error {
  constructor(
    readonly code: ProbeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProbeConnectionError';
  }
}

/** Whether `error` is a {@link ProbeConnectionError}, optionally with the given `code`. */
export function isProbeConnectionError(error: unknown, code?: ProbeErrorCode): error is ProbeConnectionError {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { name?: unknown; code?: unknown };
  return candidate.name === 'ProbeConnectionError' && (code === undefined || candidate.code === code);
}
