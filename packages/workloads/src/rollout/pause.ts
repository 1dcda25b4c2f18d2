/**
 * `kubectl rollout pause` and `resume`: a paused Deployment still scales,
 * but a changed template is not rolled out (and the progress deadline does
 * not run) until it is resumed.
 */
import { Deployment } from '@keelson/api';
import { InvalidError } from '@keelson/core';
import { qualifiedName, type RolloutRef, type RolloutStore, resolveRef } from './target';

async function setPaused(store: RolloutStore, ref: RolloutRef, paused: boolean): Promise<Deployment> {
  const target = resolveRef(paused ? 'pauseRollout' : 'resumeRollout', ref);
  return store.patch(
    Deployment,
    target.name,
    (draft) => {
      // Checked on the version being written, so a concurrent pause cannot slip in between.
      if ((draft.spec.paused === true) === paused) {
        // kubectl reports these as errors: `error: deployments.apps "web" is already paused`.
        throw new InvalidError(`${qualifiedName(target)} ${paused ? 'is already paused' : 'is not paused'}`);
      }
      draft.spec.paused = paused;
      return undefined;
    },
    { namespace: target.namespace, reason: paused ? 'rollout paused' : 'rollout resumed' },
  );
}

/**
 * Pauses the Deployment's rollouts (`spec.paused = true`).
 *
 * @throws {InvalidError} `deployments.apps "web" is already paused`, writing nothing.
 * @example
 * ```ts
 * await pauseRollout(store, { name: 'web' });
 * await setImage(...); await setResources(...);   // batch changes, one rollout
 * await resumeRollout(store, { name: 'web' });
 * ```
 */
export function pauseRollout(store: RolloutStore, ref: RolloutRef): Promise<Deployment> {
  return setPaused(store, ref, true);
}

/**
 * Resumes a paused Deployment (`spec.paused = false`): its current template rolls out.
 *
 * @throws {InvalidError} `deployments.apps "web" is not paused`, writing nothing.
 */
export function resumeRollout(store: RolloutStore, ref: RolloutRef): Promise<Deployment> {
  return setPaused(store, ref, false);
}
