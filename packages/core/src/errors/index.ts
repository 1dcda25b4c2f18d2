import { InvalidError, isKeelsonError, KeelsonError } from '@keelson/eventlog';

export { InvalidError, isKeelsonError, KeelsonError };

/** 404: the object does not exist. */
export class NotFoundError extends KeelsonError {
  constructor(message: string) {
    super('NotFound', 404, message);
  }
}

/** 409: create of a name that is taken. */
export class AlreadyExistsError extends KeelsonError {
  constructor(message: string) {
    super('AlreadyExists', 409, message);
  }
}

/** 409: a stale resourceVersion or a failed precondition; read the object again and retry. */
export class ConflictError extends KeelsonError {
  constructor(message: string) {
    super('Conflict', 409, message);
  }
}

/** One bad field of a {@link ValidationError}. */
export interface FieldIssue {
  /** Dotted path, e.g. `spec.containers[0].image`. */
  path: string;
  message: string;
}

/** 422: the object fails its schema or a rule; `issues` lists every bad field, sorted by path. */
export class ValidationError extends KeelsonError {
  readonly issues: readonly FieldIssue[];

  constructor(
    readonly kind: string,
    readonly objectName: string,
    issues: readonly FieldIssue[],
  ) {
    const sorted = [...issues].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    super(
      'Validation',
      422,
      `${kind} "${objectName}" is invalid: ${sorted.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
    this.issues = sorted;
  }
}

/** 403: the authorizer refused; nothing was written. */
export class ForbiddenError extends KeelsonError {
  constructor(message: string) {
    super('Forbidden', 403, message);
  }
}

/** 410: the requested revision was compacted away; relist. */
export class ExpiredError extends KeelsonError {
  constructor(message: string) {
    super('Expired', 410, message);
  }
}

/** 504: waited too long (e.g. for a future resourceVersion). */
export class TimeoutError extends KeelsonError {
  constructor(message: string) {
    super('Timeout', 504, message);
  }
}

export type { StatusCause, TooManyRequestsDetails } from './tooManyRequests';
export { TooManyRequestsError } from './tooManyRequests';
