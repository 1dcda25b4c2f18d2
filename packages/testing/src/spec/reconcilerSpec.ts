/**
 * Given / when / then specifications for one reconcile: the objects a store
 * holds, the request, and what the reconcile wrote — with Kubernetes'
 * idempotency rule checked for free (reconciling the same request again,
 * with nothing changed, writes nothing).
 */
import { builtinAdmission, builtinTypes, ensureSystemNamespaces, Namespace } from '@keelson/api';
import { createRandom, VirtualClock } from '@keelson/clock';
import {
  CACHE_INDEXERS,
  type Cache,
  type Controller,
  cacheOver,
  createEventRecorder,
  createInformer,
  type Informer,
  type ReconcileContext,
  type Request,
  type Result,
} from '@keelson/controller';
import { createStore, InvalidError, type KubeObject, type ResourceType, type Store, silentLogger } from '@keelson/core';
import { createMemoryLog, type EventLog } from '@keelson/eventlog';
import { lookupType, type ManifestInput, typedObjects } from '../manifests';

/** Virtual time zero of a spec: 2026-01-01T00:00:00Z. */
export const SPEC_START = Date.UTC(2026, 0, 1);

/** One write a reconcile made, read back from the log. */
export interface SpecWrite {
  verb: 'create' | 'update' | 'delete';
  kind: string;
  name: string;
  namespace: string | undefined;
  /** The object as written (for `delete`, its last state). */
  object: KubeObject;
}

/** What `then` receives. */
export interface SpecOutcome {
  /** The writes of the reconcile, in log order; Events are in `events` instead. */
  writes: SpecWrite[];
  /** The Events the reconcile recorded. */
  events: KubeObject[];
  /** What the reconcile returned. */
  result: Result | undefined;
  /** The store, after the reconcile, for further reads. */
  store: Store;
}

/** Options for {@link reconcilerSpec}. */
export interface ReconcilerSpecOptions {
  /** Kinds besides the built-in ones and the controller's own. */
  types?: readonly ResourceType[];
  /** Seed of the store's names and uids (default 1). */
  seed?: number;
  /** Virtual time of the reconcile, ms since the epoch (default 2026-01-01T00:00:00Z). */
  now?: number;
  /** Skip the second reconcile that proves idempotency. */
  skipIdempotencyCheck?: boolean;
}

/** The spec's last step. */
export interface SpecThen {
  /** Runs the reconcile, hands its outcome to `expect`, then checks that reconciling again writes nothing. */
  then(expect: (outcome: SpecOutcome) => void | Promise<void>): Promise<void>;
  /** Runs the reconcile and expects it to throw; `check` sees the error. */
  thenThrows(check?: (error: unknown) => void | Promise<void>): Promise<void>;
}

/** After `given`. */
export interface SpecWhen {
  when(request: Request): SpecThen;
}

/** The first step. */
export interface SpecGiven extends SpecWhen {
  /** The objects the store holds before the reconcile: objects, arrays, Lists or YAML. */
  given(objects: ManifestInput): SpecWhen;
}

function controllerTypes(controller: Controller): ResourceType[] {
  return [controller.for, ...(controller.owns ?? []), ...(controller.watches ?? []).map((w) => w.type)];
}

interface World {
  store: Store;
  log: EventLog;
  types: readonly ResourceType[];
  clock: VirtualClock;
  informers: Informer<KubeObject>[];
  context: ReconcileContext;
  close(): Promise<void>;
}

async function buildWorld(
  controller: Controller,
  options: ReconcilerSpecOptions,
  given: ManifestInput,
): Promise<World> {
  const clock = new VirtualClock(options.now ?? SPEC_START);
  const seed = options.seed ?? 1;
  const types = [...builtinTypes, ...controllerTypes(controller), ...(options.types ?? [])].filter(
    (type, i, all) => all.findIndex((t) => t.apiVersion === type.apiVersion && t.kind === type.kind) === i,
  );
  const log = createMemoryLog();
  const store = await createStore({
    log,
    types,
    admission: builtinAdmission(),
    clock,
    random: createRandom(seed, 'spec-store'),
    logger: { warn: () => undefined },
  });
  await ensureSystemNamespaces(store);
  for (const { type, object } of typedObjects(given, types)) {
    const namespace = type.namespaced ? (object.metadata.namespace ?? 'default') : undefined;
    if (namespace !== undefined) {
      const exists = await store.get(Namespace, namespace).then(
        () => true,
        () => false,
      );
      if (!exists) await store.create(Namespace, { metadata: { name: namespace }, spec: {} });
    }
    await store.create(type, object as never, { namespace });
  }
  const informers = controllerTypes(controller)
    .filter((type, i, all) => all.indexOf(type) === i)
    .map((type) => createInformer(store, type, { indexers: CACHE_INDEXERS }));
  for (const informer of informers) informer.start();
  await Promise.all(informers.map((informer) => informer.waitForSync()));
  const informerOf = (type: ResourceType) => {
    const found = informers.find((i) => i.type.apiVersion === type.apiVersion && i.type.kind === type.kind);
    if (!found) {
      throw new InvalidError(
        `controller ${controller.name}: ${type.kind} is not in its cache; add it to for, owns or watches`,
      );
    }
    return found;
  };
  const cache: Cache = cacheOver(informerOf);
  const recorder = createEventRecorder(store, {
    component: controller.name,
    clock,
    random: createRandom(seed, 'spec-events'),
    sweep: false,
  });
  const context: ReconcileContext = {
    client: store,
    cache,
    recorder,
    clock,
    logger: silentLogger,
    signal: new AbortController().signal,
  };
  return {
    store,
    log,
    types,
    clock,
    informers,
    context,
    async close() {
      for (const informer of informers) informer.stop();
      await store.close();
    },
  };
}

/** Reconciles once and reads back, from the log, what it wrote. */
async function reconcileOnce(controller: Controller, world: World, request: Request) {
  const before = world.store.revision;
  const earlier = await world.store.at(before);
  const result = (await controller.reconcile(request, world.context)) ?? undefined;
  // Let informers and any follow-up work of this instant settle before reading the log.
  await world.clock.advance(0);
  await world.store.sync();
  const writes: SpecWrite[] = [];
  const events: KubeObject[] = [];
  const live = new Map<string, boolean>();
  for await (const entry of world.log.read({ from: before + 1 })) {
    const object = entry.data as KubeObject;
    if (object.kind === 'Event') {
      if (!entry.tombstone) events.push(object);
      continue;
    }
    let existed = live.get(entry.key);
    if (existed === undefined) {
      const type = lookupType(world.types, object);
      existed = await earlier.get(type, object.metadata.name, { namespace: object.metadata.namespace }).then(
        () => true,
        () => false,
      );
    }
    live.set(entry.key, !entry.tombstone);
    writes.push({
      verb: entry.tombstone ? 'delete' : existed ? 'update' : 'create',
      kind: object.kind,
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      object,
    });
  }
  return { result: result as Result | undefined, writes, events };
}

function describeWrites(writes: readonly SpecWrite[]): string {
  return writes.map((w) => `${w.verb} ${w.kind} ${w.namespace ? `${w.namespace}/` : ''}${w.name}`).join(', ');
}

/**
 * A given / when / then specification of one controller's reconcile:
 * `given` objects in a fresh store (on virtual time, seeded), `when` a
 * request, `then` an assertion on the writes it made and its result. After
 * `then` passes, the same request is reconciled again and must write nothing
 * (Events aside): a level-triggered reconcile is idempotent.
 *
 * @example
 * ```ts
 * await reconcilerSpec(websiteController)
 *   .given([website])
 *   .when({ name: 'blog', namespace: 'default' })
 *   .then(({ writes }) => {
 *     expect(writes.map((w) => `${w.verb} ${w.kind}`)).toEqual(['create Deployment']);
 *   });
 * ```
 */
export function reconcilerSpec(controller: Controller, options: ReconcilerSpecOptions = {}): SpecGiven {
  if (controller?.__controller !== true) {
    throw new InvalidError('reconcilerSpec: pass a controller from defineController');
  }
  const when =
    (given: ManifestInput) =>
    (request: Request): SpecThen => {
      if (!request || typeof request.name !== 'string' || request.name === '') {
        throw new InvalidError('reconcilerSpec.when: the request needs a name (and a namespace for namespaced kinds)');
      }
      const run = async <T>(body: (world: World) => Promise<T>): Promise<T> => {
        const world = await buildWorld(controller, options, given);
        try {
          return await body(world);
        } finally {
          await world.close();
        }
      };
      return {
        // biome-ignore lint/suspicious/noThenProperty: given/when/then is the spec's vocabulary; `then` returns the run's promise.
        then: (expect) =>
          run(async (world) => {
            const first = await reconcileOnce(controller, world, request);
            await expect({ ...first, store: world.store });
            if (options.skipIdempotencyCheck) return;
            const second = await reconcileOnce(controller, world, request);
            if (second.writes.length > 0) {
              throw new SpecFailure(
                `${controller.name}: reconciling ${request.namespace ? `${request.namespace}/` : ''}${request.name} again with nothing changed wrote ${describeWrites(second.writes)}; a reconcile must be idempotent`,
              );
            }
          }),
        thenThrows: (check) =>
          run(async (world) => {
            let thrown: unknown;
            try {
              await controller.reconcile(request, world.context);
            } catch (error) {
              thrown = error;
            }
            if (thrown === undefined)
              throw new SpecFailure(`${controller.name}: the reconcile was expected to throw, and did not`);
            await check?.(thrown);
          }),
      };
    };
  return {
    given: (objects) => ({ when: when(objects) }),
    when: when([]),
  };
}

/** A spec's own failure (not the reconcile's). */
export class SpecFailure extends Error {
  override name = 'SpecFailure';
}
