/**
 * Moving cluster time: `advance`, `settle` and `waitFor`, on a
 * `VirtualClock` (instant) or on real time through the clock's timers.
 */
import { type Clock, VirtualClock } from '@keelson/clock';
import type { Manager } from '@keelson/controller';
import { TimeoutError } from '@keelson/core';
import type { EventLog, LogEntry } from '@keelson/eventlog';
import type { Subscription } from 'rxjs';
import { type Duration, toMs } from './duration';

const LEASES = 'coordination.k8s.io/leases';
const NODES = 'core/nodes';

/** A node write that only renews heartbeats: same object but for heartbeat times and version. */
function heartbeatOnly(previous: unknown, next: unknown): boolean {
  const strip = (value: unknown) =>
    JSON.stringify(value, (key, v) =>
      key === 'lastHeartbeatTime' || key === 'resourceVersion' || key === 'managedFields' ? undefined : v,
    );
  return previous !== undefined && strip(previous) === strip(next);
}

/** Watches the log for entries that are more than heartbeats. */
export class ActivityMonitor {
  /** Cluster time of the last entry that was not a heartbeat. */
  lastActivity: number;
  private readonly nodes = new Map<string, unknown>();
  private subscription: Subscription | undefined;

  constructor(private readonly clock: Clock) {
    this.lastActivity = clock.now();
  }

  async start(log: EventLog): Promise<void> {
    this.subscription = log.subscribe((await log.head()) + 1).subscribe((entry) => this.observe(entry));
  }

  private observe(entry: LogEntry): void {
    if (entry.type === LEASES) return;
    if (entry.type === NODES) {
      const previous = this.nodes.get(entry.key);
      this.nodes.set(entry.key, entry.data);
      if (!entry.tombstone && heartbeatOnly(previous, entry.data)) return;
    }
    this.lastActivity = this.clock.now();
  }

  stop(): void {
    this.subscription?.unsubscribe();
  }
}

/** Moves `clock` forward by `ms`: instantly on a `VirtualClock`, in real time otherwise. */
export async function advanceClock(clock: Clock, ms: number): Promise<void> {
  if (clock instanceof VirtualClock) {
    await clock.advance(ms);
    // Work that a fired timer started may set timers for "now"; let it run.
    for (let i = 0; i < 3; i++) await clock.advance(0);
    return;
  }
  await new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
}

/** What `settle` and `waitFor` need from the cluster. */
export interface TimeHost {
  clock: Clock;
  monitor: ActivityMonitor;
  manager: Manager | undefined;
  describe(): Promise<string>;
}

function queued(manager: Manager | undefined): number {
  if (manager === undefined) return 0;
  return Object.values(manager.stats()).reduce((sum, s) => sum + s.queued, 0);
}

/** Runs time until the queues are empty and the log has heard only heartbeats for `quietMs`. */
export async function settle(host: TimeHost, options: { quietMs?: Duration; maxMs?: Duration } = {}): Promise<void> {
  const quietMs = toMs(options.quietMs ?? '10s', 'settle: quietMs');
  const maxMs = toMs(options.maxMs ?? '10m', 'settle: maxMs');
  const { clock, monitor } = host;
  const start = clock.now();
  await advanceClock(clock, 0);
  for (;;) {
    const now = clock.now();
    const quietFor = now - monitor.lastActivity;
    if (quietFor >= quietMs && queued(host.manager) === 0) return;
    if (now - start >= maxMs) {
      throw new TimeoutError(
        `settle: the cluster did not settle within ${maxMs} ms (quiet for ${quietFor} of ${quietMs} ms, ${queued(host.manager)} requests queued)\n${await host.describe()}`,
      );
    }
    const step = Math.max(1, Math.min(quietMs - quietFor, start + maxMs - now));
    await advanceClock(clock, quietFor >= quietMs ? Math.min(1_000, step) : step);
  }
}

/** Runs time until `predicate` holds, checking every `interval`. */
export async function waitFor(
  host: TimeHost,
  predicate: () => boolean | Promise<boolean>,
  options: { timeout?: Duration; interval?: Duration; description?: string } = {},
): Promise<void> {
  const timeout = toMs(options.timeout ?? '5m', 'waitFor: timeout');
  const interval = Math.max(1, toMs(options.interval ?? '1s', 'waitFor: interval'));
  const { clock } = host;
  const deadline = clock.now() + timeout;
  await advanceClock(clock, 0);
  for (;;) {
    if (await predicate()) return;
    if (clock.now() >= deadline) break;
    await advanceClock(clock, Math.min(interval, deadline - clock.now()));
  }
  const what = options.description ?? predicate.toString().slice(0, 200);
  throw new TimeoutError(`waitFor: still false after ${timeout} ms: ${what}\n${await host.describe()}`);
}
