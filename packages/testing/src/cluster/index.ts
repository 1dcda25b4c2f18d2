export { createTestCluster, TEST_CLUSTER_START } from './createTestCluster';
export type { Duration } from './duration';
export { toMs } from './duration';
export type { PodFilesRequest } from './podFiles';
export type { PodLogRequest, PodLogSource } from './podLogs';
export type {
  ActiveFault,
  BuiltinComponent,
  ClusterFaults,
  ContainerTarget,
  NodeSpec,
  SettleOptions,
  TestCluster,
  TestClusterOptions,
  WaitForOptions,
} from './types';
