/**
 * `kubectl rollout status`: whether the Deployment's latest rollout is
 * done, with kubectl's exact words for each stage of waiting, and its
 * errors for a rollout that exceeded its progress deadline or is not at
 * the expected revision.
 */
import type { Deployment } from '@keelson/api';
import { InvalidError, type KeelsonError, TimeoutError } from '@keelson/core';
import { getDeploymentCondition } from '../deployment/conditions';
import { DeploymentReason } from '../deployment/constants';
import { revisionOf } from '../deployment/replicaSets';
import { getDeployment, type RolloutRef, type RolloutStore, resolveRef } from './target';

/** Options for {@link rolloutStatus}. */
export interface RolloutStatusOptions {
  /** Expect this revision (`--revision`); 0 or left out: any. */
  revision?: number;
}

/** Where a rollout stands. */
export interface RolloutStatus {
  /** The rollout finished: every replica updated and available, no old one left. */
  done: boolean;
  /** kubectl's line, e.g. `Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...`. */
  message: string;
  /**
   * Set when waiting is pointless: a `TimeoutError` when the rollout
   * exceeded its progress deadline, an `InvalidError` when the Deployment
   * is at another revision than asked. `message` is then the error's.
   */
  error?: KeelsonError;
}

function failed(error: KeelsonError): RolloutStatus {
  return { done: false, message: error.message, error };
}

/** kubectl's `DeploymentStatusViewer.Status` over a Deployment already read. */
export function deploymentRolloutStatus(deployment: Deployment, revision = 0): RolloutStatus {
  const name = deployment.metadata.name;
  if (revision > 0) {
    const current = revisionOf(deployment);
    if (current === undefined) {
      return failed(
        new InvalidError(`cannot get the revision of deployment "${name}": the revision annotation is not a number`),
      );
    }
    if (current !== revision) {
      return failed(
        new InvalidError(`desired revision (${revision}) is different from the running revision (${current})`),
      );
    }
  }
  const status = deployment.status;
  if ((deployment.metadata.generation ?? 0) > (status?.observedGeneration ?? 0)) {
    return { done: false, message: 'Waiting for deployment spec update to be observed...' };
  }
  if (getDeploymentCondition(status?.conditions, 'Progressing')?.reason === DeploymentReason.ProgressDeadlineExceeded) {
    return failed(new TimeoutError(`deployment "${name}" exceeded its progress deadline`));
  }
  const updated = status?.updatedReplicas ?? 0;
  const replicas = status?.replicas ?? 0;
  const available = status?.availableReplicas ?? 0;
  const waiting = `Waiting for deployment "${name}" rollout to finish:`;
  if (updated < deployment.spec.replicas) {
    return {
      done: false,
      message: `${waiting} ${updated} out of ${deployment.spec.replicas} new replicas have been updated...`,
    };
  }
  if (replicas > updated) {
    return { done: false, message: `${waiting} ${replicas - updated} old replicas are pending termination...` };
  }
  if (available < updated) {
    return { done: false, message: `${waiting} ${available} of ${updated} updated replicas are available...` };
  }
  return { done: true, message: `deployment "${name}" successfully rolled out` };
}

/**
 * Reads where the Deployment's rollout stands, as `kubectl rollout status
 * deployment/web` prints it (without the trailing newline). Poll it, or
 * watch the Deployment and call it on each change.
 *
 * @throws {InvalidError} for a bad reference or revision; `NotFoundError` when there is no such Deployment.
 * @example
 * ```ts
 * await rolloutStatus(store, { name: 'web' });
 * // { done: false, message: 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...' }
 * ```
 */
export async function rolloutStatus(
  store: RolloutStore,
  ref: RolloutRef,
  options: RolloutStatusOptions = {},
): Promise<RolloutStatus> {
  const target = resolveRef('rolloutStatus', ref);
  const revision = options.revision ?? 0;
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) {
    throw new InvalidError(
      `rolloutStatus: revision must be a revision number >= 0 (0: any), got ${String(options.revision)}`,
    );
  }
  return deploymentRolloutStatus(await getDeployment(store, target), revision);
}
