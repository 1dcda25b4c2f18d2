/**
 * Rebuilding what a cluster looked like at any point of its run, from its
 * log alone: the same projection the live store runs, fed only the entries
 * up to one revision.
 */
import { builtinTypes } from '@keelson/api';
import { VirtualClock } from '@keelson/clock';
import { createStore, ForbiddenError, InvalidError, type ResourceType, type Store } from '@keelson/core';
import type { EventLog, LogEntry, NewLogEntry, Revision } from '@keelson/eventlog';
import { filter, type Observable } from 'rxjs';

/** Options for {@link replayLog}. */
export interface ReplayOptions {
  /** The last revision to apply (inclusive); default the log's head when called. */
  until?: Revision;
  /** The kinds in the log (default `builtinTypes`); entries of other kinds are ignored. */
  types?: readonly ResourceType[];
}

/** A read-only store rebuilt from a log as of one revision. */
export interface ReplayedStore extends Pick<Store, 'get' | 'list' | 'history' | 'watch' | 'at'> {
  /** The revision the view reflects: the last entry at or before `until`. */
  readonly revision: number;
  /** Releases the projection (the log itself stays open). */
  close(): Promise<void>;
}

function readOnly(): never {
  throw new ForbiddenError('replayLog: a replayed store is read-only; write to the live store instead');
}

/** The log as it was up to `until`: later entries are invisible and nothing can be appended. */
function logUntil<T>(log: EventLog<T>, until: Revision, head: Revision): EventLog<T> {
  return {
    append: (_entry: NewLogEntry<T>) => Promise.reject(new ForbiddenError('replayLog: a replayed store is read-only')),
    read: (options = {}) => log.read({ ...options, to: Math.min(options.to ?? until, until) }),
    subscribe: (from: Revision): Observable<LogEntry<T>> =>
      log.subscribe(from).pipe(filter((entry) => entry.revision <= until)),
    head: async () => head,
    compact: async () => readOnly(),
    close: async () => undefined,
  };
}

/** The revision of the last entry at or before `until`; 0 when there is none. */
async function lastRevisionAtOrBefore(log: EventLog, until: Revision): Promise<Revision> {
  const head = await log.head();
  if (until >= head) return head;
  let last = 0;
  for await (const entry of log.read({ to: until })) last = entry.revision;
  return last;
}

/**
 * Rebuilds the store as it was at revision `until` of `log` — a read-only
 * view with `get`, `list`, `history` and `watch`, to inspect a run after the
 * fact (or a file log from a run long gone). The log is not modified.
 *
 * @throws {InvalidError} when `until` is not an integer >= 0.
 * @example
 * ```ts
 * const before = await replayLog(cluster.log, { until: revisionBeforeTheFailure });
 * const pods = await before.list(Pod, { namespace: 'default' });
 * await before.close();
 * ```
 */
export async function replayLog(log: EventLog, options: ReplayOptions = {}): Promise<ReplayedStore> {
  if (!log || typeof log.subscribe !== 'function' || typeof log.head !== 'function') {
    throw new InvalidError('replayLog: pass an event log (cluster.log, createMemoryLog(), openFileLog(...))');
  }
  const { until } = options;
  if (until !== undefined && (!Number.isSafeInteger(until) || until < 0)) {
    throw new InvalidError(`replayLog: until must be a revision (an integer >= 0), got ${String(until)}`);
  }
  const revision = await lastRevisionAtOrBefore(log, until ?? (await log.head()));
  const store = await createStore({
    log: logUntil(log, revision, revision),
    types: options.types ?? builtinTypes,
    // A replay runs no timers of its own; a private clock keeps it off the cluster's.
    clock: new VirtualClock(0),
    logger: { warn: () => undefined },
  });
  return {
    revision,
    get: store.get.bind(store),
    list: store.list.bind(store),
    history: store.history.bind(store),
    watch: store.watch.bind(store),
    at: store.at.bind(store),
    close: () => store.close(),
  };
}
