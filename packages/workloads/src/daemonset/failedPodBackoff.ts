/**
 * The back-off between replacements of failed daemon pods on one node
 * (Kubernetes' `flowcontrol.Backoff` as the DaemonSet controller uses it:
 * 1 s doubling to 15 min, forgotten after twice the maximum without a
 * failure). A kubelet that keeps rejecting a daemon pod must not turn the
 * controller into a hot loop of deletes and creates.
 */
import { FAILED_POD_BACKOFF_INITIAL_MS, FAILED_POD_BACKOFF_MAX_MS } from './constants';

interface Entry {
  delay: number;
  lastUpdate: number;
}

/** Per key (DaemonSet and node): the current delay and when it last grew. Time comes from the caller's clock. */
export class FailedPodBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly initialMs = FAILED_POD_BACKOFF_INITIAL_MS,
    private readonly maxMs = FAILED_POD_BACKOFF_MAX_MS,
  ) {}

  /** The delay left before `key` may replace a failed pod again at `now`, or `undefined` when it may now. */
  remaining(key: string, now: number): number | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const left = entry.lastUpdate + entry.delay - now;
    return left > 0 ? left : undefined;
  }

  /** Records a replacement at `now`: the first delay, or the doubled one (capped), for the next. */
  next(key: string, now: number): void {
    const entry = this.entries.get(key);
    if (entry === undefined || now - entry.lastUpdate > 2 * this.maxMs) {
      this.entries.set(key, { delay: this.initialMs, lastUpdate: now });
      return;
    }
    entry.delay = Math.min(entry.delay * 2, this.maxMs);
    entry.lastUpdate = now;
  }

  /** Forgets every key with this prefix (a DaemonSet that is gone). */
  forgetPrefix(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}
