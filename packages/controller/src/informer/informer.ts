import type { Clock, TimerHandle } from '@keelson/clock';
import {
  InvalidError,
  isKeelsonError,
  type KubeObject,
  type LabelSelectorInput,
  parseLabelSelector,
  type ResourceType,
  type Store,
  type WatchEvent,
} from '@keelson/core';
import { EventEmitter } from 'eventemitter3';
import { type Observable, Subject, type Subscription } from 'rxjs';

import { type IndexFunction, IndexSet } from './indexSet';

export type { IndexFunction } from './indexSet';

/** Options for {@link createInformer}. */
export interface InformerOptions<T> {
  namespace?: string;
  labelSelector?: LabelSelectorInput;
  fieldSelector?: string;
  indexers?: Readonly<Record<string, IndexFunction<T>>>;
  /** Re-deliver every cached object as `update(obj, obj)` this often (ms of the store's clock); off by default. */
  resyncPeriod?: number;
  /** How long to wait before relisting after the watch failed for a reason other than expiry (default 1 s). */
  retryDelayMs?: number;
}

/** The handlers an informer calls, in the order events happen for each object. */
export interface InformerHandlers<T> {
  add: (object: T, isInInitialList: boolean) => void;
  update: (oldObject: T, newObject: T) => void;
  delete: (object: T) => void;
}

/** The same events as an rxjs stream. */
export type InformerEvent<T> =
  | { type: 'add'; object: T; isInInitialList: boolean }
  | { type: 'update'; oldObject: T; object: T }
  | { type: 'delete'; object: T };

/** The cache key of an object: `namespace/name`, or `name` for cluster-scoped kinds. */
export function cacheKey(object: KubeObject): string {
  const { namespace, name } = object.metadata;
  return namespace ? `${namespace}/${name}` : name;
}

/**
 * A local, always-current cache of one kind (list, then watch), with event
 * handlers and indexes: what controllers read instead of the store. Cached
 * objects are the store's frozen objects, never copies.
 */
export class Informer<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
  private readonly indexes: IndexSet<T>;
  private readonly emitter = new EventEmitter<InformerHandlers<T>>();
  private readonly subject = new Subject<InformerEvent<T>>();
  private watch: Subscription | undefined;
  private timer: TimerHandle | undefined;
  private synced = false;
  private running = false;
  private readonly syncWaiters: Array<() => void> = [];
  /** The resourceVersion of the last list, watch event or bookmark seen. */
  lastSyncResourceVersion = '';

  /** Every add, update and delete, as they are handled. */
  readonly events$: Observable<InformerEvent<T>> = this.subject.asObservable();

  constructor(
    private readonly store: Store,
    readonly type: ResourceType<T, unknown>,
    private readonly options: InformerOptions<T> = {},
  ) {
    this.indexes = new IndexSet(options.indexers ?? {});
  }

  private get clock(): Clock {
    return this.store.clock;
  }

  /** Lists, then watches from the list's resourceVersion. Idempotent. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.listAndWatch();
    if (this.options.resyncPeriod !== undefined && this.options.resyncPeriod > 0) this.scheduleResync();
  }

  stop(): void {
    this.running = false;
    this.watch?.unsubscribe();
    this.watch = undefined;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Whether the initial list has been delivered to the handlers. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the initial list has been delivered. */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  get(name: string, namespace?: string): T | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  /** Cached objects, optionally filtered by a label selector, sorted by key. */
  list(selector?: LabelSelectorInput): T[] {
    const labels = parseLabelSelector(selector);
    const keys: string[] = [];
    for (const [key, object] of this.cache) if (labels.matches(object.metadata.labels)) keys.push(key);
    return keys.sort().map((key) => this.cache.get(key) as T);
  }

  /** The objects of `objects` that `selector` selects, in order. */
  filter(objects: readonly T[], selector: LabelSelectorInput): T[] {
    const labels = parseLabelSelector(selector);
    return objects.filter((object) => labels.matches(object.metadata.labels));
  }

  /** Cached objects whose indexer `index` produced `value`. */
  byIndex(index: string, value: string): T[] {
    if (!this.indexes.has(index))
      throw new InvalidError(`informer for ${this.type.kind} has no index "${index}"; declare it in indexers`);
    const keys = this.indexes.keys(index, value);
    if (!keys) return [];
    return [...keys].sort().map((key) => this.cache.get(key) as T);
  }

  /**
   * Adds a handler. A late `add` handler first gets a synthetic
   * `add(obj, true)` for every cached object, as client-go does.
   */
  on<E extends keyof InformerHandlers<T>>(event: E, handler: InformerHandlers<T>[E]): this {
    this.emitter.on(event, handler as never);
    if (event === 'add') for (const object of this.list()) (handler as InformerHandlers<T>['add'])(object, true);
    return this;
  }

  off<E extends keyof InformerHandlers<T>>(event: E, handler: InformerHandlers<T>[E]): this {
    this.emitter.off(event, handler as never);
    return this;
  }

  private async listAndWatch(): Promise<void> {
    if (!this.running) return;
    const { namespace, labelSelector, fieldSelector } = this.options;
    const selectors = {
      ...(namespace === undefined ? {} : { namespace }),
      ...(labelSelector === undefined ? {} : { labelSelector }),
      ...(fieldSelector === undefined ? {} : { fieldSelector }),
    };
    let listed: { items: T[]; resourceVersion: string };
    try {
      listed = await this.store.list(this.type, selectors);
    } catch {
      this.retryLater();
      return;
    }
    if (!this.running) return;
    this.replace(listed.items);
    this.lastSyncResourceVersion = listed.resourceVersion;
    if (!this.synced) {
      this.synced = true;
      for (const wake of this.syncWaiters.splice(0)) wake();
    }
    this.watch = this.store
      .watch(this.type, { ...selectors, resourceVersion: listed.resourceVersion, allowBookmarks: true })
      .subscribe({
        next: (event) => this.handle(event),
        error: (error: unknown) => {
          this.watch = undefined;
          // Expired: the watch fell behind a compaction; relist now. Anything else: back off first.
          if (isKeelsonError(error, 'Expired')) void this.listAndWatch();
          else this.retryLater();
        },
      });
  }

  private retryLater(): void {
    if (!this.running) return;
    this.timer = this.clock.setTimeout(() => void this.listAndWatch(), this.options.retryDelayMs ?? 1_000, {
      background: true,
    });
  }

  /** A relist: objects gone meanwhile are deleted, new ones added, changed ones updated. */
  private replace(items: readonly T[]): void {
    const initial = !this.synced;
    const seen = new Set<string>();
    for (const object of items) {
      const key = cacheKey(object);
      seen.add(key);
      const old = this.cache.get(key);
      this.put(key, object, old);
      if (old === undefined) this.emitAdd(object, initial);
      else if (old !== object) this.emitUpdate(old, object);
    }
    for (const [key, object] of [...this.cache]) {
      if (seen.has(key)) continue;
      this.remove(key, object);
      this.emitDelete(object);
    }
  }

  private handle(event: WatchEvent<T>): void {
    if (event.type === 'BOOKMARK') {
      this.lastSyncResourceVersion = event.object.metadata.resourceVersion;
      return;
    }
    const object = event.object;
    this.lastSyncResourceVersion = object.metadata.resourceVersion;
    const key = cacheKey(object);
    const old = this.cache.get(key);
    if (event.type === 'DELETED') {
      if (old === undefined) return;
      this.remove(key, old);
      this.emitDelete(object);
      return;
    }
    this.put(key, object, old);
    if (old === undefined) this.emitAdd(object, false);
    else this.emitUpdate(old, object);
  }

  private put(key: string, object: T, old: T | undefined): void {
    this.cache.set(key, object);
    this.indexes.put(key, object, old);
  }

  private remove(key: string, old: T): void {
    this.indexes.remove(key, old);
    this.cache.delete(key);
  }

  private scheduleResync(): void {
    this.timer = this.clock.setTimeout(
      () => {
        if (!this.running) return;
        for (const object of this.list()) this.emitUpdate(object, object);
        this.scheduleResync();
      },
      this.options.resyncPeriod as number,
      { background: true },
    );
  }

  private emitAdd(object: T, isInInitialList: boolean): void {
    this.emitter.emit('add', object, isInInitialList);
    this.subject.next({ type: 'add', object, isInInitialList });
  }

  private emitUpdate(oldObject: T, object: T): void {
    this.emitter.emit('update', oldObject, object);
    this.subject.next({ type: 'update', oldObject, object });
  }

  private emitDelete(object: T): void {
    this.emitter.emit('delete', object);
    this.subject.next({ type: 'delete', object });
  }
}

/**
 * Creates (but does not start) an informer: call `start()`, then
 * `waitForSync()` before trusting its cache.
 *
 * @example
 * ```ts
 * const pods = createInformer(store, Pod, { indexers: { byNode: (p) => [p.spec.nodeName ?? ''] } });
 * pods.on('add', (pod) => console.log('new pod', pod.metadata.name));
 * pods.start();
 * await pods.waitForSync();
 * pods.byIndex('byNode', 'node-1');
 * ```
 */
export function createInformer<T extends KubeObject>(
  store: Store,
  type: ResourceType<T, unknown>,
  options: InformerOptions<T> = {},
): Informer<T> {
  return new Informer(store, type, options);
}
