/**
 * The policy as configuration: which plugins run, with which weights and
 * args. The same `registry` and `profile` go to `schedulePod`,
 * `createClusterSnapshot` and `createScheduler`.
 */
import type { PluginFactory, SchedulerProfile } from '@keelson/scheduler';
import { GPU_BIN_PACKING, type GpuBinPackingArgs, gpuBinPacking } from './gpuBinPacking';

// #region profile
/** Out-of-tree plugins by name (a name may not shadow a default plugin). */
export const registry: Record<string, PluginFactory> = { [GPU_BIN_PACKING]: gpuBinPacking };

const gpuArgs: GpuBinPackingArgs = { exemptNamespaces: ['kube-system', 'monitoring'] };

/**
 * Kubernetes' default plugins plus GpuBinPacking at every extension point it
 * implements (PreFilter, Filter, PreScore, Score). Weight 5 on a 0–100
 * score outweighs the default spreading scores (NodeResourcesFit 1,
 * NodeResourcesBalancedAllocation 1) for GPU pods.
 */
export const gpuProfile: SchedulerProfile = {
  plugins: { multiPoint: { enabled: [{ name: GPU_BIN_PACKING, weight: 5 }] } },
  pluginConfig: [{ name: GPU_BIN_PACKING, args: gpuArgs }],
};
// #endregion
