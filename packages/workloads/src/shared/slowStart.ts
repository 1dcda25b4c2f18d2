/**
 * Kubernetes' slow-start batches: a controller that must create many pods
 * creates 1, then 2, 4, 8 … at a time and stops at the first batch with a
 * failure, so a quota or admission problem costs one failed call, not
 * hundreds.
 */

/** Kubernetes' `BurstReplicas`: the most pods one sync creates or deletes. */
export const BURST_REPLICAS = 500;

/** The first batch's size (`SlowStartInitialBatchSize`). */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

/** The sizes of the batches that create `count` objects: 1, 2, 4, … with the last one cut to fit. */
export function slowStartBatchSizes(count: number, initial = SLOW_START_INITIAL_BATCH_SIZE): number[] {
  const sizes: number[] = [];
  let remaining = count;
  let size = Math.min(remaining, initial);
  while (size > 0) {
    sizes.push(size);
    remaining -= size;
    size = Math.min(2 * size, remaining);
  }
  return sizes;
}

/** What {@link slowStartBatch} did: how many calls succeeded, and the first error if any batch failed. */
export interface SlowStartResult {
  succeeded: number;
  error?: unknown;
}

/**
 * Calls `fn(index)` `count` times in slow-start batches; the calls of one
 * batch run concurrently, and a batch with any failure ends the run.
 */
export async function slowStartBatch(
  count: number,
  fn: (index: number) => Promise<void>,
  initial = SLOW_START_INITIAL_BATCH_SIZE,
): Promise<SlowStartResult> {
  let succeeded = 0;
  let index = 0;
  for (const size of slowStartBatchSizes(count, initial)) {
    const results = await Promise.allSettled(Array.from({ length: size }, () => fn(index++)));
    let error: unknown;
    for (const result of results) {
      if (result.status === 'fulfilled') succeeded++;
      else error ??= result.reason;
    }
    if (error !== undefined) return { succeeded, error };
  }
  return { succeeded };
}
