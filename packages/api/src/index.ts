export {
  builtinAdmission,
  DEFAULT_SERVICE_CIDR,
  DEFAULT_TOLERATION_SECONDS,
  defaultStorageClass,
  defaultTolerationSeconds,
  ensureSystemNamespaces,
  NOT_READY_TAINT,
  namespaceLifecycle,
  persistentVolumeClaimResize,
  SYSTEM_NAMESPACES,
  serviceClusterIPs,
  UNREACHABLE_TAINT,
} from './admission/index';
export { builtinTypes } from './builtinTypes';
export type { Condition, ConditionStatus } from './conditions/index';
export { getCondition, isFalse, isTrue, removeCondition, setCondition } from './conditions/index';
export type { ClusterStoreOptions } from './createClusterStore';
export { createClusterStore } from './createClusterStore';
export * from './kinds/index';
export type { Manifest, ParseManifestsOptions } from './manifests/parseManifests';
export { parseManifests } from './manifests/parseManifests';
export * from './placement/index';
export * from './pods/index';
export type { Quantity, QuantityFormat } from './quantity/index';
export { compareQuantity, parseQuantity } from './quantity/index';
