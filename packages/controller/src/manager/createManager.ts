import { Lease } from '@keelson/api';
import type { Clock } from '@keelson/clock';
import {
  componentLogger,
  errorFields,
  ForbiddenError,
  InvalidError,
  type KubeObject,
  type LabelSelectorInput,
  type Logger,
  type MetricsRegistry,
  type ResourceType,
  type Store,
} from '@keelson/core';
import { EventEmitter } from 'eventemitter3';
import type { Cache, Client, Controller, ReconcileContext, Recorder } from '../controller/defineController';
import { ControllerRunner, type ControllerStats } from '../controller/runner';
import { createInformer, type Informer, type InformerOptions } from '../informer/informer';
import { type LeaderElectionOptions, LeaderElector } from '../leader/leaderElection';
import { CACHE_INDEXERS, cacheOver } from './cacheIndexes';

/** Options for {@link createManager}. */
export interface ManagerOptions {
  store: Store;
  /** Default: the store's clock. */
  clock?: Clock;
  /** Run controllers only while this manager holds the named Lease. */
  leaderElection?: LeaderElectionOptions;
  /** Records Kubernetes events for controllers (`ctx.recorder`) and for leadership changes. */
  recorder?: Recorder;
  /**
   * A pino-compatible logger, bound to `{ component: 'controller-manager' }`; each controller's
   * lines add `controller` (and, within a reconcile, the request's `namespace` and `name`).
   * Silent by default: nothing reaches the console.
   */
  logger?: Logger;
  /**
   * Registers each controller's work queue metrics (`keelson_workqueue_*`, client-go's names) and
   * reconcile metrics (`keelson_controller_runtime_*`, controller-runtime's) here; none without it.
   */
  metricsRegistry?: MetricsRegistry;
}

/** What a manager announces. */
export interface ManagerEvents {
  'started-leading': () => void;
  'stopped-leading': () => void;
  'new-leader': (identity: string) => void;
}

const WRITES = ['create', 'update', 'updateStatus', 'patch', 'delete', 'updateScale'] as const;

/** The store for one reconcile context: every write is refused once `signal` has aborted. */
function guardedClient(store: Store, signal: AbortSignal): Client {
  const refuse = () =>
    Promise.reject(
      new ForbiddenError(
        'this controller manager stopped (or lost its leadership); the write was refused so that two managers never act at once',
      ),
    );
  const client: Record<string, unknown> = {
    get: store.get.bind(store),
    list: store.list.bind(store),
    getScale: store.getScale.bind(store),
  };
  for (const verb of WRITES) {
    const write = (store[verb] as (...args: unknown[]) => Promise<unknown>).bind(store);
    client[verb] = (...args: unknown[]) => (signal.aborted ? refuse() : write(...args));
  }
  return client as unknown as Client;
}

/**
 * Runs controllers: one shared informer per (kind, namespace, selectors),
 * reconciling only once the caches have synced and, with leader election,
 * only while this manager leads.
 */
export class Manager {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private readonly runners: ControllerRunner[] = [];
  private readonly emitter = new EventEmitter<ManagerEvents>();
  private readonly elector: LeaderElector | undefined;
  private running: AbortController | undefined;
  private started = false;
  readonly clock: Clock;
  /** The manager's logger (bound to `component: 'controller-manager'`). */
  readonly logger: Logger;

  constructor(private readonly options: ManagerOptions) {
    if (!options || typeof options.store?.watch !== 'function') {
      throw new InvalidError('createManager: options.store must be a store from createStore');
    }
    this.clock = options.clock ?? options.store.clock;
    const logger = options.logger;
    if (
      logger !== undefined &&
      !['child', 'debug', 'info', 'warn', 'error'].every(
        (m) => typeof (logger as unknown as Record<string, unknown>)[m] === 'function',
      )
    ) {
      throw new InvalidError(
        'createManager: logger must be pino-compatible (child, debug, info, warn and error methods)',
      );
    }
    this.logger = componentLogger(logger, 'controller-manager');
    if (options.leaderElection) {
      this.elector = new LeaderElector(options.store, this.clock, options.leaderElection, {
        onStartedLeading: (signal) => this.lead(signal),
        onStoppedLeading: () => this.follow(),
        onNewLeader: (identity) => this.emitter.emit('new-leader', identity),
      });
    }
  }

  get store(): Store {
    return this.options.store;
  }

  on<E extends keyof ManagerEvents>(event: E, listener: ManagerEvents[E]): this {
    this.emitter.on(event, listener as never);
    return this;
  }

  off<E extends keyof ManagerEvents>(event: E, listener: ManagerEvents[E]): this {
    this.emitter.off(event, listener as never);
    return this;
  }

  /** The shared informer for (kind, namespace, selectors); created on first use, started with the manager. */
  informerFor<T extends KubeObject>(
    type: ResourceType<T, unknown>,
    options: Omit<InformerOptions<T>, 'indexers' | 'resyncPeriod'> = {},
  ): Informer<T> {
    const labels =
      options.labelSelector === undefined ? '' : JSON.stringify(options.labelSelector as LabelSelectorInput);
    const key = `${type.apiVersion}/${type.kind}|${options.namespace ?? ''}|${labels}|${options.fieldSelector ?? ''}`;
    let informer = this.informers.get(key) as Informer<T> | undefined;
    if (!informer) {
      informer = createInformer(this.store, type, { ...options, indexers: CACHE_INDEXERS });
      this.informers.set(key, informer as unknown as Informer<KubeObject>);
      if (this.started) informer.start();
    }
    return informer;
  }

  /** Adds a controller; before or after `start()`. */
  add(controller: Controller): this {
    if (!controller || controller.__controller !== true) {
      throw new InvalidError('manager.add: pass a controller from defineController');
    }
    if (this.runners.some((r) => r.controller.name === controller.name)) {
      throw new InvalidError(`manager.add: a controller named "${controller.name}" was already added`);
    }
    const runner = new ControllerRunner(controller, {
      clock: this.clock,
      metricsRegistry: this.options.metricsRegistry,
      cache: this.cacheFor(controller.name),
      informerFor: (type) => this.informerFor(type),
      context: (name, signal) => this.context(name, signal),
    });
    runner.informers();
    runner.watch();
    this.runners.push(runner);
    if (this.started) void this.syncThen(() => this.running && runner.start(this.running.signal));
    return this;
  }

  /** What each controller did so far, by name. */
  stats(): Record<string, ControllerStats> {
    return Object.fromEntries(this.runners.map((r) => [r.controller.name, { ...r.stats, queued: r.queue.length }]));
  }

  isLeader(): boolean {
    return this.elector ? this.elector.isLeader() : this.started;
  }

  /** Starts the informers, waits for their caches, then reconciles (once leading, with leader election). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const informer of this.informers.values()) informer.start();
    await this.syncThen(() => {
      if (this.elector) this.elector.start();
      else this.lead(new AbortController().signal);
    });
  }

  private async syncThen(then: () => void): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
    if (this.started) then();
  }

  private lead(signal: AbortSignal): void {
    if (this.running) return;
    const running = new AbortController();
    signal.addEventListener('abort', () => running.abort(signal.reason), { once: true });
    this.running = running;
    for (const runner of this.runners) runner.start(running.signal);
    if (this.elector) {
      this.emitter.emit('started-leading');
      void this.recordLeadership('became leader');
    }
  }

  /** Records a leadership change as a Kubernetes event on the Lease, as client-go does. */
  private async recordLeadership(what: string): Promise<void> {
    const election = this.options.leaderElection as LeaderElectionOptions;
    const message = `${election.identity} ${what}`;
    this.logger.info({ lease: election.name, identity: election.identity }, message);
    const recorder = this.options.recorder;
    if (!recorder) return;
    try {
      const lease = await this.store.get(Lease, election.name, { namespace: election.namespace ?? 'kube-system' });
      await recorder.event(lease, 'Normal', 'LeaderElection', message);
    } catch (error) {
      this.logger.error({ reason: 'LeaderElection', ...errorFields(error) }, `could not record "${message}"`);
    }
  }

  private follow(): void {
    const running = this.running;
    this.running = undefined;
    running?.abort(new Error('leadership lost'));
    this.emitter.emit('stopped-leading');
    void this.recordLeadership('stopped leading');
    // Rejoining: the aborted term's workers hand back their next key and quit, its client refuses every
    // write, and the elector keeps campaigning; winning the lease starts a new term with new workers.
    if (this.options.leaderElection?.rejoin !== false) return;
    // rejoin: false — a manager that lost its lease does not lead again.
    this.elector?.stop();
    void Promise.all(this.runners.map((r) => r.stop()));
  }

  /** Stops reconciling (running reconciles finish), the informers and the elector. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.running?.abort(new Error('manager stopped'));
    this.running = undefined;
    this.elector?.stop();
    await Promise.all(this.runners.map((r) => r.stop()));
    for (const informer of this.informers.values()) informer.stop();
  }

  /** Reads of the shared informers; `who` names the caller in the error for a kind it did not declare. */
  private cacheFor(who: string): Cache {
    const informerFor = (type: ResourceType) => {
      const found = this.informers.get(`${type.apiVersion}/${type.kind}|||`);
      if (!found) {
        throw new InvalidError(`controller ${who}: ${type.kind} is not in its cache; add it to for, owns or watches`);
      }
      return found;
    };
    return cacheOver(informerFor);
  }

  private context(name: string, signal: AbortSignal): ReconcileContext {
    const cache = this.cacheFor(name);
    return {
      client: guardedClient(this.store, signal),
      cache,
      recorder: this.options.recorder,
      clock: this.clock,
      logger: this.logger.child({ controller: name }),
      signal,
    };
  }
}

/**
 * Creates a manager for controllers.
 *
 * @example
 * ```ts
 * const manager = createManager({ store, leaderElection: { name: 'websites', identity: 'pod-a' } });
 * manager.add(websites);
 * await manager.start();
 * ```
 */
export function createManager(options: ManagerOptions): Manager {
  return new Manager(options);
}
