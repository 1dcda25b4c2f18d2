/**
 * Controller expectations, as Kubernetes' ReplicaSet, Job and DaemonSet
 * controllers keep them: after creating or deleting pods, a controller skips
 * syncing a key until its cache shows what it did, so it never acts twice on
 * a stale view. An expectation older than five minutes is dropped, so a lost
 * watch event cannot wedge a controller.
 */
import type { Clock } from '@keelson/clock';

/** Kubernetes' `ExpectationsTimeout`. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Pending {
  /** Names of objects created and not yet seen in the cache. */
  creates: Set<string>;
  /** Uids of objects deleted and still seen (without a deletion timestamp) in the cache. */
  deletes: Set<string>;
  at: number;
}

/** How {@link Expectations.satisfied} looks at the cache. */
export interface ObservedState {
  /** Whether an object of this name is in the cache. */
  has(name: string): boolean;
  /** Whether the object with this uid is in the cache and not being deleted. */
  live(uid: string): boolean;
}

/** Per controller key: what it created and deleted that its cache has not shown yet. */
export class Expectations {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly clock: Clock) {}

  private entry(key: string): Pending {
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { creates: new Set(), deletes: new Set(), at: this.clock.now() };
      this.pending.set(key, entry);
    }
    entry.at = this.clock.now();
    return entry;
  }

  /** Records an object this key's sync created. */
  created(key: string, name: string): void {
    this.entry(key).creates.add(name);
  }

  /** Records an object this key's sync deleted. */
  deleted(key: string, uid: string): void {
    this.entry(key).deletes.add(uid);
  }

  /**
   * Whether the key may sync: everything it created is in the cache and
   * everything it deleted is gone or being deleted, or its expectations
   * timed out. Satisfied expectations are cleared.
   */
  satisfied(key: string, observed: ObservedState): boolean {
    const entry = this.pending.get(key);
    if (!entry) return true;
    for (const name of entry.creates) if (observed.has(name)) entry.creates.delete(name);
    for (const uid of entry.deletes) if (!observed.live(uid)) entry.deletes.delete(uid);
    if (
      (entry.creates.size === 0 && entry.deletes.size === 0) ||
      this.clock.now() - entry.at >= EXPECTATIONS_TIMEOUT_MS
    ) {
      this.pending.delete(key);
      return true;
    }
    return false;
  }

  /** Forgets a key (its owner was deleted). */
  forget(key: string): void {
    this.pending.delete(key);
  }
}
