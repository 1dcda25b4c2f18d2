import type { Clock } from '@keelson/clock';
import { errorFields, isKeelsonError, type KubeObject, type MetricsRegistry } from '@keelson/core';
import type { Informer } from '../informer/informer';
import { cacheKey } from '../informer/informer';
import { createWorkQueue, defaultControllerRateLimiter, type WorkQueue } from '../queue/index';
import type { Cache, Controller, ReconcileContext, Request } from './defineController';
import { passes } from './predicates';
import { ReconcileMetrics, type ReconcileOutcome } from './reconcileMetrics';

/** What a controller did so far: for tests, metrics and benchmarks. */
export interface ControllerStats {
  reconciles: number;
  errors: number;
  terminal: number;
  /** Requests waiting in the controller's queue now (not counting ones waiting out a backoff). */
  queued: number;
}

/** @internal How a runner gets informers and its context from the manager. */
export interface RunnerHost {
  readonly clock: Clock;
  /** Where the controller's work queue and reconcile metrics register, if anywhere. */
  readonly metricsRegistry?: MetricsRegistry | undefined;
  /** Reads of the manager's informers, for `watches` map functions. */
  readonly cache: Cache;
  informerFor<T extends KubeObject>(type: Controller<T>['for']): Informer<T>;
  context(controller: string, signal: AbortSignal): ReconcileContext;
}

function keyOf(request: Request): string {
  return request.namespace ? `${request.namespace}/${request.name}` : request.name;
}

function requestOf(key: string): Request {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** @internal Runs one controller: its event sources feed a work queue, its workers reconcile. */
export class ControllerRunner {
  readonly queue: WorkQueue<string>;
  readonly stats: Omit<ControllerStats, 'queued'> = { reconciles: 0, errors: 0, terminal: 0 };
  private workers: Promise<void>[] = [];
  private readonly detach: Array<() => void> = [];
  private readonly metrics: ReconcileMetrics | undefined;

  constructor(
    readonly controller: Controller,
    private readonly host: RunnerHost,
  ) {
    const clock = host.clock;
    this.queue = createWorkQueue<string>({
      clock,
      rateLimiter: controller.rateLimiter ?? defaultControllerRateLimiter({ clock }),
      name: controller.name,
      ...(host.metricsRegistry ? { metricsRegistry: host.metricsRegistry } : {}),
    });
    const registry = host.metricsRegistry;
    this.metrics = registry === undefined ? undefined : new ReconcileMetrics(registry, controller.name, clock);
  }

  /** Informers this controller needs (the manager starts and syncs them). */
  informers(): Informer<KubeObject>[] {
    const { controller, host } = this;
    return [controller.for, ...(controller.owns ?? []), ...(controller.watches ?? []).map((w) => w.type)].map((type) =>
      host.informerFor(type),
    );
  }

  /** Connects the event sources to the queue. */
  watch(): void {
    const { controller, host, queue } = this;
    const own = host.informerFor(controller.for);
    const predicates = controller.predicates ?? [];
    this.listen(own, (event, object, old) => {
      if (passes(predicates, event, object, old)) queue.add(cacheKey(object));
    });
    for (const type of controller.owns ?? []) {
      const enqueueOwner = (object: KubeObject) => {
        for (const ref of object.metadata.ownerReferences ?? []) {
          if (ref.controller && ref.kind === controller.for.kind && ref.apiVersion === controller.for.apiVersion) {
            queue.add(
              keyOf({ name: ref.name, ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}) }),
            );
          }
        }
      };
      this.listen(host.informerFor(type), (_event, object, old) => {
        if (old) enqueueOwner(old);
        enqueueOwner(object);
      });
    }
    for (const source of controller.watches ?? []) {
      this.listen(host.informerFor(source.type), (event, object, old) => {
        if (!passes(source.predicates ?? [], event, object, old)) return;
        for (const request of source.map(object, host.cache)) queue.add(keyOf(request));
      });
    }
  }

  private listen(
    informer: Informer<KubeObject>,
    handle: (event: 'create' | 'update' | 'delete', object: KubeObject, old?: KubeObject) => void,
  ): void {
    const add = (object: KubeObject) => handle('create', object);
    const update = (old: KubeObject, object: KubeObject) => handle('update', object, old);
    const remove = (object: KubeObject) => handle('delete', object);
    informer.on('add', add).on('update', update).on('delete', remove);
    this.detach.push(() => informer.off('add', add).off('update', update).off('delete', remove));
  }

  /** Starts the workers; `signal` aborts reconciles when the manager stops or loses leadership. */
  start(signal: AbortSignal): void {
    const context = this.host.context(this.controller.name, signal);
    const workers = this.controller.maxConcurrentReconciles ?? 1;
    context.logger.info({ workers }, 'starting workers');
    for (let i = 0; i < (this.controller.maxConcurrentReconciles ?? 1); i++) this.workers.push(this.work(context));
  }

  private async work(context: ReconcileContext): Promise<void> {
    const { queue, controller, stats } = this;
    for (;;) {
      const next = await queue.get();
      if (next.shutdown) return;
      const key = next.item;
      if (context.signal.aborted) {
        // This worker's term ended (leadership lost): hand the key back for the next term's workers and quit.
        queue.add(key);
        queue.done(key);
        return;
      }
      const started = this.metrics?.start() ?? 0;
      let outcome: ReconcileOutcome = 'error';
      const request = requestOf(key);
      const logger = context.logger.child({ ...request });
      try {
        stats.reconciles++;
        const result = await controller.reconcile(request, { ...context, logger });
        if (result && typeof result.requeueAfter === 'number' && result.requeueAfter > 0) {
          queue.forget(key);
          queue.addAfter(key, result.requeueAfter);
          outcome = 'requeue_after';
          logger.debug({ requeueAfter: result.requeueAfter }, 'reconcile requeued after a delay');
        } else if (result?.requeue) {
          queue.addRateLimited(key);
          outcome = 'requeue';
          logger.debug({ requeues: queue.numRequeues(key) }, 'reconcile requeued');
        } else {
          queue.forget(key);
          outcome = 'success';
        }
      } catch (error) {
        // A throw never kills the manager: a terminal error stops retrying the key, any other retries it.
        if (isKeelsonError(error, 'Terminal')) {
          stats.terminal++;
          queue.forget(key);
          logger.error({ terminal: true, ...errorFields(error) }, `reconciler error: giving up on ${key}`);
        } else {
          stats.errors++;
          queue.addRateLimited(key);
          // A throw that is not a KeelsonError is unexpected (a bug, what Go would call a panic): keep its stack.
          const stack = isKeelsonError(error) ? {} : { stack: (error as Error | undefined)?.stack };
          logger.error(
            { requeues: queue.numRequeues(key), ...errorFields(error), ...stack },
            `reconciler error: ${key} will be retried`,
          );
        }
      } finally {
        this.metrics?.record(started, outcome);
        queue.done(key);
      }
    }
  }

  /** Stops taking work, lets running reconciles finish, and detaches from the informers. */
  async stop(): Promise<void> {
    for (const detach of this.detach.splice(0)) detach();
    await this.queue.shutDownWithDrain();
    await Promise.all(this.workers.splice(0));
  }
}
