/** @internal Something that delivers entries in revision order: a subscription. */
export interface Follower {
  /** Every entry below this revision has been delivered (or the follower has stopped). */
  readonly position: number;
}

interface Waiter {
  revision: number;
  followers: Set<Follower>;
  resolve(): void;
}

/**
 * @internal Lets an append resolve only once this log's subscriptions have
 * delivered its entry, as the EventLog contract says: etcd answers the txn
 * before the watch brings the entry back.
 */
export class Deliveries {
  private readonly followers = new Set<Follower>();
  private waiters: Waiter[] = [];

  add(follower: Follower): void {
    this.followers.add(follower);
  }

  /** The follower stopped: nobody waits for it any more. */
  remove(follower: Follower): void {
    this.followers.delete(follower);
    for (const waiter of this.waiters) waiter.followers.delete(follower);
    this.settle();
  }

  /** A follower moved on. */
  advanced(): void {
    this.settle();
  }

  /** Resolves once every current follower has delivered `revision` (or stopped), or after `timeout` resolves. */
  until(revision: number, timeout: Promise<void>): Promise<void> {
    const behind = new Set([...this.followers].filter((f) => f.position <= revision));
    if (behind.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiter: Waiter = { revision, followers: behind, resolve };
      this.waiters.push(waiter);
      void timeout.then(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      });
    });
  }

  private settle(): void {
    if (this.waiters.length === 0) return;
    const pending: Waiter[] = [];
    for (const waiter of this.waiters) {
      for (const follower of waiter.followers) {
        if (follower.position > waiter.revision) waiter.followers.delete(follower);
      }
      if (waiter.followers.size === 0) waiter.resolve();
      else pending.push(waiter);
    }
    this.waiters = pending;
  }
}
