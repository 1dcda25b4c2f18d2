/** The volume plugins: VolumeBinding, VolumeRestrictions, VolumeZone, and what they read. */
export { AssumedVolumes } from './assumed';
export type { VolumeLister, VolumeListerInput } from './lister';
export { createVolumeLister, podClaimNames } from './lister';
export { ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE, NO_PROVISIONER } from './matching';
export {
  ERR_REASON_BIND_CONFLICT,
  ERR_REASON_NODE_CONFLICT,
  ERR_REASON_PV_NOT_EXIST,
  ERR_REASON_UNBOUND_IMMEDIATE,
} from './podVolumes';
export type { VolumeBindingArgs, VolumeBindingOptions } from './volumeBinding';
export { createVolumeBinding, DEFAULT_BIND_TIMEOUT_SECONDS, VOLUME_BINDING, volumeBinding } from './volumeBinding';
export type { VolumeRestrictionsOptions } from './volumeRestrictions';
export {
  createVolumeRestrictions,
  ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT,
  VOLUME_RESTRICTIONS,
  volumeRestrictions,
} from './volumeRestrictions';
export type { VolumeZoneOptions } from './volumeZone';
export {
  createVolumeZone,
  ERR_REASON_VOLUME_ZONE_CONFLICT,
  VOLUME_TOPOLOGY_LABELS,
  VOLUME_ZONE,
  volumeZone,
} from './volumeZone';
