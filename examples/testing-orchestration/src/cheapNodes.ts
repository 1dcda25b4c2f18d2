/**
 * PreferCheapNodes: a scheduling policy for a cluster whose nodes cost
 * different amounts. Each node carries its hourly cost in a label; the
 * plugin scores cheaper nodes higher, so pods fill cheap nodes first.
 */
import type { PluginFactory, SchedulerProfile } from '@keelson/scheduler';
import { MAX_NODE_SCORE } from '@keelson/scheduler';

// #region plugin
/** The label with a node's hourly cost, in cents: `example.dev/hourly-cost: "12"`. */
export const COST_LABEL = 'example.dev/hourly-cost';
export const PREFER_CHEAP_NODES = 'PreferCheapNodes';

/** A node's hourly cost; a node without a (valid) cost label counts as the most expensive. */
export function hourlyCost(labels: Record<string, string> | undefined): number {
  const cost = Number(labels?.[COST_LABEL]);
  return Number.isFinite(cost) && cost >= 0 ? cost : Number.POSITIVE_INFINITY;
}

export const preferCheapNodes: PluginFactory = () => ({
  name: PREFER_CHEAP_NODES,
  score(_state, _pod, node) {
    const cost = hourlyCost(node.node.metadata.labels);
    return Number.isFinite(cost) ? cost : -1;
  },
  normalizeScore(_state, _pod, scores) {
    // Cheapest → 100, dearest (or unlabelled) → 0.
    const known = scores.filter((s) => s >= 0);
    const low = Math.min(...known);
    const high = Math.max(...known);
    for (let i = 0; i < scores.length; i++) {
      const cost = scores[i] ?? -1;
      scores[i] =
        cost < 0 ? 0 : high === low ? MAX_NODE_SCORE : Math.round(((high - cost) * MAX_NODE_SCORE) / (high - low));
    }
  },
});

/** Kubernetes' default plugins plus PreferCheapNodes, weighted to outweigh spreading. */
export const cheapProfile: SchedulerProfile = {
  plugins: { score: { enabled: [{ name: PREFER_CHEAP_NODES, weight: 10 }] } },
};
export const registry = { [PREFER_CHEAP_NODES]: preferCheapNodes };
// #endregion
