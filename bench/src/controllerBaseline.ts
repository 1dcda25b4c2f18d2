import { concatMap, filter, Subject, tap } from 'rxjs';
import { until } from './measure';

/** One end-to-end run: objects written and reconciled, wall and CPU time, and each object's write → reconcile latency. */
export interface EndToEnd {
  count: number;
  ms: number;
  cpuMs: number;
  /** Milliseconds from the write to the reconcile reading the object, one per object. */
  latencies: number[];
}

/** The `p`th percentile (nearest rank) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

interface Plain {
  name: string;
  generation: number;
  spec: { size: number };
  status?: { observedSize: number };
}

/**
 * The same hops with nothing but rxjs and Maps: an awaited write into a Map
 * that emits a watch event on a Subject; the event updates a cache Map, a
 * generation filter drops status-only changes, concatMap (one worker) runs
 * the reconcile, which reads the cache and writes the status back the same way.
 */
export async function statusPipeline(count: number, paced: boolean): Promise<EndToEnd> {
  const store = new Map<string, Plain>();
  const cache = new Map<string, Plain>();
  const events = new Subject<{ object: Plain; old: Plain | undefined }>();
  const writtenAt = new Map<string, number>();
  const latencies: number[] = [];
  let statusWrites = 0;
  const write = async (object: Plain) => {
    const old = store.get(object.name);
    store.set(object.name, object);
    events.next({ object, old });
    return object;
  };
  const subscription = events
    .pipe(
      tap(({ object }) => cache.set(object.name, object)),
      filter(({ object, old }) => old === undefined || old.generation !== object.generation),
      concatMap(async ({ object }) => {
        const cached = cache.get(object.name) as Plain;
        if (cached.status?.observedSize === cached.spec.size) return;
        latencies.push(performance.now() - (writtenAt.get(cached.name) as number));
        await write({ ...cached, status: { observedSize: cached.spec.size } });
        statusWrites++;
      }),
    )
    .subscribe();
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const name = `w-${i}`;
    writtenAt.set(name, performance.now());
    await write({ name, generation: 1, spec: { size: 1 } });
    if (paced) await until(() => statusWrites > i);
  }
  await until(() => statusWrites >= count);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  subscription.unsubscribe();
  if (store.get(`w-${count - 1}`)?.status?.observedSize !== 1) {
    throw new Error('benchmark self-check failed: baseline status not written back');
  }
  return { count, ms, cpuMs: (used.user + used.system) / 1000, latencies };
}
