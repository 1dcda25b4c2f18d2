/**
 * Pure rules on claims and volumes (component-helpers' pv_helpers): which
 * class a claim asks for, whether a volume is bound to it, and which
 * volume best fits it.
 */
import { type PersistentVolume, type PersistentVolumeClaim, parseQuantity } from '@keelson/api';
import { labelSelectorFromStructured } from '@keelson/core';
import { ANN_BETA_STORAGE_CLASS } from '../constants';

/** A claim's class: the beta annotation when set, else `spec.storageClassName`, else `""`. */
export function claimClass(claim: PersistentVolumeClaim): string {
  return claim.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] ?? claim.spec.storageClassName ?? '';
}

/** A volume's class, read the same way as {@link claimClass}. */
export function volumeClass(volume: PersistentVolume): string {
  return volume.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] ?? volume.spec.storageClassName ?? '';
}

/** `namespace/name` of a claim. */
export function claimKey(claim: { metadata: { name: string; namespace?: string | undefined } }): string {
  return `${claim.metadata.namespace ?? ''}/${claim.metadata.name}`;
}

/** The volume is pre-bound or bound to this claim: same name and namespace, and the same uid when it has one. */
export function isVolumeBoundToClaim(volume: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = volume.spec.claimRef;
  if (ref === undefined) return false;
  if (ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace) return false;
  return ref.uid === undefined || ref.uid === '' || ref.uid === claim.metadata.uid;
}

/** Every access mode the claim asks for is one the volume has. */
export function accessModesSatisfied(claim: PersistentVolumeClaim, volume: PersistentVolume): boolean {
  const offered = new Set(volume.spec.accessModes ?? []);
  return (claim.spec.accessModes ?? []).every((mode) => offered.has(mode));
}

function storageOf(list: Record<string, string> | undefined): string {
  return list?.storage ?? '0';
}

/** Why a volume cannot serve a claim that names it in `spec.volumeName`, or undefined when it can (checkVolumeSatisfyClaim). */
export function volumeMismatch(volume: PersistentVolume, claim: PersistentVolumeClaim): string | undefined {
  if (volume.metadata.deletionTimestamp !== undefined)
    return `the volume is marked for deletion "${volume.metadata.name}"`;
  if (parseQuantity(storageOf(volume.spec.capacity)).cmp(parseQuantity(storageOf(claim.spec.resources.requests))) < 0) {
    return 'requested PV is too small';
  }
  if (volumeClass(volume) !== claimClass(claim)) return 'storageClassName does not match';
  if (volume.spec.volumeMode !== claim.spec.volumeMode) return 'incompatible volumeMode';
  if (!accessModesSatisfied(claim, volume)) return 'incompatible accessMode';
  return undefined;
}

/**
 * The volume a claim should bind to (the PV controller's
 * `findBestMatchForClaim`): a volume pre-bound to the claim wins outright;
 * otherwise the smallest `Available` volume with enough capacity, every
 * access mode the claim asks for, the same class (`""` only matches
 * volumes without one), the same volume mode and labels the claim's
 * selector matches. With `delayBinding` (WaitForFirstConsumer) only a
 * pre-bound volume is returned: the scheduler picks the others.
 */
export function findBestMatchForClaim(
  claim: PersistentVolumeClaim,
  volumes: readonly PersistentVolume[],
  delayBinding = false,
): PersistentVolume | undefined {
  const requested = parseQuantity(storageOf(claim.spec.resources.requests));
  const wantedClass = claimClass(claim);
  const selector = claim.spec.selector === undefined ? undefined : labelSelectorFromStructured(claim.spec.selector);
  let best: PersistentVolume | undefined;
  for (const volume of volumes) {
    if (volume.spec.claimRef !== undefined && !isVolumeBoundToClaim(volume, claim)) continue;
    const size = parseQuantity(storageOf(volume.spec.capacity));
    if (size.cmp(requested) < 0) continue;
    if (volume.spec.volumeMode !== claim.spec.volumeMode) continue;
    if (volume.metadata.deletionTimestamp !== undefined) continue;
    if (!accessModesSatisfied(claim, volume)) continue;
    if (isVolumeBoundToClaim(volume, claim)) return volume;
    if (delayBinding) continue;
    if (volume.status?.phase !== 'Available') continue;
    if (selector !== undefined && !selector.matches(volume.metadata.labels ?? {})) continue;
    if (volumeClass(volume) !== wantedClass) continue;
    if (best === undefined || parseQuantity(storageOf(best.spec.capacity)).cmp(size) > 0) best = volume;
  }
  return best;
}
