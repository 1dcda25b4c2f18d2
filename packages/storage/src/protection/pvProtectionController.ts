/**
 * The volume protection controller (pv_protection_controller.go): every
 * volume carries `kubernetes.io/pv-protection`; a deleted volume keeps it
 * while it is Bound to a claim.
 */
import { PersistentVolume } from '@keelson/api';
import { type Controller, defineController } from '@keelson/controller';
import { PV_PROTECTION_CONTROLLER_NAME, PV_PROTECTION_FINALIZER } from '../constants';
import { addFinalizer, removeFinalizer } from './finalizers';

/**
 * The volume protection controller, for a manager.
 *
 * @example
 * ```ts
 * manager.add(pvProtectionController());
 * ```
 */
export function pvProtectionController(): Controller<PersistentVolume> {
  return defineController({
    name: PV_PROTECTION_CONTROLLER_NAME,
    for: PersistentVolume,
    async reconcile(request, { cache, client }) {
      const volume = cache.get(PersistentVolume, request.name);
      if (volume === undefined) return;
      if (volume.metadata.deletionTimestamp === undefined) {
        await addFinalizer(client, volume, PV_PROTECTION_FINALIZER);
        return;
      }
      if (volume.status?.phase === 'Bound') return;
      await removeFinalizer(client, volume, PV_PROTECTION_FINALIZER);
    },
  });
}
