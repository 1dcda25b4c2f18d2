import type { AdmissionPlugin } from '@keelson/core';
import { defaultTolerationSeconds } from './defaultTolerationSeconds';
import { namespaceLifecycle } from './namespaceLifecycle';
import { serviceClusterIPs } from './serviceClusterIPs';
import { defaultStorageClass, persistentVolumeClaimResize } from './storageAdmission';

export {
  DEFAULT_TOLERATION_SECONDS,
  defaultTolerationSeconds,
  NOT_READY_TAINT,
  UNREACHABLE_TAINT,
} from './defaultTolerationSeconds';
export { ensureSystemNamespaces, namespaceLifecycle, SYSTEM_NAMESPACES } from './namespaceLifecycle';
export { DEFAULT_SERVICE_CIDR, serviceClusterIPs } from './serviceClusterIPs';
export { defaultStorageClass, persistentVolumeClaimResize } from './storageAdmission';

/** The admission plugins Kubernetes runs by default that Keelson reproduces. */
export function builtinAdmission(): AdmissionPlugin[] {
  return [
    namespaceLifecycle(),
    defaultTolerationSeconds(),
    serviceClusterIPs(),
    defaultStorageClass(),
    persistentVolumeClaimResize(),
  ];
}
