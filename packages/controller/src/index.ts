export type {
  Cache,
  Client,
  Controller,
  ControllerDefinition,
  Logger,
  ReconcileContext,
  Recorder,
  Request,
  Result,
  WatchSource,
} from './controller/defineController';
export { defineController, TerminalError, watchSource } from './controller/defineController';
export type { Predicate } from './controller/predicates';
export {
  and,
  annotationChanged,
  generationChanged,
  labelChanged,
  not,
  or,
  resourceVersionChanged,
} from './controller/predicates';
export type { ControllerStats } from './controller/runner';
export * from './events/index';
export type { IndexFunction, InformerEvent, InformerHandlers, InformerOptions } from './informer/informer';
export { cacheKey, createInformer, Informer } from './informer/informer';
export type { LeaderCallbacks, LeaderElectionOptions } from './leader/leaderElection';
export { LeaderElector } from './leader/leaderElection';
export {
  CACHE_INDEXERS,
  CONTROLLER_UID_INDEX,
  cacheOver,
  NAMESPACE_INDEX,
  NODE_NAME_INDEX,
} from './manager/cacheIndexes';
export type { ManagerEvents, ManagerOptions } from './manager/createManager';
export { createManager, Manager } from './manager/createManager';
export * from './queue/index';
