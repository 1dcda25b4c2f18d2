import { KeelsonError } from '@keelson/eventlog';

/** One reason behind a refusal, as Kubernetes' `StatusCause` carries it (`type` such as `DisruptionBudget`). */
export interface StatusCause {
  type: string;
  message: string;
  field?: string;
}

/** What a {@link TooManyRequestsError} is about, as Kubernetes' `StatusDetails`. */
export interface TooManyRequestsDetails {
  /** The kind of the object that refused (e.g. `PodDisruptionBudget`). */
  kind?: string;
  /** Its name. */
  name?: string;
  /** Its API group (`policy`). */
  group?: string;
  /** Why, one entry per reason. */
  causes?: readonly StatusCause[];
  /** Seconds the client should wait before trying again (0: no suggestion). */
  retryAfterSeconds?: number;
}

/**
 * 429: the request is refused for now and may succeed later, e.g. an
 * eviction a disruption budget does not allow yet. Retry after
 * `details.retryAfterSeconds` (or a back-off of your own when it is 0);
 * nothing was written.
 */
export class TooManyRequestsError extends KeelsonError {
  readonly details: TooManyRequestsDetails;

  constructor(message: string, details: TooManyRequestsDetails = {}) {
    super('TooManyRequests', 429, message);
    this.details = details;
  }
}
