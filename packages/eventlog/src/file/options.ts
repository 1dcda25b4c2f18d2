import type { Clock } from '@keelson/clock';
import { InvalidError } from '../errors';
import type { EventLog } from '../types';
import type { TornTail } from './format';

/**
 * When appends reach the disk:
 * - `always`: each append is written and fsynced on its own before it resolves.
 * - `batch`: group commit; appends that arrive while a write is in flight share
 *   the next write and one fsync. Like `always`, nothing acknowledged is lost.
 * - `never`: written to the OS, never fsynced: fast, but a power loss can lose
 *   acknowledged appends (a killed process does not).
 */
export type FsyncMode = 'always' | 'batch' | 'never';

/** Options for `openFileLog`. */
export interface FileLogOptions {
  /** Default `batch`. */
  fsync?: FsyncMode;
  /** Largest encoded entry accepted, in bytes (default 2 MiB). */
  maxEntryBytes?: number;
  /** A segment file is closed and a new one started past this size (default 64 MiB). */
  segmentBytes?: number;
  /** I/O is tracked on this clock, so a `VirtualClock` waits for it (default `systemClock`). */
  clock?: Clock;
}

/** What recovery cut off a torn tail when the log was opened. */
export interface RecoveryReport extends TornTail {
  segment: string;
}

/** A log on disk: the {@link EventLog} contract plus what recovery did. */
export interface FileLog<T = unknown> extends EventLog<T> {
  readonly dir: string;
  /** Set when opening cut a torn tail (a write the crash interrupted, never acknowledged). */
  readonly recovery: RecoveryReport | undefined;
}

const FSYNC_MODES: readonly FsyncMode[] = ['always', 'batch', 'never'];

/** @internal Refuses bad options before anything touches the disk. */
export function checkOptions(options: FileLogOptions): void {
  if (options.fsync !== undefined && !FSYNC_MODES.includes(options.fsync)) {
    throw new InvalidError(`options.fsync must be one of ${FSYNC_MODES.join(', ')}, got ${String(options.fsync)}`);
  }
  for (const field of ['maxEntryBytes', 'segmentBytes'] as const) {
    const value = options[field];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1024)) {
      throw new InvalidError(`options.${field} must be an integer of at least 1024 bytes, got ${String(value)}`);
    }
  }
}
