/**
 * `kubectl rollout restart`: a new pod template annotation
 * (`kubectl.kubernetes.io/restartedAt`, the time in RFC 3339) makes a new
 * template, so the Deployment replaces every pod by its strategy.
 */
import { Deployment } from '@keelson/api';
import { InvalidError } from '@keelson/core';
import { RESTARTED_AT_ANNOTATION } from '../deployment/constants';
import { formatTime } from '../shared/time';
import { type RolloutRef, type RolloutStore, resolveRef } from './target';

/**
 * Restarts the Deployment's pods by stamping the template with the store
 * clock's time.
 *
 * @throws {InvalidError} for a paused Deployment (`can't restart paused deployment (run rollout
 *   resume first)`) or a second restart within the same second; nothing is written.
 * @example
 * ```ts
 * const d = await restartRollout(store, { name: 'web' });
 * d.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']; // '2026-01-01T00:00:00Z'
 * ```
 */
export async function restartRollout(store: RolloutStore, ref: RolloutRef): Promise<Deployment> {
  const target = resolveRef('restartRollout', ref);
  const restartedAt = formatTime(store.clock.now());
  return store.patch(
    Deployment,
    target.name,
    (draft) => {
      if (draft.spec.paused === true) {
        throw new InvalidError("can't restart paused deployment (run rollout resume first)");
      }
      const annotations = draft.spec.template.metadata.annotations;
      if (annotations?.[RESTARTED_AT_ANNOTATION] === restartedAt) {
        // The same stamp would be no change at all, hence no restart.
        throw new InvalidError(
          `failed to create patch for ${target.name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`,
        );
      }
      draft.spec.template.metadata.annotations = { ...annotations, [RESTARTED_AT_ANNOTATION]: restartedAt };
      return undefined;
    },
    { namespace: target.namespace, reason: 'rollout restart' },
  );
}
