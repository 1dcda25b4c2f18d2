export { MIN_FEASIBLE_NODES_TO_FIND, numFeasibleNodesToFind } from './algorithm/feasible';
export { fitErrorMessage, NO_NODES_AVAILABLE } from './algorithm/fitError';
export * from './framework/index';
export * from './plugins/index';
export { DEFAULT_PLUGINS, defaultRegistry } from './profile/defaults';
export type { QueueLength } from './queue/schedulingQueue';
export {
  DEFAULT_POD_INITIAL_BACKOFF_MS,
  DEFAULT_POD_MAX_BACKOFF_MS,
  DEFAULT_POD_MAX_IN_UNSCHEDULABLE_MS,
} from './queue/schedulingQueue';
export type { WaitingPod } from './scheduler/permit';
export { MAX_PERMIT_WAIT_MS } from './scheduler/permit';
export type { Scheduler, SchedulerOptions, SchedulerStats } from './scheduler/scheduler';
export { createScheduler } from './scheduler/scheduler';
export type { ClusterSnapshot, ScheduleOptions, ScheduleResult, SnapshotOptions } from './snapshot';
export { createClusterSnapshot, schedulePod } from './snapshot';
