export type { DiffRunsOptions, RunDifference } from './diffRuns';
export { diffRuns } from './diffRuns';
export type { ReplayedStore, ReplayOptions } from './replayLog';
export { replayLog } from './replayLog';
