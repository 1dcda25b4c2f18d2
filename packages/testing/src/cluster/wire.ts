/**
 * The wire between the cluster's components and its store. Each component
 * (a node agent, the scheduler, the controller manager) reaches the store
 * through a view that faults can cut, slow down or make conflict, and whose
 * watches can be dropped — the component sees what it would see over a bad
 * network, while `cluster.store` itself stays direct.
 */
import type { Clock, Random } from '@keelson/clock';
import { ConflictError, ExpiredError, type Store, TimeoutError } from '@keelson/core';
import { Observable, type Subscriber } from 'rxjs';

const READS = new Set(['get', 'list']);
const WRITES = new Set(['create', 'update', 'updateStatus', 'patch', 'delete']);

/** One component's link to the store. */
export interface StoreView {
  readonly name: string;
  /** The store as this component sees it. */
  readonly store: Store;
  /** While true, every call fails and watches end, as if the network were cut. */
  partitioned: boolean;
  /** Extra latency of every call, in ms on the cluster's clock. */
  latencyMs: number;
  /** Ends this view's open watches with `error`. */
  dropWatches(error: Error): void;
}

/** Faults that act on every view. */
interface WireState {
  conflictRate: number;
}

/** Makes views of one store. */
export class Wire {
  readonly state: WireState = { conflictRate: 0 };
  private readonly views: StoreView[] = [];

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  /** A new view named after the component using it. */
  view(name: string): StoreView {
    const watches = new Set<Subscriber<unknown>>();
    const view: StoreView = {
      name,
      partitioned: false,
      latencyMs: 0,
      store: undefined as unknown as Store,
      dropWatches(error) {
        for (const subscriber of [...watches]) subscriber.error(error);
      },
    };
    const unreachable = () => new TimeoutError(`${name} cannot reach the API server (partitioned)`);
    const wrap = (target: Store): Store => {
      // One wrapper per method, made on first use (and again only if the method is replaced).
      const made = new Map<string, { value: unknown; fn: unknown }>();
      return new Proxy(target, {
        get(object, property) {
          const value = Reflect.get(object, property, object);
          if (typeof value !== 'function' || typeof property !== 'string') return value;
          const known = made.get(property);
          if (known !== undefined && known.value === value) return known.fn;
          const fn = methodOf(object, property, value as (...a: unknown[]) => unknown);
          made.set(property, { value, fn });
          return fn;
        },
      });
    };
    const methodOf = (object: Store, property: string, value: (...a: unknown[]) => unknown): unknown => {
      if (property === 'as') return (actor: string) => wrap(object.as(actor));
      if (property === 'watch') {
        return (...args: unknown[]) =>
          new Observable<unknown>((subscriber) => {
            if (view.partitioned) {
              subscriber.error(unreachable());
              return;
            }
            watches.add(subscriber);
            const inner = (value as (...a: unknown[]) => Observable<unknown>).apply(object, args).subscribe(subscriber);
            return () => {
              watches.delete(subscriber);
              inner.unsubscribe();
            };
          });
      }
      if (!READS.has(property) && !WRITES.has(property)) return value.bind(object);
      return async (...args: unknown[]) => {
        if (view.latencyMs > 0) await this.sleep(view.latencyMs);
        if (view.partitioned) throw unreachable();
        if (WRITES.has(property) && this.state.conflictRate > 0 && this.random.next() < this.state.conflictRate) {
          throw new ConflictError(`injected conflict on ${property} (cluster.faults.conflicts)`);
        }
        return (value as (...a: unknown[]) => Promise<unknown>).apply(object, args);
      };
    };
    (view as { store: Store }).store = wrap(this.store);
    this.views.push(view);
    return view;
  }

  /** Ends every open watch of every view with an `ExpiredError`, so each component relists. */
  dropWatches(): void {
    for (const view of this.views) view.dropWatches(new ExpiredError('watch dropped (cluster.faults.dropWatches)'));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimeout(resolve, ms));
  }
}
