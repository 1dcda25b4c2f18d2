import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A full, synchronous garbage collection: `global.gc` under `node --expose-gc`, else enabled at run time. */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const gc = collector();

/** Heap bytes in use after two full collections (the second catches what finalizers of the first freed). */
export function settledHeap(): { heap: number; external: number } {
  gc();
  gc();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, external: usage.arrayBuffers };
}

/** What building something cost: heap and off-heap (Buffer) bytes it retains, wall and CPU time to build it. */
export interface HeapCost<T> {
  /** The built value, returned so it stays reachable while the caller measures or uses it. */
  kept: T;
  heapBytes: number;
  externalBytes: number;
  ms: number;
  cpuMs: number;
}

/**
 * Collects, builds, collects again and reports the retained growth: the
 * difference of `heapUsed` (and of `arrayBuffers`, where Buffers live)
 * across `build`, with the result still referenced.
 */
export async function retained<T>(build: () => Promise<T> | T): Promise<HeapCost<T>> {
  const before = settledHeap();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const kept = await build();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const after = settledHeap();
  return {
    kept,
    heapBytes: after.heap - before.heap,
    externalBytes: after.external - before.external,
    ms,
    cpuMs: (used.user + used.system) / 1000,
  };
}
