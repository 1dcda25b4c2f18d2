import { type Clock, cryptoRandom, type Random, systemClock } from '@keelson/clock';
import { createMemoryLog, type EventLog } from '@keelson/eventlog';
import { InvalidError } from '../errors/index';
import { silentLogger } from '../observability/logger';
import type { MetricsRegistry } from '../observability/metrics';
import type { ResourceType } from '../resource/defineResource';
import { typeName } from './keys';
import { Store } from './Store';
import { StoreCore, type StoreLogger } from './StoreCore';
import { StoreMetrics } from './storeMetrics';
import { createSystemNamespaces, namespaceTypeOf } from './systemNamespaces';
import type { AdmissionPlugin, Authorizer } from './types';

/** Options for {@link createStore}. */
export interface StoreOptions {
  /** The log the store projects (default: a new memory log, closed with the store). */
  log?: EventLog;
  clock?: Clock;
  /** Source of uids and generated names (default: crypto-backed). Seed it for reproducible runs. */
  random?: Random;
  /** Every kind the store serves. */
  types: readonly ResourceType[];
  admission?: readonly AdmissionPlugin[];
  authorizer?: Authorizer;
  /** Who writes through the returned store (default "system:admin"); see `store.as`. */
  actor?: string;
  /**
   * Where warnings (dropped unknown fields) go by default, as `warn(message)`: a pino-compatible
   * `Logger` fits. Silent by default.
   */
  logger?: StoreLogger;
  /** A prom-client registry for the store's request, latency and watch metrics (default: none). */
  metricsRegistry?: MetricsRegistry;
  /**
   * Create the namespaces a Kubernetes API server bootstraps (`default`,
   * `kube-system`, `kube-public`, `kube-node-lease`) when they are absent,
   * so the first Pod in `default` is admitted. Needs the `v1 Namespace` kind
   * in `types` (e.g. `builtinTypes` from `@keelson/api`). Default false.
   */
  systemNamespaces?: boolean;
}

/**
 * Opens a store on a log: replays the log into the projection, then follows it.
 *
 * @example
 * ```ts
 * const store = await createStore({ types: [Website], clock: new VirtualClock(), random: createRandom(1, 'store') });
 * const site = await store.create(Website, { metadata: { name: 'blog' }, spec: { image: 'nginx' } });
 * // a cluster-like store whose `default` namespace exists from the start:
 * const cluster = await createStore({ types: builtinTypes, admission: builtinAdmission(), systemNamespaces: true });
 * ```
 */
export async function createStore(options: StoreOptions): Promise<Store> {
  if (typeof options !== 'object' || options === null || !Array.isArray(options.types)) {
    throw new InvalidError('createStore: options.types must be an array of resource types (from defineResource)');
  }
  const seen = new Map<string, ResourceType>();
  for (const type of options.types) {
    if (typeof type !== 'object' || type === null || typeof type.kind !== 'string' || !type.schemas) {
      throw new InvalidError('createStore: every entry of options.types must come from defineResource');
    }
    const name = typeName(type);
    if (seen.has(name) && seen.get(name) !== type) {
      throw new InvalidError(`createStore: two types share the resource "${name}"; give each kind its own plural`);
    }
    seen.set(name, type);
  }
  const namespaceType = options.systemNamespaces === true ? namespaceTypeOf([...seen.values()]) : undefined;
  const log = options.log ?? createMemoryLog();
  const core = new StoreCore(
    log,
    options.clock ?? systemClock,
    options.random ?? cryptoRandom(),
    [...seen.values()],
    options.admission ?? [],
    options.authorizer,
    options.logger ?? silentLogger,
    options.log === undefined,
  );
  if (options.metricsRegistry !== undefined) core.metrics = new StoreMetrics(options.metricsRegistry);
  core.start();
  const store = new Store(core, options.actor ?? 'system:admin');
  await store.sync();
  if (namespaceType !== undefined) await createSystemNamespaces(store, namespaceType);
  return store;
}
