export type { LoadProfile } from './loadProfile';
export { constantLoad, dailyLoad, rampLoad, stepLoad } from './loadProfile';
export type { ServiceLoad, ServiceLoadOptions } from './serviceLoad';
