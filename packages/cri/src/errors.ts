const BRAND = Symbol.for('@keelson/cri-error');

/**
 * Why a CRI call failed, named after the gRPC status code a CRI runtime
 * answers with (containerd and CRI-O return these over gRPC; the kubelet
 * branches on some of them, e.g. `NotFound` and `DeadlineExceeded`).
 *
 * - `NotFound`: the sandbox, container or image named by id does not exist
 *   (except for stop and remove, which succeed on an unknown id).
 * - `AlreadyExists`: a sandbox with the same metadata (name, namespace, uid,
 *   attempt), or a container with the same (name, attempt) in its sandbox, is
 *   still there; remove it first or use the next attempt.
 * - `InvalidArgument`: a required field is empty or a number is out of range.
 *   Nothing changed.
 * - `FailedPrecondition`: the object is in the wrong state for the call
 *   (starting a running or exited container, creating a container in a
 *   stopped sandbox, exec in a container that is not running). Nothing changed.
 * - `Unavailable`: the runtime cannot serve now (shutting down, not ready).
 * - `DeadlineExceeded`: the call or the command it ran took longer than its
 *   timeout (e.g. `execSync`).
 * - `Unimplemented`: the runtime does not offer this RPC.
 * - `Unauthenticated`: the registry refused the pull's credentials.
 * - `Internal`: the runtime broke an invariant of its own.
 * - `ResourceExhausted`: out of disk, memory, ports or a similar quota.
 */
export const CriErrorCode = {
  NotFound: 'NotFound',
  AlreadyExists: 'AlreadyExists',
  InvalidArgument: 'InvalidArgument',
  FailedPrecondition: 'FailedPrecondition',
  Unavailable: 'Unavailable',
  DeadlineExceeded: 'DeadlineExceeded',
  Unimplemented: 'Unimplemented',
  Unauthenticated: 'Unauthenticated',
  Internal: 'Internal',
  ResourceExhausted: 'ResourceExhausted',
} as const;
/** One of {@link CriErrorCode}'s values. */
export type CriErrorCode = (typeof CriErrorCode)[keyof typeof CriErrorCode];

/**
 * The numeric gRPC status of each {@link CriErrorCode}, for adapters that talk
 * to a runtime over gRPC (map a status to a code and back).
 */
export const GRPC_STATUS_CODES: Readonly<Record<CriErrorCode, number>> = {
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

/**
 * The error every {@link RuntimeService} and {@link ImageService} call
 * rejects with on purpose. `code` says what went wrong (a gRPC status name,
 * see {@link CriErrorCode}); `message` names the id or argument at fault and
 * what to do about it. Recognise one with {@link isCriError}, which works
 * across duplicate copies of this package (ESM and CJS, or two versions),
 * unlike `instanceof`.
 */
export class CriError extends Error {
  readonly [BRAND] = true;

  constructor(
    readonly code: CriErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CriError';
  }

  /** The numeric gRPC status for {@link CriError.code} (e.g. 5 for `NotFound`). */
  get grpcStatus(): number {
    return GRPC_STATUS_CODES[this.code];
  }
}

/**
 * Whether `error` is a {@link CriError} (from any copy of this package),
 * optionally with the given `code`.
 *
 * @example
 * ```ts
 * try {
 *   await runtime.containerStatus(id);
 * } catch (error) {
 *   if (isCriError(error, 'NotFound')) return undefined; // gone: forget it
 *   throw error;
 * }
 * ```
 */
export function isCriError(error: unknown, code?: CriErrorCode): error is CriError {
  if (typeof error !== 'object' || error === null || (error as { [BRAND]?: unknown })[BRAND] !== true) return false;
  return code === undefined || (error as { code?: unknown }).code === code;
}
