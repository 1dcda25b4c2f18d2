/**
 * The TTL-after-finished controller (ttlafterfinished_controller.go): a job
 * with `ttlSecondsAfterFinished` is deleted — with its pods, in the
 * foreground — that many seconds after it completed or failed.
 */
import { Job } from '@keelson/api';
import { type Controller, defineController, type Result } from '@keelson/controller';
import { isKeelsonError } from '@keelson/core';
import { jobFinishedCondition } from './jobSync';

/** The controller's name in a manager. */
export const TTL_AFTER_FINISHED_CONTROLLER_NAME = 'ttl-after-finished-controller';

/** When a finished job with a TTL expires (ms), or undefined when it has no TTL or has not finished. */
export function jobExpiresAt(job: Job): number | undefined {
  const ttl = job.spec.ttlSecondsAfterFinished;
  const finished = jobFinishedCondition(job);
  if (ttl === undefined || finished === undefined) return undefined;
  const at = finished.lastTransitionTime ?? job.status?.completionTime;
  return at === undefined ? undefined : Date.parse(at) + ttl * 1000;
}

/**
 * The TTL-after-finished controller, for a manager.
 *
 * @example
 * ```ts
 * manager.add(ttlAfterFinishedController());
 * ```
 */
export function ttlAfterFinishedController(): Controller<Job> {
  return defineController({
    name: TTL_AFTER_FINISHED_CONTROLLER_NAME,
    for: Job,
    async reconcile(request, context): Promise<Result | undefined> {
      const job = context.cache.get(Job, request.name, request.namespace);
      if (job === undefined || job.metadata.deletionTimestamp !== undefined) return undefined;
      const expiresAt = jobExpiresAt(job);
      if (expiresAt === undefined) return undefined;
      const now = context.clock.now();
      if (now < expiresAt) return { requeueAfter: expiresAt - now };
      // Re-read: the TTL may have changed since the cache saw the job.
      let fresh: Job;
      try {
        fresh = await context.client.get(Job, job.metadata.name, { namespace: job.metadata.namespace });
      } catch (error) {
        if (isKeelsonError(error, 'NotFound')) return undefined;
        throw error;
      }
      const freshExpiry = jobExpiresAt(fresh);
      if (freshExpiry === undefined || fresh.metadata.uid !== job.metadata.uid) return undefined;
      if (now < freshExpiry) return { requeueAfter: freshExpiry - now };
      try {
        await context.client.delete(Job, fresh.metadata.name, {
          namespace: fresh.metadata.namespace,
          propagationPolicy: 'Foreground',
          preconditions: { uid: fresh.metadata.uid, resourceVersion: fresh.metadata.resourceVersion },
        });
      } catch (error) {
        if (!isKeelsonError(error, 'NotFound')) throw error;
      }
      return undefined;
    },
  });
}
