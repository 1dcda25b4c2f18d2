import type { Clock } from '@keelson/clock';
import type { Observable } from 'rxjs';
import { ExpiredError, InvalidError } from '../errors/index';
import { diffJson } from '../history/jsonPatch';
import type { InputOf, KubeObject, ResourceType } from '../resource/defineResource';
import { matches } from '../watch/WatchIndex';
import type { Change } from './Change';
import type { StoreCore } from './StoreCore';
import { getScale, type Scale, type ScaleUpdate, updateScale } from './scale';
import { groupKindOf } from './storeMetrics';
import { byNamespaceAndName, StoreView, selectors } from './storeView';
import type {
  CreateOptions,
  DeleteOptions,
  GetOptions,
  HistoryEntry,
  ListOptions,
  ListResult,
  PatchOptions,
  StoreReader,
  WatchEvent,
  WatchOptions,
  WriteOptions,
} from './types';
import { watchObjects } from './watchObjects';
import { createObject } from './write/create';
import { deleteObject } from './write/delete';
import type { WriteContext } from './write/shared';
import { patchObject, updateObject } from './write/update';

export { StoreView } from './storeView';
export { BOOKMARK_INTERVAL_MS } from './watchObjects';

/**
 * The API store: typed objects with Kubernetes' semantics, every change an
 * entry of the event log. Reads are served from the projection of the log;
 * writes resolve once the projection has applied them (read-your-writes).
 */
export class Store implements StoreReader {
  private readonly ctx: WriteContext;

  /** @internal Use {@link createStore}. */
  constructor(
    private readonly core: StoreCore,
    readonly actor: string,
  ) {
    this.ctx = { core, actor, reader: this };
  }

  /** The store's clock: timestamps of its writes, and the time controllers built on it use. */
  get clock(): Clock {
    return this.core.clock;
  }

  /** The last revision the store has applied. */
  get revision(): number {
    return this.core.projection.revision;
  }

  /** Every kind the store serves: those given to `createStore` and any registered since. */
  get types(): readonly ResourceType[] {
    return this.core.types;
  }

  /**
   * Serves one more kind from now on, as an API server does when a
   * CustomResourceDefinition is created; objects of it already in the log
   * (e.g. on a restart) are adopted. Registering a new definition of a
   * served kind (same apiVersion and kind) replaces it.
   */
  registerType(type: ResourceType): void {
    if (typeof type !== 'object' || type === null || typeof type.kind !== 'string' || !type.schemas) {
      throw new InvalidError('store.registerType: type must come from defineResource');
    }
    this.core.register(type);
  }

  /** Stops serving a kind (delete its objects first, as Kubernetes does when a CRD goes). */
  unregisterType(type: ResourceType): void {
    this.core.unregister(type);
  }

  /** The same store, writing (and authorised) as `actor`; recorded in each entry's meta. */
  as(actor: string): Store {
    if (typeof actor !== 'string' || actor.length === 0)
      throw new InvalidError('store.as: actor must be a non-empty string');
    return new Store(this.core, actor);
  }

  /** Waits until the store has applied everything in the log (e.g. written by another process). */
  async sync(): Promise<void> {
    // A store that stopped following its log (the log closed or failed) must not claim to be current.
    if (this.core.failure !== undefined) throw this.core.failure;
    await this.core.projection.reached(await this.core.log.head());
  }

  get<T extends KubeObject>(type: ResourceType<T, unknown>, name: string, options: GetOptions = {}): Promise<T> {
    return this.track(type, 'get', async () => {
      const namespace = this.core.namespaceFor(type, options.namespace);
      await this.core.authorize(this.readAttributes(type, 'get', namespace, name));
      await this.core.atLeast(options.resourceVersion);
      return this.core.current<T>(type, namespace, name);
    });
  }

  list<T extends KubeObject>(type: ResourceType<T, unknown>, options: ListOptions = {}): Promise<ListResult<T>> {
    return this.track(type, 'list', () => this.listNow(type, options));
  }

  private async listNow<T extends KubeObject>(
    type: ResourceType<T, unknown>,
    options: ListOptions,
  ): Promise<ListResult<T>> {
    const state = this.core.typeState(type);
    const { labels, fields } = selectors(type, options);
    const namespace = type.namespaced && options.namespace ? options.namespace : undefined;
    await this.core.authorize(this.readAttributes(type, 'list', namespace));
    await this.core.atLeast(options.resourceVersion);
    const items: T[] = [];
    for (const change of state.live.values()) {
      const object = change.object;
      if (matches(type, object, namespace, labels, fields)) items.push(object as T);
    }
    items.sort(byNamespaceAndName);
    return { items, resourceVersion: String(this.core.projection.revision) };
  }

  create<R extends ResourceType>(type: R, object: InputOf<R>, options: CreateOptions = {}): Promise<ObjectOf<R>> {
    return this.track(type, 'create', () =>
      createObject(this.ctx, type, object, options.namespace, options),
    ) as Promise<ObjectOf<R>>;
  }

  /** Replaces metadata and spec (never `.status`); with `metadata.resourceVersion` set, only that version. */
  update<T extends KubeObject>(object: T, options: WriteOptions = {}): Promise<T> {
    return this.track(groupKindOf(object), 'update', () =>
      updateObject(this.ctx, object, undefined, options),
    ) as Promise<T>;
  }

  /** Replaces `.status` only. */
  updateStatus<T extends KubeObject>(object: T, options: WriteOptions = {}): Promise<T> {
    return this.track(groupKindOf(object), 'update', () =>
      updateObject(this.ctx, object, 'status', options),
    ) as Promise<T>;
  }

  /**
   * Changes an object with a recipe on an immer draft of its current state.
   * Without `resourceVersion` it catches up and retries on conflicts (up to 5
   * times), so the recipe must be pure.
   */
  patch<T extends KubeObject>(
    type: ResourceType<T, unknown>,
    name: string,
    recipe: (draft: T) => T | undefined,
    options: PatchOptions = {},
  ): Promise<T> {
    return this.track(type, 'patch', () =>
      patchObject(
        this.ctx,
        type,
        name,
        recipe,
        options.namespace,
        options.resourceVersion,
        options.subresource,
        options,
      ),
    ) as Promise<T>;
  }

  /** Deletes at once, or starts a (graceful or finalizer-held) deletion and returns the object as it now is. */
  delete<T extends KubeObject>(type: ResourceType<T, unknown>, name: string, options: DeleteOptions = {}): Promise<T> {
    return this.track(type, 'delete', () => deleteObject(this.ctx, type, name, options)) as Promise<T>;
  }

  /** A view of every object as of `revision` (read-only). */
  async at(revision: number): Promise<StoreView> {
    if (!Number.isSafeInteger(revision) || revision < 0) {
      throw new InvalidError(`store.at: revision must be an integer >= 0, got ${String(revision)}`);
    }
    if (revision > 0 && revision < this.core.projection.compactedBefore) {
      throw new ExpiredError(`too old resource version: ${revision} (${this.core.projection.compactedBefore})`);
    }
    await this.core.atLeast(String(revision));
    return new StoreView(this.core, revision);
  }

  /** Every version of one object, oldest first, each with its RFC 6902 patch from the one before. */
  history<T extends KubeObject>(
    type: ResourceType<T, unknown>,
    name: string,
    options: { namespace?: string | undefined } = {},
  ): AsyncIterable<HistoryEntry<T>> {
    const core = this.core;
    return {
      async *[Symbol.asyncIterator]() {
        const namespace = core.namespaceFor(type, options.namespace);
        const versions = core.typeState(type).versions.get(core.key(type, namespace, name)) ?? [];
        let previous: Change | undefined;
        for (const change of versions.slice()) {
          const entry: HistoryEntry<T> = {
            revision: change.revision,
            type: change.deleted ? 'DELETED' : previous === undefined || previous.deleted ? 'ADDED' : 'MODIFIED',
            object: change.object as T,
            patch: diffJson(previous === undefined || previous.deleted ? null : previous.object, change.object),
            actor: change.actor,
          };
          if (change.reason !== undefined) entry.reason = change.reason;
          yield entry;
          previous = change;
        }
      },
    };
  }

  /**
   * Watches a kind: ADDED / MODIFIED / DELETED (and BOOKMARK) in revision order.
   * From `resourceVersion`, every change after it with no gap and no duplicate
   * (`ExpiredError` if compaction dropped it); otherwise an ADDED per existing
   * match first.
   */
  watch<T extends KubeObject>(type: ResourceType<T, unknown>, options: WatchOptions = {}): Observable<WatchEvent<T>> {
    const namespace = type.namespaced && options.namespace ? options.namespace : undefined;
    return watchObjects(this.core, type, options, selectors(type, options), () =>
      this.core.authorize(this.readAttributes(type, 'watch', namespace)),
    );
  }

  /** The `scale` subresource of a scalable object (Deployment, ReplicaSet, …): an `autoscaling/v1` Scale. */
  getScale(type: ResourceType, name: string, options: { namespace?: string | undefined } = {}): Promise<Scale> {
    return getScale(this, type, name, options);
  }

  /**
   * Sets a scalable object's desired replicas through its `scale`
   * subresource; with `metadata.resourceVersion` set, only at that version.
   * Returns the new Scale.
   */
  updateScale(
    type: ResourceType,
    name: string,
    scale: ScaleUpdate,
    options: WriteOptions & { namespace?: string | undefined } = {},
  ): Promise<Scale> {
    return updateScale(this, type, name, scale, options);
  }

  /**
   * Drops history before `revision` from the log and the store (the state as
   * of `revision` stays): reads, watches and views below it then fail with
   * `ExpiredError`. Kubernetes compacts every 5 minutes; Keelson only when asked.
   */
  async compact(revision: number): Promise<void> {
    if (!Number.isSafeInteger(revision) || revision < 0 || revision > this.core.projection.revision) {
      throw new InvalidError(
        `store.compact: revision must be an integer between 0 and the store's revision ${this.core.projection.revision}, got ${String(revision)}`,
      );
    }
    await this.core.log.compact(revision);
    this.core.projection.compact(revision);
  }

  /** Stops following the log (and closes it if the store opened it). */
  async close(): Promise<void> {
    this.core.stop();
    if (this.core.ownsLog) await this.core.log.close();
  }

  /** Runs a request through the store's metrics when it has a registry; directly otherwise. */
  private track<T>(type: { group: string; kind: string }, verb: string, run: () => Promise<T>): Promise<T> {
    const metrics = this.core.metrics;
    return metrics === undefined ? run() : metrics.track(type.group, type.kind, verb, run);
  }

  private readAttributes(
    type: ResourceType,
    verb: 'get' | 'list' | 'watch',
    namespace: string | undefined,
    name?: string,
  ) {
    return {
      actor: this.actor,
      verb,
      group: type.group,
      kind: type.kind,
      resource: type.plural,
      ...(namespace === undefined ? {} : { namespace }),
      ...(name === undefined ? {} : { name }),
    };
  }
}

/** The object type of a resource type, for return values. */
export type ObjectOf<R> = R extends ResourceType<infer T, unknown> ? T : never;
