export { NodeInfoList } from './clusterView';
export type { Cloneable } from './cycleState';
export { CycleState } from './cycleState';
export type { Allocatable } from './nodeInfo';
export { DEFAULT_MAX_PODS, NodeInfo, normalizedImageName } from './nodeInfo';
export type { HostPort, PodInfo, ResourceAmounts } from './podInfo';
export { DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST, parseResourceList, podInfoOf } from './podInfo';
export type { PluginResult, Status, StatusCode } from './status';
export {
  errorStatus,
  isRejection,
  isSuccess,
  SKIP,
  SUCCESS,
  unresolvable,
  unschedulable,
  WAIT,
  withPlugin,
} from './status';
export * from './types';
