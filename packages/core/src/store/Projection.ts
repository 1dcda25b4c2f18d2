import type { LogEntry } from '@keelson/eventlog';
import type { ResourceType } from '../resource/defineResource';
import { WatchIndex } from '../watch/WatchIndex';
import { Change } from './Change';
import { typeName } from './keys';

/** @internal Everything the store knows of one kind. */
export class TypeState {
  /** The change holding each live object, by log key. */
  readonly live = new Map<string, Change>();
  /** Every change of every key ever seen, oldest first: history and time travel. */
  readonly versions = new Map<string, Change[]>();
  /** Every change of this kind in revision order: watch resumption. */
  changes: Change[] = [];
  readonly watchers: WatchIndex;

  constructor(public type: ResourceType) {
    this.watchers = new WatchIndex(type);
  }
}

interface Waiter {
  revision: number;
  resolve: () => void;
}

/** @internal The objects a store serves: advanced only by applying log entries, in revision order. */
export class Projection {
  revision = 0;
  /** Changes before this revision were compacted away. */
  compactedBefore = 0;
  private readonly states = new Map<string, TypeState>();
  /** Entries of kinds not (yet) registered, by entry type: a kind registered later (a CRD) adopts them. */
  private readonly unclaimed = new Map<string, LogEntry[]>();
  private waiters: Waiter[] = [];

  constructor(types: readonly ResourceType[]) {
    for (const type of types) this.states.set(typeName(type), new TypeState(type));
  }

  /** Starts serving a kind at run time, adopting the entries of it already applied. */
  register(type: ResourceType): void {
    const name = typeName(type);
    const served = this.states.get(name);
    if (served !== undefined) {
      served.type = type; // a new definition of a served kind (e.g. a CRD's schema changed)
      return;
    }
    const state = new TypeState(type);
    this.states.set(name, state);
    for (const entry of this.unclaimed.get(name) ?? []) this.record(state, entry);
    this.unclaimed.delete(name);
  }

  /** Stops serving a kind (its objects should be gone first, as when a CRD is deleted). */
  unregister(type: ResourceType): void {
    this.states.delete(typeName(type));
  }

  state(type: ResourceType): TypeState | undefined {
    const state = this.states.get(typeName(type));
    return state?.type === type || state?.type.kind === type.kind ? state : undefined;
  }

  /**
   * Applies one entry: stamps the object with its resourceVersion, shares
   * unchanged subtrees with the previous version, freezes it, records the
   * change and tells watchers. Replaying a log runs exactly this, never a schema.
   */
  apply(entry: LogEntry): void {
    const state = this.states.get(entry.type);
    if (state) {
      const change = this.record(state, entry);
      this.revision = entry.revision;
      if (state.watchers.size > 0) state.watchers.dispatch(change);
    } else {
      let entries = this.unclaimed.get(entry.type);
      if (entries === undefined) {
        entries = [];
        this.unclaimed.set(entry.type, entries);
      }
      entries.push(entry);
      this.revision = entry.revision;
    }
    if (this.waiters.length > 0) this.wake();
  }

  private record(state: TypeState, entry: LogEntry): Change {
    const deleted = entry.tombstone === true;
    const change = new Change(
      entry.revision,
      entry.key,
      entry,
      state.live.get(entry.key),
      deleted,
      entry.meta?.actor ?? 'unknown',
      entry.meta?.reason,
    );
    if (deleted) state.live.delete(entry.key);
    else state.live.set(entry.key, change);
    let versions = state.versions.get(entry.key);
    if (!versions) {
      versions = [];
      state.versions.set(entry.key, versions);
    }
    versions.push(change);
    state.changes.push(change);
    return change;
  }

  private wake(): void {
    const ready = this.waiters.filter((w) => w.revision <= this.revision);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.revision > this.revision);
    for (const waiter of ready) waiter.resolve();
  }

  /** Resolves once `revision` has been applied. */
  reached(revision: number): Promise<void> {
    if (revision <= this.revision) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ revision, resolve }));
  }

  /** Drops waiters that gave up. */
  forget(resolve: () => void): void {
    this.waiters = this.waiters.filter((w) => w.resolve !== resolve);
  }

  /** The change of `key` in effect at `revision`, if any. */
  static at(versions: readonly Change[] | undefined, revision: number): Change | undefined {
    if (!versions) return undefined;
    let lo = 0;
    let hi = versions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((versions[mid] as Change).revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    return versions[lo - 1];
  }

  /** Forgets history before `before`, keeping what each key looked like then. */
  compact(before: number): void {
    this.compactedBefore = Math.max(this.compactedBefore, before);
    for (const state of this.states.values()) {
      state.changes = state.changes.filter((c) => c.revision >= before);
      for (const [key, versions] of state.versions) {
        const base = Projection.at(versions, before - 1);
        const kept = versions.filter((c) => c.revision >= before);
        if (base && !base.deleted) {
          base.forgetPrevious(); // no watch replays it, so nothing needs the version it followed
          kept.unshift(base);
        }
        if (kept.length === 0) state.versions.delete(key);
        else state.versions.set(key, kept);
      }
    }
  }
}
