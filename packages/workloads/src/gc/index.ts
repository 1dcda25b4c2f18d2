export { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from './dependencyGraph';
export type { GarbageCollectorOptions } from './garbageCollectorController';
export {
  DEFAULT_CONCURRENT_GC_SYNCS,
  GARBAGE_COLLECTOR_NAME,
  garbageCollectorController,
} from './garbageCollectorController';
