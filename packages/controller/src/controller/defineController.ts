import type { Clock } from '@keelson/clock';
import {
  InvalidError,
  KeelsonError,
  type KubeObject,
  type LabelSelectorInput,
  type Logger,
  type ResourceType,
  type Store,
} from '@keelson/core';
import type { RateLimiter } from '../queue/index';
import type { Predicate } from './predicates';

/** What a reconcile is asked to do: the key of one object, never the event. */
export interface Request {
  name: string;
  namespace?: string;
}

/** What a reconcile returns: nothing (done), or when to come back. */
export interface Result {
  /** Reconcile this key again after this many ms (of the manager's clock). */
  requeueAfter?: number;
  /** Reconcile again after the rate limiter's delay, as for an error. */
  requeue?: boolean;
}

/** Thrown from `reconcile` to stop retrying a key (it is recorded, not requeued). */
export class TerminalError extends KeelsonError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('Terminal', 500, message, options);
  }
}

/** The store as a reconcile sees it: writes are refused once the manager has lost its leadership. */
export type Client = Pick<
  Store,
  'get' | 'list' | 'create' | 'update' | 'updateStatus' | 'patch' | 'delete' | 'getScale' | 'updateScale'
>;

/** Reads from the manager's informers: no store round trip. */
export interface Cache {
  get<T extends KubeObject>(type: ResourceType<T, unknown>, name: string, namespace?: string): T | undefined;
  list<T extends KubeObject>(
    type: ResourceType<T, unknown>,
    options?: { namespace?: string | undefined; labelSelector?: LabelSelectorInput },
  ): T[];
  /**
   * Objects in `namespace` whose controller reference (the owner reference
   * with `controller: true`) has this `uid`, sorted by name; `undefined`: the
   * objects without a controller (orphans). Read from an index, not a walk.
   */
  controlledBy<T extends KubeObject>(
    type: ResourceType<T, unknown>,
    namespace: string | undefined,
    uid: string | undefined,
  ): T[];
  /**
   * Objects of every namespace whose `spec.nodeName` is `nodeName` (the pods
   * bound to a node), sorted by namespace and name. Read from an index, not a walk.
   */
  onNode<T extends KubeObject>(type: ResourceType<T, unknown>, nodeName: string): T[];
}

/** The logger of `@keelson/core` (pino's interface: fields first, then the message), re-exported here. */
export type { Logger } from '@keelson/core';

/** Records Kubernetes events about objects (see `createEventRecorder`). */
export interface Recorder {
  event(object: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void>;
}

/** What a reconcile gets besides its request. */
export interface ReconcileContext {
  client: Client;
  cache: Cache;
  recorder: Recorder | undefined;
  clock: Clock;
  /**
   * The manager's logger bound to this reconcile, controller-runtime style:
   * `{ component: 'controller-manager', controller: <name>, namespace?, name }` (silent unless the
   * manager was given a logger). Log with fields first: `logger.info({ pod }, 'deleted pod')`.
   */
  logger: Logger;
  /** Aborts when the manager stops or loses its leadership: stop and return. */
  signal: AbortSignal;
}

/** Another kind whose events enqueue requests, through a map function (build one with {@link watchSource}). */
export interface WatchSource<W extends KubeObject = KubeObject> {
  type: ResourceType<W, unknown>;
  /** The requests an event of `object` enqueues; `cache` reads the manager's informers (e.g. the owners that select it). */
  map(object: W, cache: Cache): readonly Request[];
  predicates?: readonly Predicate<W>[];
}

/**
 * A typed `watches` entry: events of `type` enqueue the requests `map` returns.
 *
 * @example
 * ```ts
 * watches: [watchSource(Node, (node) => podsOn(node.metadata.name))]
 * ```
 */
export function watchSource<W extends KubeObject>(
  type: ResourceType<W, unknown>,
  map: (object: W, cache: Cache) => readonly Request[],
  predicates: readonly Predicate<W>[] = [],
): WatchSource {
  return { type, map, predicates } as unknown as WatchSource;
}

/** The arguments of {@link defineController}. */
export interface ControllerDefinition<T extends KubeObject> {
  name: string;
  /** The kind this controller reconciles: its events enqueue the object's own key. */
  for: ResourceType<T, unknown>;
  /** Kinds it creates: their events enqueue the owner named by their controller ownerReference. */
  owns?: readonly ResourceType[];
  watches?: readonly WatchSource[];
  /** Filters the `for` kind's events (e.g. `generationChanged()`). */
  predicates?: readonly Predicate<T>[];
  /** Workers; one key is never reconciled by two at once (default 1). */
  maxConcurrentReconciles?: number;
  /** Default: `defaultControllerRateLimiter()`. */
  rateLimiter?: RateLimiter<string>;
  reconcile(
    request: Request,
    context: ReconcileContext,
  ): Promise<Result | undefined | void> | Result | undefined | void;
}

/** A controller definition, checked: hand it to `manager.add`. */
export type Controller<T extends KubeObject = KubeObject> = Readonly<ControllerDefinition<T>> & {
  readonly __controller: true;
};

/**
 * Declares a level-triggered controller, the controller-runtime way: a
 * request carries only an object's key; the reconcile reads the current
 * state and makes the world match it.
 *
 * @example
 * ```ts
 * const websites = defineController({
 *   name: 'website', for: Website, owns: [Deployment], predicates: [generationChanged()],
 *   async reconcile({ name, namespace }, { client }) {
 *     const site = await client.get(Website, name, { namespace });
 *     // … create or update the Deployment it owns …
 *     return { requeueAfter: 30_000 };
 *   },
 * });
 * ```
 */
export function defineController<T extends KubeObject>(definition: ControllerDefinition<T>): Controller<T> {
  const { name, maxConcurrentReconciles = 1 } = definition;
  if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) {
    throw new InvalidError(`controller name must be lower case like "website-controller", got "${String(name)}"`);
  }
  if (!definition.for || typeof definition.for.kind !== 'string') {
    throw new InvalidError(`controller ${name}: \`for\` must be a resource type from defineResource`);
  }
  if (!Number.isSafeInteger(maxConcurrentReconciles) || maxConcurrentReconciles < 1) {
    throw new InvalidError(`controller ${name}: maxConcurrentReconciles must be an integer >= 1`);
  }
  if (typeof definition.reconcile !== 'function') {
    throw new InvalidError(`controller ${name}: reconcile must be a function`);
  }
  return Object.freeze({ ...definition, maxConcurrentReconciles, __controller: true as const });
}
