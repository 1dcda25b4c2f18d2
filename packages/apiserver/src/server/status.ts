import type { FieldIssue, StatusCause } from '@keelson/core';
import { isKeelsonError, KeelsonError } from '@keelson/core';

/** `metav1.Status`, the body of every error answer (and of a successful delete of a gone object). */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

/** `metav1.StatusDetails`. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** An error the server answers with a given status, reason and details (e.g. 404 for an unknown path). */
export class HttpError extends KeelsonError {
  constructor(
    status: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(reason, status, message);
  }
}

/** Kubernetes' `StatusReason` for each of Keelson's error codes. */
const REASONS: Readonly<Record<string, string>> = {
  NotFound: 'NotFound',
  AlreadyExists: 'AlreadyExists',
  Conflict: 'Conflict',
  Validation: 'Invalid',
  Invalid: 'BadRequest',
  Forbidden: 'Forbidden',
  Expired: 'Expired',
  Gone: 'Gone',
  Timeout: 'Timeout',
  TooManyRequests: 'TooManyRequests',
  Unauthorized: 'Unauthorized',
  MethodNotAllowed: 'MethodNotAllowed',
  NotAcceptable: 'NotAcceptable',
  UnsupportedMediaType: 'UnsupportedMediaType',
  RequestEntityTooLarge: 'RequestEntityTooLarge',
  BadRequest: 'BadRequest',
  InternalError: 'InternalError',
};

/** Where the error was about, for `details`. */
export interface StatusTarget {
  group?: string;
  /** The resource, as Kubernetes' details name it: the plural (`pods`). */
  kind?: string;
  name?: string;
}

/** Turns any thrown value into the Status Kubernetes would answer; unknown errors are a 500. */
export function statusOf(error: unknown, target: StatusTarget = {}): Status {
  if (!isKeelsonError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return failure(500, 'InternalError', `Internal error occurred: ${message}`);
  }
  const reason = error instanceof HttpError ? error.reason : (REASONS[error.code] ?? 'InternalError');
  const code = error.status >= 400 && error.status < 600 ? error.status : 500;
  const details: StatusDetails = { ...detailsOf(error, target) };
  const status = failure(code, reason, error.message);
  if (Object.keys(details).length > 0 || target.kind !== undefined) status.details = details;
  return status;
}

function detailsOf(error: KeelsonError, target: StatusTarget): StatusDetails {
  const details: StatusDetails = {};
  if (target.name !== undefined) details.name = target.name;
  if (target.group !== undefined) details.group = target.group;
  if (target.kind !== undefined) details.kind = target.kind;
  if (error instanceof HttpError) return error.details ?? details;
  const issues = (error as { issues?: readonly FieldIssue[] }).issues;
  const invalid = error as { kind?: unknown; objectName?: unknown };
  if (error.code === 'Validation' && typeof invalid.kind === 'string' && typeof invalid.objectName === 'string') {
    // kubectl prints `The <details.kind> "<details.name>" is invalid`: Kubernetes names the kind here, not the resource.
    details.kind = invalid.kind;
    details.name = invalid.objectName;
  }
  if (Array.isArray(issues) && issues.length > 0) {
    details.causes = issues.map((issue: FieldIssue) => ({
      type: 'FieldValueInvalid',
      message: issue.message,
      field: issue.path,
    }));
  }
  const extra = (error as { details?: { causes?: readonly StatusCause[]; retryAfterSeconds?: number } }).details;
  if (extra?.causes !== undefined && extra.causes.length > 0) details.causes = [...extra.causes];
  if (extra?.retryAfterSeconds !== undefined && extra.retryAfterSeconds > 0) {
    details.retryAfterSeconds = extra.retryAfterSeconds;
  }
  return details;
}

/** A failure Status with the given code, reason and message. */
export function failure(code: number, reason: string, message: string, details?: StatusDetails): Status {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details !== undefined) status.details = details;
  return status;
}

/** A success Status (a delete that removed the object at once answers with the object; this is for deletecollection-like answers). */
export function success(details?: StatusDetails): Status {
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    message: '',
    reason: '',
    code: 200,
  };
  if (details !== undefined) status.details = details;
  return status;
}
