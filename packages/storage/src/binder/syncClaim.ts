/**
 * The claim half of the PV controller (syncUnboundClaim, syncBoundClaim):
 * find or provision a volume for a new claim, finish a binding, notice a
 * claim that lost its volume.
 */
import { PersistentVolume, type PersistentVolumeClaim, Pod, StorageClass } from '@keelson/api';
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE, StorageEventReason } from '../constants';
import type { BinderContext } from './context';
import { provisionClaim } from './provision';
import { claimClass, findBestMatchForClaim, isVolumeBoundToClaim, volumeMismatch } from './volumes';
import { bind, updateClaimStatus, updateClaimStatusWithEvent } from './writes';

function isDelayBinding(context: BinderContext, claim: PersistentVolumeClaim): boolean {
  const name = claimClass(claim);
  if (name === '') return false;
  return context.cache.get(StorageClass, name)?.volumeBindingMode === 'WaitForFirstConsumer';
}

/** Pods in the claim's namespace that use it, are not finished and are not scheduled yet. */
function unscheduledConsumers(context: BinderContext, claim: PersistentVolumeClaim): string[] {
  return context.cache
    .list(Pod, { namespace: claim.metadata.namespace })
    .filter(
      (pod) =>
        (pod.spec.nodeName ?? '') === '' &&
        pod.status?.phase !== 'Succeeded' &&
        pod.status?.phase !== 'Failed' &&
        (pod.spec.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claim.metadata.name),
    )
    .map((pod) => pod.metadata.name)
    .sort();
}

async function waitForFirstConsumer(context: BinderContext, claim: PersistentVolumeClaim): Promise<void> {
  const pods = unscheduledConsumers(context, claim);
  if (pods.length === 0) {
    await context.event(
      claim,
      'Normal',
      StorageEventReason.WaitForFirstConsumer,
      'waiting for first consumer to be created before binding',
    );
    return;
  }
  const message =
    pods.length > 1
      ? `waiting for pods ${pods.join(',')} to be scheduled`
      : `waiting for pod ${pods[0]} to be scheduled`;
  await context.event(claim, 'Normal', StorageEventReason.WaitForPodScheduled, message);
}

async function syncUnboundClaimWithoutVolumeName(context: BinderContext, claim: PersistentVolumeClaim): Promise<void> {
  const delayBinding = isDelayBinding(context, claim);
  const volume = findBestMatchForClaim(claim, context.cache.list(PersistentVolume), delayBinding);
  if (volume !== undefined) {
    await bind(context, volume, claim);
    return;
  }
  if (delayBinding && claim.metadata.annotations?.[ANN_SELECTED_NODE] === undefined) {
    await waitForFirstConsumer(context, claim);
  } else if (claimClass(claim) !== '') {
    // Provisioning writes the claim and the new volume; their events bring the claim back to bind.
    await provisionClaim(context, claim);
    return;
  } else {
    await context.event(
      claim,
      'Normal',
      StorageEventReason.FailedBinding,
      'no persistent volumes available for this claim and no storage class is set',
    );
  }
  await updateClaimStatus(context, claim, 'Pending');
}

async function syncUnboundClaimWithVolumeName(
  context: BinderContext,
  claim: PersistentVolumeClaim,
  volumeName: string,
): Promise<void> {
  const volume = context.cache.get(PersistentVolume, volumeName);
  if (volume === undefined) {
    // The volume may come later: its creation wakes this claim.
    await updateClaimStatus(context, claim, 'Pending');
    return;
  }
  if (volume.spec.claimRef === undefined) {
    const mismatch = volumeMismatch(volume, claim);
    if (mismatch === undefined) {
      await bind(context, volume, claim);
      return;
    }
    await context.event(
      claim,
      'Warning',
      StorageEventReason.VolumeMismatch,
      `Cannot bind to requested volume "${volumeName}": ${mismatch}`,
    );
    await updateClaimStatus(context, claim, 'Pending');
    return;
  }
  if (isVolumeBoundToClaim(volume, claim)) {
    await bind(context, volume, claim);
    return;
  }
  await context.event(
    claim,
    'Warning',
    StorageEventReason.FailedBinding,
    `volume "${volumeName}" already bound to a different claim.`,
  );
  if (claim.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined) {
    const ref = volume.spec.claimRef;
    throw new Error(
      `invalid binding of claim "${claim.metadata.namespace}/${claim.metadata.name}" to volume "${volumeName}": volume already claimed by "${ref.namespace}/${ref.name}"`,
    );
  }
  await updateClaimStatus(context, claim, 'Pending');
}

async function syncBoundClaim(context: BinderContext, claim: PersistentVolumeClaim): Promise<void> {
  const volumeName = claim.spec.volumeName ?? '';
  if (volumeName === '') {
    await updateClaimStatusWithEvent(
      context,
      claim,
      'Lost',
      StorageEventReason.ClaimLost,
      'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!',
    );
    return;
  }
  const volume = context.cache.get(PersistentVolume, volumeName);
  if (volume === undefined) {
    await updateClaimStatusWithEvent(
      context,
      claim,
      'Lost',
      StorageEventReason.ClaimLost,
      'Bound claim has lost its PersistentVolume. Data on the volume is lost!',
    );
    return;
  }
  const ref = volume.spec.claimRef;
  if (ref === undefined || ref.uid === claim.metadata.uid) {
    await bind(context, volume, claim);
    return;
  }
  await updateClaimStatusWithEvent(
    context,
    claim,
    'Lost',
    StorageEventReason.ClaimMisbound,
    'Two claims are bound to the same volume, this one is bound incorrectly',
  );
}

/** Syncs one claim: binds, provisions, or reports why it waits. */
export async function syncClaim(context: BinderContext, claim: PersistentVolumeClaim): Promise<void> {
  if (claim.metadata.annotations?.[ANN_BIND_COMPLETED] !== undefined) {
    await syncBoundClaim(context, claim);
    return;
  }
  const volumeName = claim.spec.volumeName ?? '';
  if (volumeName === '') await syncUnboundClaimWithoutVolumeName(context, claim);
  else await syncUnboundClaimWithVolumeName(context, claim, volumeName);
}
