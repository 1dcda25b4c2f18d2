/**
 * Volume expansion (the expand controller and the CSI external-resizer
 * together): when a bound claim asks for more storage than it has, the
 * provisioner that made its volume grows it, the volume's capacity follows,
 * then the claim's `status.capacity`.
 */
import { PersistentVolume, PersistentVolumeClaim, parseQuantity } from '@keelson/api';
import {
  type Controller,
  defineController,
  type ReconcileContext,
  type Recorder,
  type Result,
  watchSource,
} from '@keelson/controller';
import { formatTime, InvalidError } from '@keelson/core';
import { errorMessage } from '../binder/context';
import { ANN_DYNAMICALLY_PROVISIONED, StorageEventReason, VOLUME_EXPANDER_CONTROLLER_NAME } from '../constants';
import { OperationBackoff } from '../operationBackoff';
import { provisionerRegistry } from '../provisioner/registry';
import type { Provisioner } from '../provisioner/types';
import { markResizeFailed, markResizeFinished, markResizeInProgress } from './resizeStatus';

/** Options for {@link volumeExpandController}. */
export interface VolumeExpandControllerOptions {
  /** The provisioners whose `expand` grows their volumes, by driver name. */
  provisioners?: readonly Provisioner[];
  /** Where its events go (default: the manager's recorder). */
  recorder?: Recorder;
}

const bigger = (a: string, b: string) => parseQuantity(a).cmp(parseQuantity(b)) > 0;

type Expand = NonNullable<Provisioner['expand']>;

interface ResizeJob {
  claim: PersistentVolumeClaim;
  volume: PersistentVolume;
  requested: string;
  provisioner: Provisioner;
  expand: Expand;
  context: ReconcileContext;
  recorder: Recorder | undefined;
}

/** One controller expansion: mark it, expand, then record the new size on the volume and the claim. */
async function resize({ claim, volume, requested, provisioner, expand, context, recorder }: ResizeJob): Promise<void> {
  const { client } = context;
  const now = formatTime(context.clock.now());
  let resizing = claim;
  const inProgress = markResizeInProgress(claim.status ?? { phase: 'Bound' }, requested, now);
  if (JSON.stringify(inProgress) !== JSON.stringify(claim.status)) {
    resizing = await client.updateStatus({ ...claim, status: inProgress });
  }
  const volumeName = volume.metadata.name;
  await recorder?.event(
    resizing,
    'Normal',
    StorageEventReason.Resizing,
    `External resizer is resizing volume ${volumeName}`,
  );
  let capacity: string;
  try {
    capacity = (await expand.call(provisioner, volume, requested, { signal: context.signal })).capacity;
  } catch (error) {
    if (context.signal.aborted) throw error;
    const message = `resize volume "${volumeName}" by resizer "${provisioner.name}" failed: ${errorMessage(error)}`;
    await recorder?.event(resizing, 'Warning', StorageEventReason.VolumeResizeFailed, message);
    const failed = markResizeFailed(resizing.status ?? inProgress, message, formatTime(context.clock.now()));
    await client.updateStatus({ ...resizing, status: failed });
    throw error;
  }
  const fresh = await client.get(PersistentVolume, volumeName);
  if (fresh.spec.capacity?.storage === undefined || bigger(capacity, fresh.spec.capacity.storage)) {
    await client.update({
      ...fresh,
      spec: { ...fresh.spec, capacity: { ...fresh.spec.capacity, storage: capacity } },
    });
  }
  const latest = await client.get(PersistentVolumeClaim, claim.metadata.name, { namespace: claim.metadata.namespace });
  await client.updateStatus({ ...latest, status: markResizeFinished(latest.status ?? inProgress, capacity) });
  await recorder?.event(latest, 'Normal', StorageEventReason.VolumeResizeSuccessful, 'Resize volume succeeded');
}

/**
 * The expansion controller, for a manager. A bound claim whose
 * `spec.resources.requests.storage` exceeds `status.capacity.storage` is
 * marked `Resizing` with `allocatedResources` and
 * `allocatedResourceStatuses.storage: ControllerResizeInProgress`; the
 * volume's provisioner `expand`s it (on the provisioner's clock); the
 * volume's capacity, then the claim's, take the new size and the resize
 * marks are cleared (`VolumeResizeSuccessful`). A failure sets
 * `ControllerResizeError` and is retried with backoff. Whether a claim may
 * grow at all (its class's `allowVolumeExpansion`) is admission's call.
 *
 * @throws InvalidError for bad options.
 */
export function volumeExpandController(options: VolumeExpandControllerOptions = {}): Controller<PersistentVolumeClaim> {
  if (options === null || typeof options !== 'object') {
    throw new InvalidError('volumeExpandController: options must be an object');
  }
  const provisioners = provisionerRegistry(options.provisioners, 'volumeExpandController');
  let backoff: OperationBackoff | undefined;
  return defineController({
    name: VOLUME_EXPANDER_CONTROLLER_NAME,
    for: PersistentVolumeClaim,
    watches: [
      watchSource(PersistentVolume, (volume) => {
        const ref = volume.spec.claimRef;
        return ref?.name && ref.namespace ? [{ name: ref.name, namespace: ref.namespace }] : [];
      }),
    ],
    async reconcile(request, context): Promise<Result | undefined> {
      const { cache } = context;
      const recorder = options.recorder ?? context.recorder;
      const claim = cache.get(PersistentVolumeClaim, request.name, request.namespace);
      if (claim?.status?.phase !== 'Bound' || !claim.spec.volumeName) return undefined;
      const requested = claim.spec.resources.requests?.storage;
      const current = claim.status.capacity?.storage;
      if (requested === undefined || current === undefined || !bigger(requested, current)) return undefined;
      const volume = cache.get(PersistentVolume, claim.spec.volumeName);
      if (volume?.spec.claimRef?.uid !== claim.metadata.uid) return undefined;
      const driver = volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] ?? volume.spec.csi?.driver;
      const provisioner = driver === undefined ? undefined : provisioners.get(driver);
      if (provisioner?.expand === undefined) {
        await recorder?.event(
          claim,
          'Normal',
          StorageEventReason.ExternalExpanding,
          'waiting for an external controller to expand this PVC',
        );
        return undefined;
      }
      backoff ??= new OperationBackoff(context.clock);
      const key = `expand-${request.namespace}/${request.name}[${claim.metadata.uid}]`;
      const retry = await backoff.run(key, context.signal, () =>
        resize({ claim, volume, requested, provisioner, expand: provisioner.expand as Expand, context, recorder }),
      );
      return retry === undefined ? undefined : { requeueAfter: Math.max(1, retry) };
    },
  });
}
