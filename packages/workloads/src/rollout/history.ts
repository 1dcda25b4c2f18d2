/**
 * `kubectl rollout history`: the revisions a Deployment can go back to,
 * one per ReplicaSet it controls, with the change cause each recorded.
 */
import type { PodTemplateSpec } from '@keelson/api';
import { InvalidError } from '@keelson/core';
import { CHANGE_CAUSE_ANNOTATION } from '../deployment/constants';
import { templateWithoutHash } from '../deployment/podTemplateHash';
import { revisionOf } from '../deployment/replicaSets';
import { getDeployment, ownedReplicaSets, type RolloutRef, type RolloutStore, resolveRef } from './target';

/** One revision of a Deployment. */
export interface RolloutRevision {
  revision: number;
  /** The `kubernetes.io/change-cause` annotation of its ReplicaSet (kubectl's CHANGE-CAUSE column). */
  changeCause?: string;
  /** The ReplicaSet that holds it. */
  replicaSet: string;
  /** Its pod template, without the `pod-template-hash` label. */
  template: PodTemplateSpec;
}

/** Options for {@link rolloutHistory}. */
export interface RolloutHistoryOptions {
  /** Only this revision (`--revision`). */
  revision?: number;
}

/**
 * The Deployment's revisions, oldest first (empty: kubectl's "No rollout
 * history found."). ReplicaSets with an unreadable revision are left out.
 *
 * @throws {InvalidError} `unable to find the specified revision` for a `revision` that is not there.
 * @example
 * ```ts
 * (await rolloutHistory(store, { name: 'web' })).map((r) => r.revision); // [1, 2, 3]
 * ```
 */
export async function rolloutHistory(
  store: RolloutStore,
  ref: RolloutRef,
  options: RolloutHistoryOptions = {},
): Promise<RolloutRevision[]> {
  const target = resolveRef('rolloutHistory', ref);
  const wanted = options.revision;
  if (wanted !== undefined && (typeof wanted !== 'number' || !Number.isSafeInteger(wanted) || wanted < 1)) {
    throw new InvalidError(`rolloutHistory: revision must be a revision number >= 1, got ${String(wanted)}`);
  }
  const deployment = await getDeployment(store, target);
  const revisions = (await ownedReplicaSets(store, deployment)).flatMap((rs): RolloutRevision[] => {
    const revision = revisionOf(rs);
    if (revision === undefined) return [];
    const changeCause = rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
    return [
      {
        revision,
        ...(changeCause === undefined ? {} : { changeCause }),
        replicaSet: rs.metadata.name,
        template: templateWithoutHash(rs.spec.template),
      },
    ];
  });
  revisions.sort((a, b) => a.revision - b.revision);
  if (wanted === undefined) return revisions;
  const one = revisions.filter((r) => r.revision === wanted);
  if (one.length === 0) throw new InvalidError('unable to find the specified revision');
  return one;
}
