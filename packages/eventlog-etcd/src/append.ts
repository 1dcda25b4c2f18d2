import {
  AppendConflictError,
  type AppendOptions,
  createMemoryLog,
  InvalidError,
  type LogEntry,
  type NewLogEntry,
} from '@keelson/eventlog';
import type { ICompare, IKeyValue, IRequestOp, ITxnResponse } from 'etcd3';
import { type Connection, neverApplied, transient } from './connection';
import { AppendOutcomeUnknownError, EtcdUnavailableError } from './errors';
import { encodeEntry, type KeyLayout, requestIdOf } from './layout';

// etcd's protocol enums (etcdserverpb): Compare.CompareResult and Compare.CompareTarget.
const EQUAL = 0;
const GREATER = 1;
const VERSION = 0;
const MOD = 2;

/** The key's state as etcd reported it: its live value and its last tombstone. */
interface KeyState {
  live: IKeyValue | undefined;
  tomb: IKeyValue | undefined;
}

const revisionOf = (kv: IKeyValue | undefined): number => (kv ? Number(kv.mod_revision) : 0);

/**
 * @internal Checks an entry as every Keelson log does, with the memory log as
 * the reference: the same rules and messages for bad input everywhere, and
 * nothing reaches etcd unless they pass.
 */
async function checkInput<T>(entry: NewLogEntry<T>, options: AppendOptions | undefined, maxEntryBytes: number) {
  const expected = options?.expectedRevision;
  if (expected !== undefined && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw new InvalidError(
      `options.expectedRevision must be an integer >= 0 (0 = the key is absent), got ${String(expected)}`,
    );
  }
  if (typeof entry !== 'object' || entry === null) {
    throw new InvalidError(`entry must be an object with key, type, time and data, got ${String(entry)}`);
  }
  if (entry.tombstone !== undefined && entry.tombstone !== true) {
    throw new InvalidError(`entry.tombstone must be true or absent, got ${String(entry.tombstone)}`);
  }
  const { tombstone: _tombstone, ...rest } = entry;
  await createMemoryLog<T>({ maxEntryBytes }).append(rest);
}

/**
 * @internal Appends entries as single etcd transactions and settles appends
 * whose answer was lost by reading the key back.
 */
export class Appender {
  constructor(
    private readonly connection: Connection,
    private readonly layout: KeyLayout,
  ) {}

  async append<T>(input: NewLogEntry<T>, options: AppendOptions | undefined, requestId: () => string) {
    await checkInput(input, options, this.connection.options.maxEntryBytes);
    const meta = { ...input.meta };
    meta.requestId ??= requestId();
    const entry: NewLogEntry<T> = { ...input, meta };
    const expected = options?.expectedRevision;
    if (entry.tombstone && expected === 0) {
      // A tombstone needs a live key; "absent" can never match. Report what is there.
      const state = await this.readKey(entry.key, 'append');
      throw this.conflict(entry, expected, revisionOf(state.live));
    }
    return this.run(entry, expected, encodeEntry(entry), meta.requestId);
  }

  private txn(entry: NewLogEntry, expected: number | undefined, value: Buffer) {
    const live = this.layout.live(entry.key);
    const compare: ICompare[] = [];
    if (expected === 0) compare.push({ key: live, target: VERSION, result: EQUAL, version: 0 });
    else if (expected !== undefined) compare.push({ key: live, target: MOD, result: EQUAL, mod_revision: expected });
    else if (entry.tombstone) compare.push({ key: live, target: VERSION, result: GREATER, version: 0 });
    const success: IRequestOp[] = entry.tombstone
      ? [{ request_delete_range: { key: live } }, { request_put: { key: this.layout.tomb(entry.key), value } }]
      : [{ request_put: { key: live, value } }];
    const failure: IRequestOp[] = [
      { request_range: { key: live } },
      { request_range: { key: this.layout.tomb(entry.key) } },
    ];
    return { compare, success, failure };
  }

  private async run<T>(entry: NewLogEntry<T>, expected: number | undefined, value: Buffer, requestId: string) {
    const connection = this.connection;
    const started = connection.clock.now();
    const request = this.txn(entry, expected, value);
    let retried = false;
    for (let attempt = 0; ; attempt++) {
      let response: ITxnResponse;
      try {
        response = await connection.timed(() => connection.client.kv.txn(request));
      } catch (error) {
        if (!transient(error)) throw this.refused(entry, error);
        const waited = connection.clock.now() - started;
        if (neverApplied(error)) {
          // The request never reached etcd: sending it again cannot write it twice.
          if (waited >= connection.options.unavailableTimeoutMs) {
            throw new EtcdUnavailableError(`append to key "${entry.key}"`, waited, error);
          }
          await connection.backoff(attempt);
          continue;
        }
        const state = await this.settle(entry, requestId, error);
        const mine = this.mine(entry, state, requestId);
        if (mine !== undefined) return this.sealed(entry, mine);
        if (expected === undefined) throw new AppendOutcomeUnknownError(entry.key, requestId, error);
        const actual = revisionOf(state.live);
        // The compare guards a conditional append: while the key is still where the lost txn expected
        // it, exactly one of the lost txn and this retry can land, so retrying cannot write twice.
        if (actual !== expected) throw this.conflict(entry, expected, actual);
        if (connection.clock.now() - started >= connection.options.unavailableTimeoutMs) {
          throw new AppendOutcomeUnknownError(entry.key, requestId, error);
        }
        retried = true;
        continue;
      }
      if (response.succeeded) return this.sealed(entry, Number(response.header.revision));
      const state: KeyState = {
        live: response.responses[0]?.response_range?.kvs[0],
        tomb: response.responses[1]?.response_range?.kvs[0],
      };
      if (retried) {
        const mine = this.mine(entry, state, requestId);
        if (mine !== undefined) return this.sealed(entry, mine);
      }
      throw this.conflict(entry, expected, revisionOf(state.live));
    }
  }

  /**
   * The revision of this request's entry when the key's last entry (its live
   * value, or for a tombstone its last tombstone) carries the requestId.
   */
  private mine(entry: NewLogEntry, state: KeyState, requestId: string): number | undefined {
    const last = entry.tombstone ? state.tomb : state.live;
    return requestIdOf(last) === requestId ? revisionOf(last) : undefined;
  }

  /**
   * The txn's answer was lost after it left: read the key (retrying while
   * etcd is unreachable) so the caller can tell whether it landed.
   */
  private async settle(entry: NewLogEntry, requestId: string, cause: unknown): Promise<KeyState> {
    try {
      return await this.readKey(entry.key, `append to key "${entry.key}"`);
    } catch (error) {
      if (error instanceof EtcdUnavailableError) throw new AppendOutcomeUnknownError(entry.key, requestId, cause);
      throw error;
    }
  }

  /** The key's live value and last tombstone, read together (linearizable). */
  async readKey(key: string, what: string): Promise<KeyState> {
    const client = this.connection.client;
    const response = await this.connection.retrying(what, () =>
      client.kv.txn({
        compare: [],
        success: [{ request_range: { key: this.layout.live(key) } }, { request_range: { key: this.layout.tomb(key) } }],
        failure: [],
      }),
    );
    return {
      live: response.responses[0]?.response_range?.kvs[0],
      tomb: response.responses[1]?.response_range?.kvs[0],
    };
  }

  private conflict(entry: NewLogEntry, expected: number | undefined, actual: number): AppendConflictError {
    if (entry.tombstone && actual === 0 && (expected === undefined || expected === 0)) {
      return new AppendConflictError(
        entry.key,
        expected ?? 0,
        0,
        `cannot append a tombstone to key "${entry.key}": it is absent`,
      );
    }
    return new AppendConflictError(entry.key, expected ?? 0, actual);
  }

  private refused(entry: NewLogEntry, error: unknown): unknown {
    if (error instanceof Error && /request is too large/.test(error.message)) {
      return new InvalidError(
        `entry for key "${entry.key}" is larger than etcd accepts (its --max-request-bytes); ` +
          'start etcd with --max-request-bytes above the log’s maxEntryBytes, or store less per entry',
      );
    }
    return error;
  }

  private sealed<T>(entry: NewLogEntry<T>, revision: number): LogEntry<T> {
    const sealed: LogEntry<T> = { revision, key: entry.key, type: entry.type, time: entry.time, data: entry.data };
    if (entry.tombstone) sealed.tombstone = true;
    if (entry.meta !== undefined) sealed.meta = Object.freeze({ ...entry.meta });
    return Object.freeze(sealed);
  }
}
