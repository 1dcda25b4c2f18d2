import { KeelsonError } from '@keelson/eventlog';

/**
 * etcd did not confirm an append (a timeout or a lost connection after the
 * request left), and reading the key afterwards did not show it: the entry
 * is most likely not written, but a request still in flight inside etcd may
 * land later. The log never retries such an append blindly (a retry could
 * write it twice); read the key and decide.
 */
export class AppendOutcomeUnknownError extends KeelsonError {
  constructor(
    readonly key: string,
    readonly requestId: string,
    cause: unknown,
  ) {
    super(
      'AppendOutcomeUnknown',
      504,
      `etcd did not confirm the append to key "${key}" (meta.requestId ${requestId}): ${describeCause(cause)}; ` +
        'it was not found when the key was read back, but it may still land; read the key before appending again',
      { cause },
    );
  }
}

/** etcd could not be reached (or had no leader) for as long as the log was willing to wait. Nothing was written. */
export class EtcdUnavailableError extends KeelsonError {
  constructor(what: string, waitedMs: number, cause: unknown) {
    super(
      'Unavailable',
      503,
      `${what}: etcd did not answer within ${waitedMs} ms (${describeCause(cause)}); check that the hosts are ` +
        'reachable and the cluster has a leader',
      { cause },
    );
  }
}

/** A key of the log in etcd holds something that is not a log entry (written around the log). */
export class CorruptEntryError extends KeelsonError {
  constructor(
    readonly etcdKey: string,
    readonly revision: number,
    detail: string,
  ) {
    super(
      'CorruptLog',
      500,
      `etcd key "${etcdKey}" at revision ${revision} does not hold a Keelson log entry (${detail}); ` +
        'only the log may write under its prefix: remove the key by hand or restore it from a backup',
    );
  }
}

/** @internal A short description of whatever an etcd call failed with. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return String(cause);
}
