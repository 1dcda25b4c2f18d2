/**
 * Revision history clean-up, as Kubernetes' `cleanupDeployment` does it:
 * a Deployment keeps at most `revisionHistoryLimit` old ReplicaSets (the
 * templates `kubectl rollout undo` can go back to). The oldest revisions go
 * first, and only ReplicaSets that are truly empty — no pods asked for,
 * none left, their controller caught up — are ever deleted.
 */
import { UNLIMITED } from './constants';
import { byRevision, type ReplicaSetLike } from './replicaSets';

/**
 * The old ReplicaSets to delete so that at most `limit` remain: the
 * `count − limit` lowest revisions, less any that still have pods, are
 * asked for pods, have a spec their controller has not observed, or are
 * already being deleted (those stay, so fewer may be deleted).
 *
 * @example
 * ```ts
 * // limit 1, three empty old sets at revisions 1, 2, 3 → delete revisions 1 and 2
 * replicaSetsToCleanUp(oldRSs, 1);
 * ```
 */
export function replicaSetsToCleanUp<T extends ReplicaSetLike>(oldRSs: readonly T[], limit: number): T[] {
  if (limit === UNLIMITED) return [];
  const cleanable = oldRSs.filter((rs) => rs.metadata.deletionTimestamp === undefined).sort(byRevision);
  const excess = cleanable.length - limit;
  if (excess <= 0) return [];
  return cleanable.slice(0, excess).filter((rs) => {
    const status = rs.status ?? {};
    return (
      (status.replicas ?? 0) === 0 &&
      rs.spec.replicas === 0 &&
      (rs.metadata.generation ?? 0) <= (status.observedGeneration ?? 0)
    );
  });
}
