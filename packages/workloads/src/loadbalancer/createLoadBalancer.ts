/**
 * In-process load balancing for Node apps: a Service's ready endpoints,
 * followed live through its EndpointSlices, and a strategy to pick one per
 * request — what kube-proxy does for a cluster, as a library call.
 */
import { EndpointSlice, Service } from '@keelson/api';
import { cryptoRandom, type Random, type TimerHandle } from '@keelson/clock';
import {
  InvalidError,
  KeelsonError,
  type KubeObject,
  type ResourceType,
  type Store,
  TimeoutError,
  type WatchEvent,
} from '@keelson/core';
import type { Subscription } from 'rxjs';
import { SERVICE_NAME_LABEL } from '../endpointslice/sliceLabels';
import { endpointId, resolveSlicePort, rotationOf, type ServiceEndpoint, type SlicePort } from './rotation';
import {
  type EndpointChooser,
  LOAD_BALANCING_STRATEGIES,
  type LoadBalancingStrategy,
  leastOutstanding,
  randomChoice,
  roundRobin,
} from './strategies';

/** Options for {@link createLoadBalancer}. */
export interface LoadBalancerOptions {
  /** The Service's namespace (default `default`). */
  namespace?: string;
  /** The Service whose endpoints to balance over. */
  service: string;
  /** The Service port, by name or by number (`spec.ports[].port`); default its first port. */
  port?: string | number;
  /** Default `round-robin`. */
  strategy?: LoadBalancingStrategy;
  /** The source for `random` (default: crypto-backed; pass `createRandom(seed, name)` for reproducible runs). */
  random?: Random;
}

/** A picked endpoint: where to send one request, and `done()` to call when it has finished. */
export interface PickedEndpoint extends ServiceEndpoint {
  /** Ends the request's in-flight count (for `least-outstanding`); calling it again does nothing. */
  done(): void;
}

/** Follows a Service's ready endpoints and picks one per request. */
export interface LoadBalancer {
  /** An endpoint for one request, or `undefined` while none is ready. Throws the `InvalidError` of a bad `port`. */
  pick(): PickedEndpoint | undefined;
  /** The current rotation, in the order round-robin walks it. */
  endpoints(): ServiceEndpoint[];
  /** Resolves once the Service and its slices have been read (the rotation may be empty). */
  synced(): Promise<void>;
  /** The first non-empty rotation: at once if there is one. */
  ready(): Promise<ServiceEndpoint[]>;
  /** As {@link LoadBalancer.ready}, failing with `TimeoutError` after `timeoutMs` of the store's clock. */
  waitForEndpoints(options?: { timeoutMs?: number }): Promise<ServiceEndpoint[]>;
  /** Stops following the Service; pending waits fail with {@link LoadBalancerClosedError}. */
  close(): void;
}

/** A wait for endpoints that ended because the load balancer was closed. */
export class LoadBalancerClosedError extends KeelsonError {
  constructor(message: string) {
    super('LoadBalancerClosed', 499, message);
  }
}

/** How long to wait before re-reading after a watch failed (e.g. its revision was compacted). */
const RELIST_DELAY_MS = 1_000;

interface Waiter {
  resolve(endpoints: ServiceEndpoint[]): void;
  reject(error: unknown): void;
  timer?: TimerHandle;
}

function checkOptions(options: LoadBalancerOptions): Required<Pick<LoadBalancerOptions, 'namespace' | 'service'>> {
  const { service, namespace = 'default', port, strategy } = (options ?? {}) as Partial<LoadBalancerOptions>;
  if (typeof service !== 'string' || service === '') {
    throw new InvalidError('createLoadBalancer: option "service" is required: the name of the Service to balance over');
  }
  if (typeof namespace !== 'string' || namespace === '') {
    throw new InvalidError('createLoadBalancer: option "namespace" must be a namespace name');
  }
  if (strategy !== undefined && !LOAD_BALANCING_STRATEGIES.includes(strategy)) {
    throw new InvalidError(
      `createLoadBalancer: option "strategy" must be one of ${LOAD_BALANCING_STRATEGIES.join(', ')}, got "${String(strategy)}"`,
    );
  }
  const validPort =
    port === undefined ||
    (typeof port === 'string' && port !== '') ||
    (typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535);
  if (!validPort) {
    throw new InvalidError(
      `createLoadBalancer: option "port" must be a Service port name or a number from 1 to 65535, got ${JSON.stringify(port)}`,
    );
  }
  return { service, namespace };
}

function chooserFor(options: LoadBalancerOptions): EndpointChooser {
  switch (options.strategy ?? 'round-robin') {
    case 'random':
      return randomChoice(options.random ?? cryptoRandom());
    case 'least-outstanding':
      return leastOutstanding();
    default:
      return roundRobin();
  }
}

/** @internal The load balancer behind {@link createLoadBalancer}. */
class ServiceLoadBalancer implements LoadBalancer {
  private readonly slices = new Map<string, EndpointSlice>();
  private service: Service | undefined;
  private rotation: ServiceEndpoint[] = [];
  private problem: InvalidError | undefined;
  private readonly inFlight = new Map<string, number>();
  private readonly waiters = new Set<Waiter>();
  private readonly subscriptions: Subscription[] = [];
  private readonly timers = new Set<TimerHandle>();
  private closed = false;
  private readonly loaded: Promise<void>;
  private readonly chooser: EndpointChooser;
  private readonly key: string;

  constructor(
    private readonly store: Store,
    private readonly options: LoadBalancerOptions,
    private readonly namespace: string,
  ) {
    this.chooser = chooserFor(options);
    this.key = `${namespace}/${options.service}`;
    const sliceSelector = `${SERVICE_NAME_LABEL}=${options.service}`;
    this.loaded = Promise.all([
      this.follow(EndpointSlice, { labelSelector: sliceSelector }, (event) => this.onSlice(event)),
      this.follow(Service, { fieldSelector: `metadata.name=${options.service}` }, (event) => this.onService(event)),
    ]).then(() => this.refresh());
    // A failed initial read is reported through ready() and synced(), never as an unhandled rejection.
    this.loaded.catch(() => undefined);
  }

  /** Lists, then watches from the list's revision; re-lists after a watch failure. */
  private async follow<T extends KubeObject>(
    type: ResourceType<T, unknown>,
    selector: { labelSelector?: string; fieldSelector?: string },
    apply: (event: WatchEvent<T> | { type: 'RESET'; items: T[] }) => void,
  ): Promise<void> {
    if (this.closed) return;
    const list = await this.store.list(type, { namespace: this.namespace, ...selector });
    if (this.closed) return;
    apply({ type: 'RESET', items: list.items });
    const subscription = this.store
      .watch(type, { namespace: this.namespace, ...selector, resourceVersion: list.resourceVersion })
      .subscribe({
        next: (event) => {
          apply(event);
          this.refresh();
        },
        error: () => {
          if (this.closed) return;
          const timer = this.store.clock.setTimeout(
            () => {
              this.timers.delete(timer);
              void this.follow(type, selector, apply)
                .then(() => this.refresh())
                .catch(() => undefined);
            },
            RELIST_DELAY_MS,
            { background: true },
          );
          this.timers.add(timer);
        },
      });
    this.subscriptions.push(subscription);
  }

  private onSlice(event: WatchEvent<EndpointSlice> | { type: 'RESET'; items: EndpointSlice[] }): void {
    if (event.type === 'RESET') {
      this.slices.clear();
      for (const slice of event.items) this.slices.set(slice.metadata.name, slice);
    } else if (event.type === 'DELETED') this.slices.delete(event.object.metadata.name);
    else if (event.type !== 'BOOKMARK') this.slices.set(event.object.metadata.name, event.object);
  }

  private onService(event: WatchEvent<Service> | { type: 'RESET'; items: Service[] }): void {
    if (event.type === 'RESET') this.service = event.items[0];
    else if (event.type === 'DELETED') this.service = undefined;
    else if (event.type !== 'BOOKMARK') this.service = event.object;
  }

  /** Recomputes the rotation and settles the waits it answers. */
  private refresh(): void {
    let port: SlicePort | undefined;
    try {
      port = resolveSlicePort(this.service, this.options.port);
      this.problem = undefined;
    } catch (error) {
      this.problem = error as InvalidError;
    }
    this.rotation = port === undefined ? [] : rotationOf(this.slices.values(), port);
    if (this.problem) this.settle((waiter) => waiter.reject(this.problem));
    else if (this.rotation.length > 0) this.settle((waiter) => waiter.resolve(this.endpoints()));
  }

  private settle(how: (waiter: Waiter) => void): void {
    for (const waiter of this.waiters) {
      if (waiter.timer !== undefined) this.store.clock.clearTimeout(waiter.timer);
      how(waiter);
    }
    this.waiters.clear();
  }

  pick(): PickedEndpoint | undefined {
    if (this.problem) throw this.problem;
    if (this.rotation.length === 0) return undefined;
    const chosen = this.chooser.choose(this.rotation, (id) => this.inFlight.get(id) ?? 0);
    const id = endpointId(chosen);
    this.inFlight.set(id, (this.inFlight.get(id) ?? 0) + 1);
    let finished = false;
    return {
      ...chosen,
      done: () => {
        if (finished) return;
        finished = true;
        const left = (this.inFlight.get(id) ?? 1) - 1;
        if (left > 0) this.inFlight.set(id, left);
        else this.inFlight.delete(id);
      },
    };
  }

  endpoints(): ServiceEndpoint[] {
    return this.rotation.map((endpoint) => ({ ...endpoint }));
  }

  synced(): Promise<void> {
    return this.loaded;
  }

  ready(): Promise<ServiceEndpoint[]> {
    return this.waitForEndpoints();
  }

  async waitForEndpoints(options: { timeoutMs?: number } = {}): Promise<ServiceEndpoint[]> {
    const { timeoutMs } = options;
    if (timeoutMs !== undefined && (!Number.isFinite(timeoutMs) || timeoutMs < 0)) {
      throw new InvalidError(`waitForEndpoints: option "timeoutMs" must be a number >= 0, got ${String(timeoutMs)}`);
    }
    if (this.closed) throw this.closedError();
    await this.loaded;
    if (this.problem) throw this.problem;
    if (this.rotation.length > 0) return this.endpoints();
    return new Promise<ServiceEndpoint[]>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      if (timeoutMs !== undefined) {
        waiter.timer = this.store.clock.setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new TimeoutError(`no ready endpoints for Service ${this.key} within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.waiters.add(waiter);
    });
  }

  private closedError(): LoadBalancerClosedError {
    return new LoadBalancerClosedError(`the load balancer for Service ${this.key} was closed`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
    for (const timer of this.timers) this.store.clock.clearTimeout(timer);
    this.timers.clear();
    const error = this.closedError();
    this.settle((waiter) => waiter.reject(error));
  }
}

/**
 * A load balancer over a Service's ready endpoints. It reads the Service
 * (for its ports) and watches the EndpointSlices labelled
 * `kubernetes.io/service-name=<service>`: an endpoint is in the rotation
 * while its slice says it is ready and not terminating, so a pod that fails
 * its readiness probe, or starts shutting down, is out at the next slice
 * change. `pick()` returns `undefined` until the first endpoint is ready;
 * await `ready()` to wait for it.
 *
 * @example
 * ```ts
 * const lb = createLoadBalancer(store, { namespace: 'default', service: 'web', port: 'http' });
 * await lb.ready();
 * const target = lb.pick();               // { address, port, pod, node, zone, done }
 * try { await fetch(`http://${target.address}:${target.port}/`); } finally { target.done(); }
 * ```
 */
export function createLoadBalancer(store: Store, options: LoadBalancerOptions): LoadBalancer {
  const { namespace } = checkOptions(options);
  return new ServiceLoadBalancer(store, options, namespace);
}
