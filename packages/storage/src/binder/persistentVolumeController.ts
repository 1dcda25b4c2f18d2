/**
 * The PV controller (pkg/controller/volume/persistentvolume): binds claims
 * to volumes, provisions volumes for claims of a class, keeps phases true
 * and reclaims volumes whose claims are gone. One queue serves both kinds:
 * a request with a namespace is a claim, one without is a volume (claims
 * are always namespaced, volumes never).
 */
import { Node, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '@keelson/api';
import {
  type Controller,
  defineController,
  type Recorder,
  type Request,
  type Result,
  watchSource,
} from '@keelson/controller';
import { formatTime, InvalidError } from '@keelson/core';
import { PERSISTENT_VOLUME_BINDER_CONTROLLER_NAME } from '../constants';
import { OperationBackoff } from '../operationBackoff';
import { provisionerRegistry } from '../provisioner/registry';
import type { Provisioner } from '../provisioner/types';
import { type BinderContext, eventSink } from './context';
import { syncClaim } from './syncClaim';
import { syncVolume } from './syncVolume';
import { claimClass, volumeClass } from './volumes';

/** Options for {@link persistentVolumeController}. */
export interface PersistentVolumeControllerOptions {
  /** Dynamic provisioners, by the driver name StorageClasses give in `provisioner` (e.g. {@link createMockProvisioner}). */
  provisioners?: readonly Provisioner[];
  /**
   * Where its events go (default: the manager's recorder). Kubernetes reports
   * them as `persistentvolume-controller`: pass a recorder with that component.
   */
  recorder?: Recorder;
}

const claimRequest = (claim: PersistentVolumeClaim): Request => ({
  name: claim.metadata.name,
  namespace: claim.metadata.namespace ?? 'default',
});

/**
 * The PersistentVolume controller, for a manager. It binds each claim to
 * the smallest fitting Available volume (or the one it or the volume names),
 * provisions `pvc-<uid>` volumes through the provisioner its class names —
 * at once for `Immediate` classes, once the scheduler has set
 * `volume.kubernetes.io/selected-node` for `WaitForFirstConsumer` ones —
 * and when a claim is deleted releases its volume: `Retain` keeps it
 * Released, `Delete` deletes the storage, then the volume. A failed
 * provision or delete is retried with Kubernetes' operation backoff
 * (500 ms doubling to 2 min 2 s).
 *
 * @example
 * ```ts
 * const mock = createMockProvisioner({ clock });
 * manager.add(persistentVolumeController({ provisioners: [mock] }));
 * ```
 * @throws InvalidError for bad options.
 */
export function persistentVolumeController(
  options: PersistentVolumeControllerOptions = {},
): Controller<PersistentVolume> {
  if (options === null || typeof options !== 'object') {
    throw new InvalidError('persistentVolumeController: options must be an object');
  }
  const provisioners = provisionerRegistry(options.provisioners, 'persistentVolumeController');
  if (options.recorder !== undefined && typeof options.recorder?.event !== 'function') {
    throw new InvalidError(
      'persistentVolumeController: options.recorder must have an event(object, type, reason, message) method',
    );
  }
  let backoff: OperationBackoff | undefined;
  return defineController({
    name: PERSISTENT_VOLUME_BINDER_CONTROLLER_NAME,
    for: PersistentVolume,
    watches: [
      // A claim's events sync it and the volume it names.
      watchSource(PersistentVolumeClaim, (claim) => [
        claimRequest(claim),
        ...(claim.spec.volumeName ? [{ name: claim.spec.volumeName }] : []),
      ]),
      // A volume's events sync the claim it points at; a free Available one, the unbound claims that might take it
      // (where Kubernetes waits for its 15 s resync).
      watchSource(PersistentVolume, (volume, cache) => {
        const ref = volume.spec.claimRef;
        if (ref?.name && ref.namespace) return [{ name: ref.name, namespace: ref.namespace }];
        if (volume.status?.phase !== 'Available') return [];
        return cache
          .list(PersistentVolumeClaim)
          .filter((c) => c.status?.phase === 'Pending' && claimClass(c) === volumeClass(volume))
          .filter((c) => !c.spec.volumeName || c.spec.volumeName === volume.metadata.name)
          .map(claimRequest);
      }),
      // A class created or changed later wakes the pending claims that name it.
      watchSource(StorageClass, (storageClass, cache) =>
        cache
          .list(PersistentVolumeClaim)
          .filter((c) => c.status?.phase !== 'Bound' && claimClass(c) === storageClass.metadata.name)
          .map(claimRequest),
      ),
      watchSource(Pod, () => []),
      watchSource(Node, () => []),
    ],
    async reconcile(request, context): Promise<Result | undefined> {
      backoff ??= new OperationBackoff(context.clock);
      let retry: number | undefined;
      const binder: BinderContext = {
        client: context.client,
        cache: context.cache,
        event: eventSink(options.recorder ?? context.recorder, context.logger),
        now: () => formatTime(context.clock.now()),
        provisioners,
        signal: context.signal,
        backoff,
        retryAfter: (ms) => {
          retry = Math.min(retry ?? ms, ms);
        },
      };
      if (request.namespace === undefined) {
        const volume = context.cache.get(PersistentVolume, request.name);
        if (volume !== undefined) await syncVolume(binder, volume);
      } else {
        const claim = context.cache.get(PersistentVolumeClaim, request.name, request.namespace);
        if (claim !== undefined) await syncClaim(binder, claim);
      }
      return retry === undefined ? undefined : { requeueAfter: Math.max(1, retry) };
    },
  });
}
