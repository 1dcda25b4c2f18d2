/**
 * The PV controller's writes (pv_controller.go's bind, unbind and status
 * updates): each writes only when something changes and returns the stored
 * object, so the next step works on the newest version.
 */
import type { PersistentVolume, PersistentVolumeClaim } from '@keelson/api';
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER } from '../constants';
import type { BinderContext } from './context';
import { isVolumeBoundToClaim } from './volumes';

type VolumePhase = NonNullable<PersistentVolume['status']>['phase'];
type ClaimPhase = NonNullable<PersistentVolumeClaim['status']>['phase'];

/** The `ObjectReference` a volume's `claimRef` holds, as client-go's `GetReference` makes it. */
export function claimRefFor(claim: PersistentVolumeClaim): NonNullable<PersistentVolume['spec']['claimRef']> {
  return {
    kind: 'PersistentVolumeClaim',
    namespace: claim.metadata.namespace ?? 'default',
    name: claim.metadata.name,
    uid: claim.metadata.uid,
    apiVersion: 'v1',
    resourceVersion: claim.metadata.resourceVersion,
  };
}

/** Sets a volume's phase (and message), stamping `lastPhaseTransitionTime` when the phase changes. */
export async function updateVolumePhase(
  context: BinderContext,
  volume: PersistentVolume,
  phase: VolumePhase,
  message = '',
): Promise<PersistentVolume> {
  const status = volume.status ?? { phase: 'Pending' as const };
  if (status.phase === phase && (status.message ?? '') === message) return volume;
  const { message: _old, ...rest } = status;
  const next = {
    ...rest,
    phase,
    ...(message === '' ? {} : { message }),
    ...(status.phase === phase ? {} : { lastPhaseTransitionTime: context.now() }),
  };
  return context.client.updateStatus({ ...volume, status: next });
}

/** Points the volume at the claim; `bound-by-controller` unless it was pre-bound to it. */
async function bindVolumeToClaim(
  context: BinderContext,
  volume: PersistentVolume,
  claim: PersistentVolumeClaim,
): Promise<PersistentVolume> {
  const ref = volume.spec.claimRef;
  const pointsAtClaim =
    ref !== undefined &&
    ref.name === claim.metadata.name &&
    ref.namespace === claim.metadata.namespace &&
    ref.uid === claim.metadata.uid;
  const annotate =
    !isVolumeBoundToClaim(volume, claim) && volume.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined;
  if (pointsAtClaim && !annotate) return volume;
  return context.client.update({
    ...volume,
    metadata: {
      ...volume.metadata,
      ...(annotate ? { annotations: { ...volume.metadata.annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes' } } : {}),
    },
    spec: { ...volume.spec, claimRef: pointsAtClaim ? ref : claimRefFor(claim) },
  });
}

/** Sets the claim's `spec.volumeName` and the `bind-completed` (and, when it binds, `bound-by-controller`) annotations. */
async function bindClaimToVolume(
  context: BinderContext,
  claim: PersistentVolumeClaim,
  volume: PersistentVolume,
): Promise<PersistentVolumeClaim> {
  const annotations = { ...claim.metadata.annotations };
  const shouldBind = claim.spec.volumeName !== volume.metadata.name;
  let dirty = shouldBind;
  if (shouldBind && annotations[ANN_BOUND_BY_CONTROLLER] === undefined) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
  if (annotations[ANN_BIND_COMPLETED] === undefined) {
    annotations[ANN_BIND_COMPLETED] = 'yes';
    dirty = true;
  }
  if (!dirty) return claim;
  return context.client.update({
    ...claim,
    metadata: { ...claim.metadata, annotations },
    spec: { ...claim.spec, volumeName: volume.metadata.name },
  });
}

/** Sets a claim's phase; with a volume, its access modes and capacity too, without one it clears them. */
export async function updateClaimStatus(
  context: BinderContext,
  claim: PersistentVolumeClaim,
  phase: ClaimPhase,
  volume?: PersistentVolume,
): Promise<PersistentVolumeClaim> {
  const { accessModes: _modes, capacity: _capacity, ...rest } = claim.status ?? { phase: 'Pending' as const };
  const status: NonNullable<PersistentVolumeClaim['status']> =
    volume === undefined
      ? { ...rest, phase }
      : {
          ...rest,
          phase,
          ...(volume.spec.accessModes === undefined ? {} : { accessModes: volume.spec.accessModes }),
          ...(volume.spec.capacity === undefined ? {} : { capacity: volume.spec.capacity }),
        };
  if (JSON.stringify(status) === JSON.stringify(claim.status ?? {})) return claim;
  return context.client.updateStatus({ ...claim, status });
}

/** Writes a claim phase and records why. */
export async function updateClaimStatusWithEvent(
  context: BinderContext,
  claim: PersistentVolumeClaim,
  phase: ClaimPhase,
  reason: string,
  message: string,
): Promise<void> {
  if (claim.status?.phase === phase) return;
  const updated = await updateClaimStatus(context, claim, phase);
  await context.event(updated, 'Warning', reason, message);
}

/**
 * Binds a volume and a claim both ways and marks both Bound: the volume is
 * saved first, so a failure part-way leaves a state the next sync finishes.
 */
export async function bind(
  context: BinderContext,
  volume: PersistentVolume,
  claim: PersistentVolumeClaim,
): Promise<void> {
  let boundVolume = await bindVolumeToClaim(context, volume, claim);
  boundVolume = await updateVolumePhase(context, boundVolume, 'Bound');
  const boundClaim = await bindClaimToVolume(context, claim, boundVolume);
  await updateClaimStatus(context, boundClaim, 'Bound', boundVolume);
}

/**
 * Undoes a binding the controller made (claimRef and annotation removed),
 * or for a volume a user pre-bound, forgets only the claim's uid; the
 * volume is Available again.
 */
export async function unbindVolume(context: BinderContext, volume: PersistentVolume): Promise<void> {
  const byController = volume.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined;
  const { [ANN_BOUND_BY_CONTROLLER]: _ann, ...annotations } = volume.metadata.annotations ?? {};
  const { claimRef, ...spec } = volume.spec;
  const { uid: _uid, ...prebound } = claimRef ?? {};
  const updated = await context.client.update(
    byController
      ? { ...volume, metadata: { ...volume.metadata, annotations }, spec }
      : { ...volume, spec: { ...spec, claimRef: prebound } },
  );
  await updateVolumePhase(context, updated, 'Available');
}
