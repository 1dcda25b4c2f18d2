import { formatMicroTime, Lease } from '@keelson/api';
import type { Clock, TimerHandle } from '@keelson/clock';
import { InvalidError, isKeelsonError, type Store } from '@keelson/core';

/** Leader election on a `Lease`, with client-go's defaults. */
export interface LeaderElectionOptions {
  /** The Lease's name. */
  name: string;
  /** The Lease's namespace (default `kube-system`). */
  namespace?: string;
  /** Who this manager is; recorded as the Lease's holder. */
  identity: string;
  /** How long a lease is valid without renewal, as seen by the others (default 15 s). */
  leaseDurationMs?: number;
  /** How long the leader keeps trying to renew before it gives up leading (default 10 s). */
  renewDeadlineMs?: number;
  /** How often to try to acquire or renew (default 2 s). */
  retryPeriodMs?: number;
  /**
   * After losing the lease, stop the controllers and campaign again, leading
   * anew once the lease is won back (default true). `false` stops for good,
   * as a Kubernetes controller process that exits on lost leadership.
   */
  rejoin?: boolean;
}

/** What the elector tells its owner. */
export interface LeaderCallbacks {
  /** This identity leads now; `signal` aborts at the moment it stops. */
  onStartedLeading(signal: AbortSignal): void;
  onStoppedLeading(): void;
  /** Someone (maybe this identity) holds the lease now. */
  onNewLeader(identity: string): void;
}

interface Observed {
  holder: string;
  renewTime: string;
  resourceVersion: string;
}

/** @internal Checks client-go's rule: leaseDuration > renewDeadline > 1.2 × retryPeriod. */
export function electionTimes(options: LeaderElectionOptions) {
  const leaseDurationMs = options.leaseDurationMs ?? 15_000;
  const renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
  const retryPeriodMs = options.retryPeriodMs ?? 2_000;
  if (!options.name || !options.identity) {
    throw new InvalidError('leaderElection: name and identity are required');
  }
  if (!(leaseDurationMs > renewDeadlineMs)) {
    throw new InvalidError('leaderElection: leaseDurationMs must be greater than renewDeadlineMs');
  }
  if (!(renewDeadlineMs > 1.2 * retryPeriodMs)) {
    throw new InvalidError('leaderElection: renewDeadlineMs must be greater than 1.2 × retryPeriodMs');
  }
  return { leaseDurationMs, renewDeadlineMs, retryPeriodMs };
}

/**
 * client-go's leader election. Each try gets the Lease: free or expired →
 * take it; ours → renew it. Expiry is judged from the local time at which
 * this elector last saw the record change, never from the holder's clock.
 * The leader gives up at the renew deadline, which comes before any other
 * elector can see the lease expire, so two leaders never act at once.
 */
export class LeaderElector {
  private readonly times: ReturnType<typeof electionTimes>;
  private readonly namespace: string;
  private observed: Observed | undefined;
  private observedAt = 0;
  private lastRenewed = 0;
  private leading: AbortController | undefined;
  private timer: TimerHandle | undefined;
  /** Fires at the renew deadline while leading: a renewal stuck on a slow store must not extend leadership. */
  private deadline: TimerHandle | undefined;
  private stopped = false;
  private leader = '';

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: LeaderElectionOptions,
    private readonly callbacks: LeaderCallbacks,
  ) {
    this.times = electionTimes(options);
    this.namespace = options.namespace ?? 'kube-system';
  }

  isLeader(): boolean {
    return this.leading !== undefined;
  }

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  /** Stops trying; a leader gives up leading (without waiting for its lease to expire). */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.loseLeadership();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => void this.tick(), this.times.retryPeriodMs, { background: true });
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const started = this.clock.now();
    let ok = await this.tryAcquireOrRenew().catch(() => false);
    if (this.stopped) return;
    const now = this.clock.now();
    // As client-go bounds each attempt by the renew deadline: an answer that took that long is too late.
    if (ok && now - started >= this.times.renewDeadlineMs) ok = false;
    if (ok) {
      this.lastRenewed = now;
      if (!this.leading) {
        this.leading = new AbortController();
        this.callbacks.onStartedLeading(this.leading.signal);
      }
      this.armDeadline();
    } else if (this.leading && now - this.lastRenewed >= this.times.renewDeadlineMs) {
      this.loseLeadership();
    }
    this.schedule();
  }

  private armDeadline(): void {
    if (this.deadline !== undefined) this.clock.clearTimeout(this.deadline);
    this.deadline = this.clock.setTimeout(
      () => {
        this.deadline = undefined;
        if (this.leading && this.clock.now() - this.lastRenewed >= this.times.renewDeadlineMs) this.loseLeadership();
      },
      this.times.renewDeadlineMs,
      { background: true },
    );
  }

  private loseLeadership(): void {
    if (this.deadline !== undefined) this.clock.clearTimeout(this.deadline);
    this.deadline = undefined;
    if (!this.leading) return;
    const leading = this.leading;
    this.leading = undefined;
    leading.abort(new Error(`${this.options.identity} stopped leading`));
    this.callbacks.onStoppedLeading();
  }

  private see(holder: string, renewTime: string, resourceVersion: string): void {
    if (this.observed?.resourceVersion !== resourceVersion) {
      this.observed = { holder, renewTime, resourceVersion };
      this.observedAt = this.clock.now();
    }
    if (holder !== this.leader) {
      this.leader = holder;
      this.callbacks.onNewLeader(holder);
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const me = this.options.identity;
    const now = formatMicroTime(this.clock.now());
    const spec = (acquireTime: string, transitions: number) => ({
      holderIdentity: me,
      leaseDurationSeconds: Math.ceil(this.times.leaseDurationMs / 1000),
      acquireTime,
      renewTime: now,
      leaseTransitions: transitions,
    });
    const store = this.store.as(me);
    let lease: Lease;
    try {
      lease = await store.get(Lease, this.options.name, { namespace: this.namespace });
    } catch (error) {
      if (!isKeelsonError(error, 'NotFound')) throw error;
      const created = await store.create(Lease, {
        metadata: { name: this.options.name, namespace: this.namespace },
        spec: spec(now, 0),
      });
      this.see(me, now, created.metadata.resourceVersion);
      return true;
    }
    const holder = lease.spec.holderIdentity ?? '';
    this.see(holder, lease.spec.renewTime ?? '', lease.metadata.resourceVersion);
    const expired = this.clock.now() >= this.observedAt + this.times.leaseDurationMs;
    if (holder !== '' && holder !== me && !expired) return false;
    const takingOver = holder !== me;
    const updated = await store.update({
      ...lease,
      spec: takingOver
        ? spec(now, (lease.spec.leaseTransitions ?? 0) + 1)
        : spec(lease.spec.acquireTime ?? now, lease.spec.leaseTransitions ?? 0),
    });
    this.see(me, now, updated.metadata.resourceVersion);
    return true;
  }
}
