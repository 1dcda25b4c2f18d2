/**
 * Per-key exponential backoff with the semantics of client-go's
 * `flowcontrol.Backoff`, as the kubelet uses it for crash loops and image
 * pulls: pure bookkeeping on times passed in, no timers.
 */

/** The kubelet's initial backoff (10 s) for crash loops and image pulls. */
export const INITIAL_BACKOFF_MS = 10_000;
/** The kubelet's maximum backoff (300 s). */
export const MAX_BACKOFF_MS = 300_000;

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

/**
 * Exponential backoff per key: `next` starts at `initialMs` and doubles up to
 * `maxMs`; an entry not updated for `2 × maxMs` (10 min by default) starts over.
 */
export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly initialMs: number = INITIAL_BACKOFF_MS,
    readonly maxMs: number = MAX_BACKOFF_MS,
  ) {}

  private live(key: string, at: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    return at - entry.lastUpdate > 2 * this.maxMs ? undefined : entry;
  }

  /** Records a failure at `at`: the backoff starts (or doubles). Returns the new backoff in ms. */
  next(key: string, at: number): number {
    const entry = this.live(key, at);
    const backoffMs = entry === undefined ? this.initialMs : Math.min(entry.backoffMs * 2, this.maxMs);
    this.entries.set(key, { backoffMs, lastUpdate: at });
    return backoffMs;
  }

  /** The current backoff of `key` in ms (0 when none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /**
   * Whether `now` is within the backoff counted from `eventTime` (the
   * kubelet's `IsInBackOffSince`, with the container's finish time).
   */
  inBackoffSince(key: string, eventTime: number, now: number): boolean {
    const entry = this.live(key, eventTime);
    return entry !== undefined && now - eventTime < entry.backoffMs;
  }

  /** Whether `now` is within the backoff counted from the last `next` (`IsInBackOffSinceUpdate`). */
  inBackoffSinceUpdate(key: string, now: number): boolean {
    const entry = this.live(key, now);
    return entry !== undefined && now - entry.lastUpdate < entry.backoffMs;
  }

  /** When the backoff of `key` ends, counted from `eventTime` (or its last update). */
  endsAt(key: string, eventTime?: number): number | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    return (eventTime ?? entry.lastUpdate) + entry.backoffMs;
  }

  /** Forgets `key`. */
  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every key starting with `prefix`. */
  resetPrefix(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}

/** A whole-second duration as Go's `time.Duration` prints it (`10s`, `1m20s`, `5m0s`), for kubelet messages. */
export function formatGoDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/**
 * The kubelet's crash-loop check for an exited container, counted from its
 * finish: the `CrashLoopBackOff` message and when to try again while the
 * backoff lasts, or undefined to restart now (the backoff then grows).
 *
 * @param who how the message names the container (`container=web pod=web_default(uid)`)
 */
export function crashLoopWait(
  backoff: Backoff,
  key: string,
  finishedMs: number,
  nowMs: number,
  who: string,
): { message: string; retryAt: number } | undefined {
  if (backoff.inBackoffSince(key, finishedMs, nowMs)) {
    const ms = backoff.get(key);
    return { message: `back-off ${formatGoDuration(ms)} restarting failed ${who}`, retryAt: finishedMs + ms };
  }
  backoff.next(key, finishedMs);
  return undefined;
}
