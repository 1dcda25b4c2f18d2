/**
 * Deleting everything in a terminating namespace, after Kubernetes'
 * namespaced resources deleter: every namespaced kind, each object deleted
 * with the store's default propagation, then what remains is counted.
 */
import { Pod } from '@keelson/api';
import type { Cache, Client } from '@keelson/controller';
import { isKeelsonError, type KubeObject, type ResourceType } from '@keelson/core';

/** Kubernetes' wait before looking again at content held only by finalizers. */
export const FINALIZER_ESTIMATE_SECONDS = 15;

/** What one pass over a namespace's content found. */
export interface ContentSweep {
  /** Objects still present, by `<plural>.<group>` (core kinds: `<plural>.`), as Kubernetes reports them. */
  remaining: Record<string, number>;
  /** Objects still present by each finalizer they carry. */
  finalizers: Record<string, number>;
  /** Delete failures, as `<plural>: <message>`. */
  failures: string[];
  /** The first delete failure, rethrown so the namespace is retried with backoff. */
  firstError?: unknown;
  /** Seconds until the remaining content is expected to be gone (0 when nothing remains). */
  estimateSeconds: number;
}

function resourceName(type: ResourceType): string {
  return `${type.plural}.${type.group}`;
}

function isTerminalPod(object: KubeObject): boolean {
  const phase = (object as Pod).status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** The longest grace period of the live pods, while it has not yet run out since the namespace's deletion. */
function podEstimateSeconds(pods: readonly KubeObject[], deletedAtMs: number, nowMs: number): number {
  let estimate = 0;
  for (const pod of pods) {
    if (isTerminalPod(pod)) continue;
    estimate = Math.max(estimate, (pod as Pod).spec.terminationGracePeriodSeconds ?? 0);
  }
  return nowMs - deletedAtMs >= estimate * 1000 ? 0 : estimate;
}

/**
 * Deletes every object of every namespaced kind in `namespace` that is not
 * already being deleted, and reports what is left.
 */
export async function sweepNamespace(
  client: Client,
  cache: Cache,
  types: readonly ResourceType[],
  namespace: string,
  deletedAtMs: number,
  nowMs: number,
): Promise<ContentSweep> {
  const sweep: ContentSweep = { remaining: {}, finalizers: {}, failures: [], estimateSeconds: 0 };
  for (const type of types) {
    if (!type.namespaced) continue;
    const objects = cache.list(type, { namespace });
    if (objects.length === 0) continue;
    if (type === Pod)
      sweep.estimateSeconds = Math.max(sweep.estimateSeconds, podEstimateSeconds(objects, deletedAtMs, nowMs));
    let withFinalizers = 0;
    for (const object of objects) {
      const finalizers = object.metadata.finalizers ?? [];
      for (const f of finalizers) sweep.finalizers[f] = (sweep.finalizers[f] ?? 0) + 1;
      if (finalizers.length > 0) withFinalizers++;
      if (object.metadata.deletionTimestamp !== undefined) continue;
      try {
        await client.delete(type, object.metadata.name, { namespace, preconditions: { uid: object.metadata.uid } });
      } catch (error) {
        if (isKeelsonError(error, 'NotFound') || isKeelsonError(error, 'Conflict')) continue;
        sweep.failures.push(`${type.plural}: ${(error as Error).message}`);
        sweep.firstError ??= error;
      }
    }
    // The cache shows what was there before these deletes; what is still there is read back from the store.
    const left = (await client.list(type, { namespace })).items.length;
    if (left > 0) {
      sweep.remaining[resourceName(type)] = left;
      if (withFinalizers > 0 && sweep.estimateSeconds === 0) sweep.estimateSeconds = FINALIZER_ESTIMATE_SECONDS;
    }
  }
  return sweep;
}
