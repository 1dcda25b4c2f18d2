const BRAND = Symbol.for('@keelson/error');

/**
 * The base of every error Keelson throws on purpose. `code` says what went
 * wrong and `status` is the matching HTTP status, as the Kubernetes API would
 * answer. Recognise one with {@link isKeelsonError}, which works across
 * duplicate copies of the package (ESM and CJS), unlike `instanceof`.
 */
export class KeelsonError extends Error {
  readonly [BRAND] = true;

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Whether `error` is a {@link KeelsonError}, optionally with the given `code`. */
export function isKeelsonError(error: unknown, code?: string): error is KeelsonError {
  if (typeof error !== 'object' || error === null || (error as { [BRAND]?: unknown })[BRAND] !== true) return false;
  return code === undefined || (error as KeelsonError).code === code;
}

/** Bad input: the message names the field and what to do. Nothing was written. */
export class InvalidError extends KeelsonError {
  constructor(message: string) {
    super('Invalid', 400, message);
  }
}

/** An append's `expectedRevision` did not match the key's last revision (0 = absent). Nothing was written. */
export class AppendConflictError extends KeelsonError {
  constructor(
    readonly key: string,
    readonly expectedRevision: number,
    readonly actualRevision: number,
    message?: string,
  ) {
    super(
      'AppendConflict',
      409,
      message ??
        `append to key "${key}" expected revision ${expectedRevision} but the key is at ${actualRevision}` +
          `${actualRevision === 0 ? ' (absent)' : ''}; read the key again and retry`,
    );
  }
}

/** A read or subscription asked for revisions that compaction has dropped. */
export class CompactedError extends KeelsonError {
  constructor(
    readonly requested: number,
    readonly compactedBefore: number,
  ) {
    super(
      'Compacted',
      410,
      `revision ${requested} has been compacted (entries before ${compactedBefore} are gone); read from 0 for the current state`,
    );
  }
}

/** Stored data fails its checksum or framing before the tail; the log refuses to skip it. */
export class CorruptLogError extends KeelsonError {
  constructor(
    readonly file: string,
    readonly offset: number,
    detail: string,
  ) {
    super(
      'CorruptLog',
      500,
      `corrupt log segment ${file} at byte ${offset}: ${detail}; restore the directory from a backup or remove the damaged segment by hand`,
    );
  }
}

/** A segment is of a format version this code does not read (written by a newer release). Nothing was changed. */
export class UnsupportedLogFormatError extends KeelsonError {
  constructor(
    readonly file: string,
    readonly version: number,
    readonly supported: readonly number[],
  ) {
    super(
      'UnsupportedLogFormat',
      500,
      `log segment ${file} is in format version ${version}, but this @keelson/eventlog reads versions ` +
        `${supported.join(', ')}; open it with the release that wrote it (or a newer one)`,
    );
  }
}

/** The log was closed (or failed and closed itself); open it again to go on. */
export class LogClosedError extends KeelsonError {
  constructor(message = 'the event log is closed; open it again to read or append', options?: { cause?: unknown }) {
    super('LogClosed', 503, message, options);
  }
}

/** Another writer holds the log directory. */
export class LogLockedError extends KeelsonError {
  constructor(
    readonly dir: string,
    readonly holder: string,
  ) {
    super(
      'LogLocked',
      423,
      `the log at ${dir} is locked by ${holder}; close that log first (a file log has one writer at a time)`,
    );
  }
}
