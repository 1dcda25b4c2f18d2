/**
 * More profiles beside the GPU one: pods choose a profile by
 * `spec.schedulerName`, and a profile configures the default plugins
 * through `pluginConfig` — here NodeResourcesFit's scoring strategy.
 */
import type { SchedulerProfile } from '@keelson/scheduler';
import { gpuProfile } from './policy';

// #region most-allocated
/**
 * For batch pods (`spec.schedulerName: bin-packing`): fill the busiest node
 * first, so that idle nodes can be drained and scaled away. GPU nodes stay
 * reserved, as in the default profile.
 */
export const binPackingProfile: SchedulerProfile = {
  ...gpuProfile,
  schedulerName: 'bin-packing',
  pluginConfig: [
    ...(gpuProfile.pluginConfig ?? []),
    {
      name: 'NodeResourcesFit',
      args: { scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu', weight: 1 }] } },
    },
  ],
};
// #endregion

// #region ratio
/**
 * RequestedToCapacityRatio: a score per utilization, as a broken line
 * through the shape's points (utilization 0–100 → score 0–10). This one
 * aims nodes at about 70 % cpu: fuller is better up to there, then worse.
 */
export const sweetSpotProfile: SchedulerProfile = {
  ...gpuProfile,
  schedulerName: 'sweet-spot',
  pluginConfig: [
    ...(gpuProfile.pluginConfig ?? []),
    {
      name: 'NodeResourcesFit',
      args: {
        scoringStrategy: {
          type: 'RequestedToCapacityRatio',
          resources: [{ name: 'cpu', weight: 1 }],
          requestedToCapacityRatio: {
            shape: [
              { utilization: 0, score: 0 },
              { utilization: 70, score: 10 },
              { utilization: 100, score: 2 },
            ],
          },
        },
      },
    },
  ],
};
// #endregion

// #region profiles
/** What `createScheduler` runs: a pod naming none of these schedulers is left to another scheduler. */
export const profiles: SchedulerProfile[] = [gpuProfile, binPackingProfile, sweetSpotProfile];
// #endregion
