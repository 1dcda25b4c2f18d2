/**
 * GpuBinPacking: a scheduling plugin for clusters with a few expensive GPU
 * nodes. The default profile spreads pods (LeastAllocated), which is the
 * worst thing to do with GPUs: four 1-GPU pods on four 4-GPU nodes leave no
 * node free for a 4-GPU training job. And since GPU nodes are the biggest
 * nodes, LeastAllocated also sends plain CPU pods there first.
 *
 * - Filter: pods that request no GPU stay off nodes that have GPUs (except
 *   in exempt namespaces, where the node's own agents run).
 * - Score: a GPU pod prefers the node it leaves with the fewest free GPUs
 *   (best fit), so whole GPU nodes stay free for big jobs.
 */
import { InvalidError } from '@keelson/core';
import {
  MAX_NODE_SCORE,
  type NodeInfo,
  type PluginFactory,
  type PodInfo,
  SKIP,
  unresolvable,
} from '@keelson/scheduler';
import { z } from 'zod';

// #region args
/** The plugin's name in registries, profiles and score tables. */
export const GPU_BIN_PACKING = 'GpuBinPacking';

const ArgsSchema = z.strictObject({
  /** The extended resource that counts as a GPU. */
  resourceName: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, {
      error: 'must be an extended resource name such as nvidia.com/gpu',
    })
    .default('nvidia.com/gpu'),
  /** Keep pods that request no GPU off GPU nodes. */
  reserveNodes: z.boolean({ error: 'must be true or false' }).default(true),
  /** Namespaces whose pods may run on GPU nodes anyway (node agents, exporters). */
  exemptNamespaces: z.array(z.string().min(1), { error: 'must be a list of namespace names' }).default(['kube-system']),
});

/** What a profile's `pluginConfig` may say (every field optional). */
export type GpuBinPackingArgs = z.input<typeof ArgsSchema>;
/** The args after defaulting. */
export type GpuBinPackingConfig = z.output<typeof ArgsSchema>;

/** Validates and defaults the args; throws `InvalidError` naming each bad field. */
export function parseGpuBinPackingArgs(args: unknown): GpuBinPackingConfig {
  const parsed = ArgsSchema.safeParse(args ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return `unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (known: resourceName, reserveNodes, exemptNamespaces)`;
    }
    const field = issue.path.map(String).join('.');
    return field === '' ? issue.message : `${field} ${issue.message}`;
  });
  throw new InvalidError(`${GPU_BIN_PACKING} args: ${problems.join('; ')}`);
}
// #endregion

// #region policy
/** The reason a GPU node gives a pod that requests no GPU, in Kubernetes' `node(s) …` style. */
export function reservedReason(resourceName: string): string {
  return `node(s) were reserved for pods requesting ${resourceName}`;
}

/** How many GPUs `node` has, in total. */
export function gpuCapacity(node: NodeInfo, resourceName: string): number {
  return node.allocatable.scalar.get(resourceName) ?? 0;
}

/** How many GPUs `pod` requests (requests default to limits for extended resources). */
export function gpuRequest(pod: PodInfo, resourceName: string): number {
  return pod.requests.scalar.get(resourceName) ?? 0;
}

/** Free GPUs left on `node` once `pod` is placed there: the raw score, lower is better. */
export function gpusLeftAfter(node: NodeInfo, pod: PodInfo, resourceName: string): number {
  const used = node.requested.scalar.get(resourceName) ?? 0;
  return Math.max(0, gpuCapacity(node, resourceName) - used - gpuRequest(pod, resourceName));
}

/**
 * Best fit, on Kubernetes' 0–100 scale: a node left with no free GPU scores
 * 100; each GPU left free costs `100 / largest` points, where `largest` is
 * the most GPUs any scored node has — so scores compare across node sizes.
 */
export function bestFitScores(leftover: number[], capacities: readonly number[]): void {
  const largest = Math.max(0, ...capacities);
  for (let i = 0; i < leftover.length; i++) {
    const left = leftover[i] ?? 0;
    leftover[i] = largest === 0 ? 0 : Math.trunc(((largest - left) * MAX_NODE_SCORE) / largest);
  }
}
// #endregion

// #region plugin
/**
 * The plugin factory: one object, one method per extension point.
 * Register it by name and enable it in a profile (see `policy.ts`).
 */
export const gpuBinPacking: PluginFactory = (args) => {
  const config = parseGpuBinPackingArgs(args);
  const gpu = config.resourceName;
  const exempt = new Set(config.exemptNamespaces);
  // Evicting pods never takes GPUs out of a node: preemption cannot help, so Unresolvable.
  const reserved = unresolvable(reservedReason(gpu));
  const mayUseGpuNodes = (pod: PodInfo) =>
    !config.reserveNodes || gpuRequest(pod, gpu) > 0 || exempt.has(pod.pod.metadata.namespace ?? '');

  return {
    name: GPU_BIN_PACKING,
    // A rejected pod may fit once a node appears or changes (loses its GPUs, gets more CPU).
    events: ['NodeAdd', 'NodeUpdate'],
    preFilter(_state, pod) {
      // Skip: this cycle's Filter calls are not made at all.
      return mayUseGpuNodes(pod) ? SKIP : undefined;
    },
    filter(_state, pod, node) {
      // Called for many nodes per pod: allocate nothing on success.
      if (gpuCapacity(node, gpu) === 0 || mayUseGpuNodes(pod)) return undefined;
      return reserved;
    },
    preScore(_state, pod) {
      return gpuRequest(pod, gpu) > 0 ? undefined : SKIP;
    },
    score(_state, pod, node) {
      return gpusLeftAfter(node, pod, gpu);
    },
    normalizeScore(_state, _pod, scores, nodes) {
      bestFitScores(
        scores,
        nodes.map((node) => gpuCapacity(node, gpu)),
      );
    },
  };
};
// #endregion
