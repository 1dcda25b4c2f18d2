import type { Clock, Random } from '@keelson/clock';
import type { EventLog, LogEntry } from '@keelson/eventlog';
import type { Subscription } from 'rxjs';
import { ExpiredError, ForbiddenError, InvalidError, NotFoundError, TimeoutError } from '../errors/index';
import type { KubeObject, ResourceType } from '../resource/defineResource';
import { objectKey, qualifiedResource, typeName } from './keys';
import { Projection, type TypeState } from './Projection';
import type { StoreMetrics } from './storeMetrics';
import type { AdmissionPlugin, Authorizer, RequestAttributes } from './types';

/** How long a read or watch at a future resourceVersion waits for the store to catch up. */
export const FUTURE_VERSION_WAIT_MS = 3_000;

/** Where the store reports dropped unknown fields and other warnings. */
export interface StoreLogger {
  warn(message: string): void;
}

/** @internal The state every `store.as(actor)` view shares. */
export class StoreCore {
  readonly projection: Projection;
  readonly registry = new Map<string, ResourceType>();
  private subscription: Subscription | undefined;
  failure: unknown;
  /** Set when the store was given a metrics registry. */
  metrics: StoreMetrics | undefined;

  constructor(
    readonly log: EventLog,
    readonly clock: Clock,
    readonly random: Random,
    types: readonly ResourceType[],
    readonly admission: readonly AdmissionPlugin[],
    readonly authorizer: Authorizer | undefined,
    readonly logger: StoreLogger,
    readonly ownsLog: boolean,
  ) {
    this.projection = new Projection(types);
    for (const type of types) this.registry.set(`${type.apiVersion}/${type.kind}`, type);
  }

  /** The one apply path: the projection advances only from this subscription, in revision order. */
  start(): void {
    this.subscription = this.log.subscribe(0).subscribe({
      next: (entry: LogEntry) => this.projection.apply(entry),
      error: (error: unknown) => {
        this.failure = error;
        this.logger.warn(`store stopped following the log: ${(error as Error)?.message ?? String(error)}`);
      },
    });
  }

  stop(): void {
    this.subscription?.unsubscribe();
  }

  /** Every kind the store serves, in registration order. */
  get types(): ResourceType[] {
    return [...this.registry.values()];
  }

  /** Serves one more kind from now on (e.g. a CustomResourceDefinition's); its entries already in the log are adopted. */
  register(type: ResourceType): void {
    const key = `${type.apiVersion}/${type.kind}`;
    const existing = this.registry.get(key);
    if (existing === type) return;
    const name = typeName(type);
    for (const other of this.registry.values()) {
      if (other !== existing && typeName(other) === name) {
        throw new InvalidError(
          `store.registerType: ${type.kind} would share the resource "${name}" with ${other.kind}`,
        );
      }
    }
    this.registry.set(key, type);
    this.projection.register(type);
  }

  /** Stops serving a kind registered with {@link register}. */
  unregister(type: ResourceType): void {
    const key = `${type.apiVersion}/${type.kind}`;
    if (this.registry.get(key) === undefined) return;
    this.registry.delete(key);
    this.projection.unregister(type);
  }

  typeState(type: ResourceType): TypeState {
    const state = this.projection.state(type);
    if (!state) {
      throw new InvalidError(
        `${type?.kind ?? String(type)} is not a type of this store; pass it in createStore({ types: [...] })`,
      );
    }
    return state;
  }

  typeOf(object: { apiVersion?: unknown; kind?: unknown }): ResourceType {
    const type = this.registry.get(`${String(object.apiVersion)}/${String(object.kind)}`);
    if (!type) {
      throw new InvalidError(
        `no registered type for apiVersion "${String(object.apiVersion)}" kind "${String(object.kind)}"; ` +
          'set both on the object and pass the type in createStore({ types: [...] })',
      );
    }
    return type;
  }

  /** The namespace a request addresses: required (default "default") for namespaced kinds, none otherwise. */
  namespaceFor(type: ResourceType, namespace: string | undefined): string | undefined {
    if (!type.namespaced) return undefined;
    if (namespace !== undefined && typeof namespace !== 'string') {
      throw new InvalidError(`${type.kind}: namespace must be a string`);
    }
    return namespace === undefined || namespace === '' ? 'default' : namespace;
  }

  key(type: ResourceType, namespace: string | undefined, name: string): string {
    if (typeof name !== 'string' || name.length === 0) {
      throw new InvalidError(`${type.kind}: name must be a non-empty string`);
    }
    return objectKey(type, namespace, name);
  }

  current<T extends KubeObject>(type: ResourceType, namespace: string | undefined, name: string): T {
    const object = this.typeState(type).live.get(this.key(type, namespace, name))?.object;
    if (!object) {
      throw new NotFoundError(
        `${qualifiedResource(type)} "${name}" not found${namespace ? ` in namespace "${namespace}"` : ''}`,
      );
    }
    return object as T;
  }

  async authorize(attributes: RequestAttributes): Promise<void> {
    if (!this.authorizer) return;
    if (await this.authorizer(attributes)) return;
    const where = attributes.namespace ? ` in the namespace "${attributes.namespace}"` : ' at the cluster scope';
    throw new ForbiddenError(
      `${attributes.actor} cannot ${attributes.verb} resource "${attributes.resource}"` +
        `${attributes.group ? ` in API group "${attributes.group}"` : ''}${where}`,
    );
  }

  /** Waits (on the store's clock) until the store has applied `resourceVersion`, at most 3 s. */
  async atLeast(resourceVersion: string | undefined): Promise<void> {
    if (resourceVersion === undefined || resourceVersion === '' || resourceVersion === '0') return;
    const revision = Number(resourceVersion);
    if (!Number.isSafeInteger(revision) || revision < 0) {
      throw new InvalidError(`resourceVersion must be a decimal revision such as "42", got "${resourceVersion}"`);
    }
    if (revision > 0 && revision < this.projection.compactedBefore) {
      throw new ExpiredError(`too old resource version: ${revision} (${this.projection.compactedBefore})`);
    }
    if (revision <= this.projection.revision) return;
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const reached = this.projection.reached(revision).then(() => true);
    const timedOut = new Promise<boolean>((resolve) => {
      timer = this.clock.setTimeout(() => resolve(false), FUTURE_VERSION_WAIT_MS);
    });
    const ok = await Promise.race([reached, timedOut]);
    if (timer !== undefined) this.clock.clearTimeout(timer);
    if (!ok) throw new TimeoutError(`Too large resource version: ${revision}, current: ${this.projection.revision}`);
  }
}
