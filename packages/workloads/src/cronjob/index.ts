export {
  CRONJOB_CONTROLLER_NAME,
  CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION,
  cronJobController,
  jobForScheduledTime,
} from './cronJobController';
export type { MostRecent } from './schedule';
export {
  formatInTimeZone,
  jobNameFor,
  MAX_MISSED_START_TIMES,
  mostRecentScheduleTime,
  nextScheduleTime,
  scheduleOf,
} from './schedule';
