/**
 * `kubectl rollout undo`: puts an earlier template back into the
 * Deployment — the template of the ReplicaSet at the asked revision, or of
 * the one before the current revision — and lets the controller roll it
 * out (reusing that ReplicaSet, which then gets the next revision number).
 */
import { Deployment, type PodTemplateSpec, type ReplicaSet } from '@keelson/api';
import { InvalidError } from '@keelson/core';
import { ANNOTATIONS_NOT_COPIED } from '../deployment/constants';
import { equalIgnoreHash, templateWithoutHash } from '../deployment/podTemplateHash';
import { revisionOf } from '../deployment/replicaSets';
import { getDeployment, ownedReplicaSets, type RolloutRef, type RolloutStore, resolveRef } from './target';

/** Options for {@link rollback}. */
export interface RollbackOptions {
  /** The revision to go back to; 0 or left out: the one before the current. */
  toRevision?: number;
}

/** What {@link rollback} did. */
export interface RollbackResult {
  /** Whether the template was written; false when it already was that revision's. */
  rolledBack: boolean;
  /** The revision whose template the Deployment now has. */
  revision: number;
  /** kubectl's words: `rolled back`, or `skipped rollback (current template already matches revision 2)`. */
  message: string;
  /** The Deployment after the rollback. */
  deployment: Deployment;
}

function revisionNotFound(revision: number): InvalidError {
  return new InvalidError(`unable to find specified revision ${revision} in history`);
}

/** kubectl's `deploymentRevision`: the ReplicaSet at `toRevision`, or the second newest for 0. */
function replicaSetForRevision(
  deployment: Deployment,
  replicaSets: readonly ReplicaSet[],
  toRevision: number,
): ReplicaSet {
  const readable = replicaSets.flatMap((rs) => {
    const revision = revisionOf(rs);
    return revision === undefined ? [] : [{ rs, revision }];
  });
  if (toRevision > 0) {
    const found = readable.find((r) => r.revision === toRevision);
    if (found === undefined) throw revisionNotFound(toRevision);
    return found.rs;
  }
  const previous = readable.sort((a, b) => b.revision - a.revision)[1];
  if (previous === undefined) {
    throw new InvalidError(`no rollout history found for deployment "${deployment.metadata.name}"`);
  }
  return previous.rs;
}

/**
 * kubectl's annotations after a rollback: the Deployment keeps its own
 * (revision, last-applied, …) and takes every other annotation from the
 * ReplicaSet it goes back to.
 */
function rolledBackAnnotations(
  current: Readonly<Record<string, string>> | undefined,
  target: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(current ?? {}))
    if (ANNOTATIONS_NOT_COPIED.has(key)) annotations[key] = value;
  for (const [key, value] of Object.entries(target ?? {}))
    if (!ANNOTATIONS_NOT_COPIED.has(key)) annotations[key] = value;
  return annotations;
}

/**
 * Rolls the Deployment back to an earlier revision's template, as
 * `kubectl rollout undo [--to-revision=N]` does.
 *
 * @throws {InvalidError} `unable to find specified revision 7 in history` for a revision that is not
 *   there (or a negative one); `no rollout history found for deployment "web"` with nothing to go back
 *   to; and for a paused Deployment, which must be resumed first. Nothing is written then.
 * @example
 * ```ts
 * await rollback(store, { name: 'web' });                   // to the previous revision
 * await rollback(store, { name: 'web' }, { toRevision: 2 }); // { rolledBack: true, revision: 2, message: 'rolled back' }
 * ```
 */
export async function rollback(
  store: RolloutStore,
  ref: RolloutRef,
  options: RollbackOptions = {},
): Promise<RollbackResult> {
  const target = resolveRef('rollback', ref);
  const toRevision = options.toRevision ?? 0;
  if (typeof toRevision !== 'number' || !Number.isSafeInteger(toRevision)) {
    throw new InvalidError(`rollback: toRevision must be a whole revision number, got ${String(options.toRevision)}`);
  }
  if (toRevision < 0) throw revisionNotFound(toRevision);
  const deployment = await getDeployment(store, target);
  const rs = replicaSetForRevision(deployment, await ownedReplicaSets(store, deployment), toRevision);
  const revision = revisionOf(rs) ?? 0;
  if (deployment.spec.paused === true) {
    throw new InvalidError(
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    );
  }
  if (equalIgnoreHash(rs.spec.template, deployment.spec.template)) {
    return {
      rolledBack: false,
      revision,
      message: `skipped rollback (current template already matches revision ${revision})`,
      deployment,
    };
  }
  const template: PodTemplateSpec = templateWithoutHash(rs.spec.template);
  const updated = await store.patch(
    Deployment,
    target.name,
    (draft) => {
      draft.spec.template = template;
      draft.metadata.annotations = rolledBackAnnotations(draft.metadata.annotations, rs.metadata.annotations);
      return undefined;
    },
    { namespace: target.namespace, reason: `rollback to revision ${revision}` },
  );
  return { rolledBack: true, revision, message: 'rolled back', deployment: updated };
}
