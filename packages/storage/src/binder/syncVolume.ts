/**
 * The volume half of the PV controller (syncVolume, reclaimVolume,
 * deleteVolumeOperation): keep a volume's phase true to its binding, and
 * when its claim is gone carry out its reclaim policy.
 */
import { PersistentVolume, PersistentVolumeClaim } from '@keelson/api';
import { isKeelsonError } from '@keelson/core';
import { ANN_DYNAMICALLY_PROVISIONED, PV_DELETION_PROTECTION_FINALIZER, StorageEventReason } from '../constants';
import { type BinderContext, errorMessage, runOperation } from './context';
import { unbindVolume, updateVolumePhase } from './writes';

async function liveClaim(
  context: BinderContext,
  name: string,
  namespace: string | undefined,
): Promise<PersistentVolumeClaim | undefined> {
  try {
    return await context.client.get(PersistentVolumeClaim, name, { namespace });
  } catch (error) {
    if (isKeelsonError(error, 'NotFound')) return undefined;
    throw error;
  }
}

/** The claim a volume is bound to, if it still exists with the uid the volume remembers. */
async function boundClaim(
  context: BinderContext,
  volume: PersistentVolume,
): Promise<PersistentVolumeClaim | undefined> {
  const ref = volume.spec.claimRef;
  if (ref?.name === undefined) return undefined;
  let claim = context.cache.get(PersistentVolumeClaim, ref.name, ref.namespace);
  const settled = volume.status?.phase === 'Released' || volume.status?.phase === 'Failed';
  // A claim made by someone else may not have reached the cache yet: never release a volume on the cache's word alone.
  if ((claim === undefined && !settled) || (claim !== undefined && claim.metadata.uid !== ref.uid)) {
    claim = await liveClaim(context, ref.name, ref.namespace);
  }
  return claim?.metadata.uid === ref.uid ? claim : undefined;
}

async function failVolume(context: BinderContext, volume: PersistentVolume, reason: string, message: string) {
  const failed = await updateVolumePhase(context, volume, 'Failed', message);
  await context.event(failed, 'Warning', reason, message);
}

async function deleteVolume(context: BinderContext, volume: PersistentVolume): Promise<void> {
  const pluginName = volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] ?? volume.spec.csi?.driver;
  const provisioner = pluginName === undefined ? undefined : context.provisioners.get(pluginName);
  if (provisioner === undefined) {
    // A CSI volume is deleted by its driver's external provisioner, which may run elsewhere.
    if (volume.spec.csi !== undefined) return;
    await failVolume(
      context,
      volume,
      StorageEventReason.VolumeFailedDelete,
      `error getting deleter volume plugin for volume "${volume.metadata.name}": no deletable volume plugin matched`,
    );
    return;
  }
  try {
    await provisioner.delete(volume, { signal: context.signal });
  } catch (error) {
    if (context.signal.aborted) throw error;
    await failVolume(context, volume, StorageEventReason.VolumeFailedDelete, errorMessage(error));
    throw error;
  }
  let current = volume;
  if (volume.metadata.finalizers?.includes(PV_DELETION_PROTECTION_FINALIZER)) {
    const finalizers = volume.metadata.finalizers.filter((f) => f !== PV_DELETION_PROTECTION_FINALIZER);
    current = await context.client.update({ ...volume, metadata: { ...volume.metadata, finalizers } });
  }
  if (current.metadata.deletionTimestamp !== undefined) return;
  try {
    await context.client.delete(PersistentVolume, current.metadata.name);
  } catch (error) {
    if (!isKeelsonError(error, 'NotFound')) throw error;
  }
}

async function reclaimVolume(context: BinderContext, volume: PersistentVolume): Promise<void> {
  switch (volume.spec.persistentVolumeReclaimPolicy) {
    case 'Retain':
      return;
    case 'Delete':
      await runOperation(context, `delete-${volume.metadata.name}[${volume.metadata.uid}]`, () =>
        deleteVolume(context, volume),
      );
      return;
    case 'Recycle':
      await failVolume(
        context,
        volume,
        StorageEventReason.VolumeFailedRecycle,
        'No recycler plugin found for the volume!',
      );
      return;
    default:
      await failVolume(
        context,
        volume,
        StorageEventReason.VolumeUnknownReclaimPolicy,
        'Volume has unrecognized PersistentVolumeReclaimPolicy',
      );
  }
}

async function release(context: BinderContext, volume: PersistentVolume): Promise<void> {
  const phase = volume.status?.phase;
  const released =
    phase === 'Released' || phase === 'Failed' ? volume : await updateVolumePhase(context, volume, 'Released');
  await reclaimVolume(context, released);
}

/** Syncs one volume: Available when free or pre-bound, Bound when its claim points back, reclaimed when its claim is gone. */
export async function syncVolume(context: BinderContext, volume: PersistentVolume): Promise<void> {
  const ref = volume.spec.claimRef;
  if (ref === undefined || (ref.uid ?? '') === '') {
    await updateVolumePhase(context, volume, 'Available');
    return;
  }
  const claim = await boundClaim(context, volume);
  if (claim === undefined) {
    await release(context, volume);
    return;
  }
  const volumeName = claim.spec.volumeName ?? '';
  // Not bound on the claim's side yet: the claim's sync (woken by this volume's event) finishes it.
  if (volumeName === '') return;
  if (volumeName === volume.metadata.name) {
    await updateVolumePhase(context, volume, 'Bound');
    return;
  }
  // The claim is bound to another volume.
  if (
    volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] !== undefined &&
    volume.spec.persistentVolumeReclaimPolicy === 'Delete'
  ) {
    await release(context, volume);
    return;
  }
  await unbindVolume(context, volume);
}
