import type { Clock, Random, TimerHandle } from '@keelson/clock';
import { LogClosedError } from '@keelson/eventlog';
import { Etcd3, type IOptions, isRecoverableError } from 'etcd3';
import { EtcdUnavailableError } from './errors';
import type { ResolvedOptions } from './options';

type Policy = NonNullable<NonNullable<IOptions['faultHandling']>['global']>;

/** @internal An etcd call took longer than the request timeout; its outcome is unknown. */
export class CallTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/** @internal A host skipped because it failed repeatedly just now: the request was never sent. */
class HostResting extends Error {
  constructor(host: string) {
    super(`etcd host ${host} failed repeatedly; resting it`);
  }
}

const noEvent = () => ({ dispose: () => undefined });

/**
 * No retries at the client level: the etcd3 client's default policy retries
 * any call three times, which for a txn whose answer was lost means writing
 * the entry twice. The log decides itself what is safe to retry.
 */
function passThrough(): Policy {
  return {
    onSuccess: noEvent,
    onFailure: noEvent,
    execute: async (fn: (context: { signal: AbortSignal }) => unknown) => fn({ signal: new AbortController().signal }),
  } as unknown as Policy;
}

/**
 * Per host: after 3 consecutive failures the host rests for a second, so a
 * dead member of a cluster is skipped (its requests never leave) instead of
 * costing every other call a failed attempt. Timed on the log's clock.
 */
function restingHost(host: string, clock: Clock): Policy {
  let failures = 0;
  let restUntil = 0;
  return {
    onSuccess: noEvent,
    onFailure: noEvent,
    async execute(fn: (context: { signal: AbortSignal }) => unknown) {
      if (failures >= 3 && clock.now() < restUntil) throw new HostResting(host);
      try {
        const result = await fn({ signal: new AbortController().signal });
        failures = 0;
        return result;
      } catch (error) {
        if (error instanceof Error && isRecoverableError(error)) {
          failures++;
          if (failures >= 3) restUntil = clock.now() + 1_000;
        }
        throw error;
      }
    },
  } as unknown as Policy;
}

/** @internal Whether a failed call certainly never reached etcd's state machine (safe to send again). */
export function neverApplied(error: unknown): boolean {
  if (error instanceof HostResting) return true;
  if (!(error instanceof Error)) return false;
  return /No connection established|etcdserver: no leader|etcdserver: too many requests|etcdserver: not capable/.test(
    error.message,
  );
}

/** @internal Whether a failure is transient (the call may succeed later) rather than a refusal. */
export function transient(error: unknown): boolean {
  if (error instanceof CallTimeout || error instanceof HostResting) return true;
  if (!(error instanceof Error)) return false;
  if (/database space exceeded|request is too large/.test(error.message)) return false;
  return isRecoverableError(error);
}

/** @internal etcd's "required revision has been compacted". */
export function compactedError(error: unknown): boolean {
  return error instanceof Error && /required revision has been compacted/.test(error.message);
}

/** @internal The etcd3 client and the timing rules every call of the log goes through. */
export class Connection {
  readonly client: Etcd3;
  readonly clock: Clock;
  private readonly backoffRandom: Random;
  private closed = false;

  constructor(readonly options: ResolvedOptions) {
    this.clock = options.clock;
    this.backoffRandom = options.random.fork('etcd-backoff');
    const clientOptions: IOptions = {
      hosts: options.hosts,
      faultHandling: { global: passThrough(), host: (host) => restingHost(host, options.clock) },
      grpcOptions: {
        // Base reads and catch-up watch responses can be large; entries are bounded, batches are not.
        'grpc.max_receive_message_length': -1,
        'grpc.max_send_message_length': -1,
        // Find dead connections (a frozen or partitioned member) within ~15 s.
        'grpc.keepalive_time_ms': 10_000,
        'grpc.keepalive_timeout_ms': 5_000,
      },
    };
    if (options.auth) clientOptions.auth = options.auth;
    if (options.credentials) clientOptions.credentials = options.credentials;
    this.client = new Etcd3(clientOptions);
  }

  /** `call`'s result, or `CallTimeout` after the request timeout (the call itself goes on). */
  timed<T>(call: () => Promise<T>, ms = this.options.requestTimeoutMs): Promise<T> {
    if (this.closed) return Promise.reject(new LogClosedError());
    return new Promise<T>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => reject(new CallTimeout(ms)), ms);
      this.clock.track(Promise.resolve().then(call)).then(
        (value) => {
          this.clock.clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          this.clock.clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /**
   * An idempotent call (a read, a compaction), retried with backoff while it
   * fails transiently, for up to the unavailable timeout.
   */
  async retrying<T>(what: string, call: () => Promise<T>): Promise<T> {
    const started = this.clock.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.timed(call);
      } catch (error) {
        if (this.closed) throw new LogClosedError();
        if (!transient(error)) throw error;
        const waited = this.clock.now() - started;
        if (waited >= this.options.unavailableTimeoutMs) {
          throw new EtcdUnavailableError(what, waited, error);
        }
        await this.backoff(attempt);
      }
    }
  }

  /** Waits 50 ms × 2^attempt (at most 1 s), with jitter, on the log's clock. */
  backoff(attempt: number): Promise<void> {
    const base = Math.min(1_000, 50 * 2 ** Math.min(attempt, 5));
    return this.sleep(base / 2 + this.backoffRandom.next() * (base / 2));
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.clock.setTimeout(resolve, ms);
    });
  }

  /** A timer on the log's clock that the caller cancels with the returned function. */
  timer(fn: () => void, ms: number): () => void {
    const handle: TimerHandle = this.clock.setTimeout(fn, ms);
    return () => this.clock.clearTimeout(handle);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
  }
}
