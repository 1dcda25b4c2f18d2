import { isKeelsonError } from '@keelson/core';
import { createClusterSnapshot, type SchedulerProfile, schedulePod } from '@keelson/scheduler';
import { describe, expect, it } from 'vitest';
import { inference, nodes, pod, training, web } from './cluster';
import { GPU_BIN_PACKING, parseGpuBinPackingArgs, reservedReason } from './gpuBinPacking';
import { gpuProfile, registry } from './policy';

const RESERVED = reservedReason('nvidia.com/gpu');
/** gpu-1 already runs a 2-GPU pod. */
const running = [pod('llm', { cpu: '4', memory: '16Gi', gpus: 2, nodeName: 'gpu-1' })];

/** The GPU profile with other args for the plugin. */
function withArgsOf(args: unknown): SchedulerProfile {
  return { ...gpuProfile, pluginConfig: [{ name: GPU_BIN_PACKING, args }] };
}

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('GpuBinPacking, without a store', () => {
  // #region unit
  it('packs a GPU pod onto the node it leaves with the fewest free GPUs', () => {
    const result = schedulePod(inference('infer'), nodes, { pods: running, profile: gpuProfile, registry });
    expect(result.nodeName).toBe('gpu-1');
    // NodeResourcesFit rejects the CPU nodes: they have no GPU at all.
    expect(result.rejected).toEqual({
      'cpu-1': ['Insufficient nvidia.com/gpu'],
      'cpu-2': ['Insufficient nvidia.com/gpu'],
    });
    // gpu-1 keeps 1 of 4 GPUs free: (4 − 1) × 100 / 4 = 75, × weight 5. gpu-2 keeps 3: 25 × 5.
    expect(result.scores['gpu-1']?.plugins[GPU_BIN_PACKING]).toBe(375);
    expect(result.scores['gpu-2']?.plugins[GPU_BIN_PACKING]).toBe(125);
  });
  // #endregion

  it('where the default profile spreads', () => {
    const result = schedulePod(inference('infer'), nodes, { pods: running });
    expect(result.nodeName).toBe('gpu-2');
    expect(result.scores['gpu-2']?.plugins).not.toHaveProperty(GPU_BIN_PACKING);
  });

  it('keeps pods without GPUs off GPU nodes, with a reason per node', () => {
    const result = schedulePod(web('web'), nodes, { profile: gpuProfile, registry });
    expect(result.nodeName).toMatch(/^cpu-/);
    expect(result.rejected).toEqual({ 'gpu-1': [RESERVED], 'gpu-2': [RESERVED] });
    // A pod that requests no GPU is not scored by the plugin (PreScore skips it).
    expect(result.scores['cpu-1']?.plugins).not.toHaveProperty(GPU_BIN_PACKING);
    // The default profile sends it to the biggest, emptiest node: a GPU node.
    expect(schedulePod(web('web'), nodes).nodeName).toMatch(/^gpu-/);
  });

  it("explains an unschedulable pod in Kubernetes' summary", () => {
    const batch = pod('batch', { cpu: '20', memory: '8Gi' });
    const result = schedulePod(batch, nodes, { profile: gpuProfile, registry });
    expect(result.nodeName).toBeUndefined();
    expect(result.message).toBe(
      `0/4 nodes are available: 2 Insufficient cpu, 2 ${RESERVED}. ` +
        'preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling..',
    );
  });

  it('lets exempt namespaces (node agents, exporters) onto GPU nodes', () => {
    const exporter = pod('exporter', {
      cpu: '100m',
      memory: '64Mi',
      namespace: 'monitoring',
      nodeSelector: { 'kubernetes.io/hostname': 'gpu-1' },
    });
    expect(schedulePod(exporter, nodes, { profile: gpuProfile, registry }).nodeName).toBe('gpu-1');
    const elsewhere = { ...exporter, metadata: { name: 'exporter', namespace: 'default' } };
    expect(schedulePod(elsewhere, nodes, { profile: gpuProfile, registry }).message).toBe(
      `0/4 nodes are available: 1 ${RESERVED}, 3 node(s) didn't match Pod's node affinity/selector. ` +
        'preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling..',
    );
  });

  // #region assume
  it('leaves a whole node free for the training job, where the default profile strands it', () => {
    const run = (profile: SchedulerProfile) => {
      const snapshot = createClusterSnapshot(nodes, [], { registry, seed: 1 });
      const placed = [0, 1, 2, 3].map(
        (i) => snapshot.schedule(inference(`infer-${i}`), { profile, assume: true }).nodeName,
      );
      return { placed, job: snapshot.schedule(training('train'), { profile }) };
    };
    const packed = run(gpuProfile);
    expect(new Set(packed.placed).size).toBe(1);
    expect(packed.job.nodeName).toBeDefined();
    expect(packed.job.nodeName).not.toBe(packed.placed[0]);

    const spread = run({});
    expect(new Set(spread.placed)).toEqual(new Set(['gpu-1', 'gpu-2']));
    expect(spread.job.nodeName).toBeUndefined();
    expect(spread.job.message).toMatch(/^0\/4 nodes are available: 4 Insufficient nvidia\.com\/gpu\./);
  });
  // #endregion
});

describe('GpuBinPacking args', () => {
  it('default to nvidia.com/gpu, reserved nodes and kube-system exempt', () => {
    expect(parseGpuBinPackingArgs(undefined)).toEqual({
      resourceName: 'nvidia.com/gpu',
      reserveNodes: true,
      exemptNamespaces: ['kube-system'],
    });
  });

  it('are checked when the profile is compiled: InvalidError naming the field', () => {
    const profile = withArgsOf({ resourceName: 'gpu' });
    const error = thrown(() => schedulePod(web('web'), nodes, { profile, registry }));
    expect(isKeelsonError(error, 'Invalid')).toBe(true);
    expect(error.message).toBe(
      'GpuBinPacking args: resourceName must be an extended resource name such as nvidia.com/gpu',
    );
    expect(thrown(() => parseGpuBinPackingArgs({ reserveNodes: 'yes' })).message).toBe(
      'GpuBinPacking args: reserveNodes must be true or false',
    );
    expect(thrown(() => parseGpuBinPackingArgs({ reserve: false })).message).toBe(
      'GpuBinPacking args: unknown field "reserve" (known: resourceName, reserveNodes, exemptNamespaces)',
    );
    expect(thrown(() => parseGpuBinPackingArgs({ exemptNamespaces: [''] })).message).toMatch(
      /^GpuBinPacking args: exemptNamespaces\.0 /,
    );
  });

  it('can turn the reservation off, keeping the packing', () => {
    const profile = withArgsOf({ reserveNodes: false });
    expect(schedulePod(web('web'), nodes, { profile, registry }).rejected).toEqual({});
    expect(schedulePod(inference('infer'), nodes, { pods: running, profile, registry }).nodeName).toBe('gpu-1');
  });

  it('count another extended resource as the GPU', () => {
    const profile = withArgsOf({ resourceName: 'amd.com/gpu' });
    // nvidia.com/gpu nodes are ordinary nodes now: the web pod may use them.
    expect(schedulePod(web('web'), nodes, { profile, registry }).rejected).toEqual({});
  });
});
