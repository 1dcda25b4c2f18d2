export type { PersistentVolumeControllerOptions } from './binder/persistentVolumeController';
export { persistentVolumeController } from './binder/persistentVolumeController';
export { provisionedVolumeName } from './binder/provision';
export {
  accessModesSatisfied,
  claimClass,
  findBestMatchForClaim,
  isVolumeBoundToClaim,
  volumeClass,
  volumeMismatch,
} from './binder/volumes';
export {
  ANN_BETA_DEFAULT_STORAGE_CLASS,
  ANN_BETA_STORAGE_CLASS,
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_DEFAULT_STORAGE_CLASS,
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  ClaimResize,
  HOSTNAME_LABEL,
  OPERATION_BACKOFF_INITIAL_MS,
  OPERATION_BACKOFF_MAX_MS,
  PERSISTENT_VOLUME_BINDER_CONTROLLER_NAME,
  PERSISTENT_VOLUME_CONTROLLER_COMPONENT,
  PV_DELETION_PROTECTION_FINALIZER,
  PV_PROTECTION_CONTROLLER_NAME,
  PV_PROTECTION_FINALIZER,
  PVC_PROTECTION_CONTROLLER_NAME,
  PVC_PROTECTION_FINALIZER,
  StorageEventReason,
  VOLUME_EXPANDER_CONTROLLER_NAME,
  ZONE_LABEL,
} from './constants';
export type { VolumeExpandControllerOptions } from './expand/volumeExpandController';
export { volumeExpandController } from './expand/volumeExpandController';
export { claimsOfPod, podUsesClaim, pvcProtectionController } from './protection/pvcProtectionController';
export { pvProtectionController } from './protection/pvProtectionController';
export type { MockDisk, MockOperation, MockProvisioner, MockProvisionerOptions } from './provisioner/mockProvisioner';
export { createMockProvisioner, MOCK_CSI_DRIVER } from './provisioner/mockProvisioner';
export type { ExpansionResult, ProvisionedVolume, Provisioner, ProvisionRequest } from './provisioner/types';
export type { StorageControllersOptions } from './storageControllers';
export { storageControllers } from './storageControllers';
