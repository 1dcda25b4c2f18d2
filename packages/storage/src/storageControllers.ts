/** Every storage controller, ready for a manager. */
import type { Controller, Recorder } from '@keelson/controller';
import { persistentVolumeController } from './binder/persistentVolumeController';
import { volumeExpandController } from './expand/volumeExpandController';
import { pvcProtectionController } from './protection/pvcProtectionController';
import { pvProtectionController } from './protection/pvProtectionController';
import type { Provisioner } from './provisioner/types';

/** Options for {@link storageControllers}. */
export interface StorageControllersOptions {
  /** Dynamic provisioners by driver name: they provision, delete and (with `expand`) grow volumes. */
  provisioners?: readonly Provisioner[];
  /** Where the PV and expansion controllers' events go (default: the manager's recorder). */
  recorder?: Recorder;
  /** Leave these controllers out, by name. */
  exclude?: readonly string[];
}

/**
 * The storage controllers kube-controller-manager runs — PV binding and
 * provisioning, claim and volume protection, expansion — each a
 * `defineController` controller: `for (const c of storageControllers({ provisioners })) manager.add(c)`.
 *
 * @throws InvalidError for bad options.
 */
export function storageControllers(options: StorageControllersOptions = {}): Controller[] {
  const shared = {
    ...(options.provisioners === undefined ? {} : { provisioners: options.provisioners }),
    ...(options.recorder === undefined ? {} : { recorder: options.recorder }),
  };
  const all: Controller[] = [
    persistentVolumeController(shared) as unknown as Controller,
    pvcProtectionController() as unknown as Controller,
    pvProtectionController() as unknown as Controller,
    volumeExpandController(shared) as unknown as Controller,
  ];
  const exclude = new Set(options.exclude ?? []);
  return all.filter((controller) => !exclude.has(controller.name));
}
