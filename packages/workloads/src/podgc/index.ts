export type { PodGcControllerOptions } from './podGcController';
export {
  DELETION_BY_POD_GC_REASON,
  POD_GC_CONTROLLER_NAME,
  POD_GC_QUARANTINE_MS,
  podGcController,
} from './podGcController';
