/**
 * PodTopologySpread: spreads pods over topology domains (zones, nodes, …) by
 * their `spec.topologySpreadConstraints` — `DoNotSchedule` constraints filter,
 * `ScheduleAnyway` constraints score (default weight 2). Pods without
 * constraints get the plugin's default constraints.
 */
import type { Pod } from '@keelson/api';
import type { LabelSelector } from '@keelson/core';
import type { CycleState } from '../../framework/cycleState';
import type { PodInfo } from '../../framework/podInfo';
import { errorStatus, SKIP } from '../../framework/status';
import type { Plugin, PluginFactory } from '../../framework/types';
import { type PodTopologySpreadConfig, parsePodTopologySpreadArgs } from './args';
import {
  compileConstraints,
  type InclusionContext,
  ownConstraints,
  type SpreadConstraint,
  spreadSelector,
  type UnsatisfiableAction,
} from './constraints';
import { computeSpreadFilterState, filterSpread, SpreadFilterState } from './filter';
import { requiredNodeAffinityOf } from './nodeInclusion';
import { computeSpreadScoreState, normalizeSpreadScores, type SpreadScoreState, scoreSpread } from './score';

export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread';

const PRE_FILTER_KEY = `PreFilter${POD_TOPOLOGY_SPREAD}`;
const PRE_SCORE_KEY = `PreScore${POD_TOPOLOGY_SPREAD}`;

/** Hooks a host can give PodTopologySpread beyond its args. */
export interface PodTopologySpreadOptions {
  /**
   * The selector for default constraints without a `labelSelector` — in
   * Kubernetes, the selectors of the Services, ReplicaSets, StatefulSets and
   * ReplicationControllers selecting the pod, ANDed. `undefined` or an empty
   * selector: the default constraints do not apply to this pod.
   */
  defaultSelector?: (pod: Pod) => LabelSelector | undefined;
}

function inclusionOf(pod: PodInfo): InclusionContext {
  return pod.memo('PodTopologySpread/inclusion', (p) => ({
    affinity: requiredNodeAffinityOf(p),
    tolerations: p.spec.tolerations ?? [],
  }));
}

/**
 * Builds the PodTopologySpread factory with host hooks.
 *
 * @example
 * ```ts
 * const factory = createPodTopologySpread({
 *   defaultSelector: (pod) => parseLabelSelector({ matchLabels: { app: pod.metadata.labels?.app ?? '' } }),
 * });
 * ```
 */
export function createPodTopologySpread(options: PodTopologySpreadOptions = {}): PluginFactory {
  return (args, handle): Plugin => {
    const config: PodTopologySpreadConfig = parsePodTopologySpreadArgs(args);

    const defaultConstraints = (pod: PodInfo, action: UnsatisfiableAction): SpreadConstraint[] => {
      const specs = config.defaultConstraints;
      if (!specs.some((spec) => spec.whenUnsatisfiable === action)) return [];
      let derived: LabelSelector | undefined | null = null;
      return compileConstraints(specs, action, pod.pod.metadata.labels, (spec) => {
        if (spec.labelSelector !== undefined) {
          return spreadSelector(spec.labelSelector, spec.matchLabelKeys, pod.pod.metadata.labels);
        }
        if (derived === null) derived = options.defaultSelector?.(pod.pod);
        return derived === undefined || derived.empty ? undefined : derived;
      });
    };

    const constraintsOf = (pod: PodInfo, action: UnsatisfiableAction): readonly SpreadConstraint[] =>
      (pod.pod.spec.topologySpreadConstraints?.length ?? 0) > 0
        ? ownConstraints(pod, action)
        : defaultConstraints(pod, action);

    const filterState = (state: CycleState): SpreadFilterState | undefined => {
      const value = state.read<unknown>(PRE_FILTER_KEY);
      return value instanceof SpreadFilterState ? value : undefined;
    };

    return {
      name: POD_TOPOLOGY_SPREAD,
      events: ['AssignedPodAdd', 'AssignedPodUpdate', 'AssignedPodDelete', 'NodeAdd', 'NodeUpdate', 'NodeDelete'],

      preFilter(state, pod, nodes) {
        let constraints: readonly SpreadConstraint[];
        try {
          constraints = constraintsOf(pod, 'DoNotSchedule');
        } catch (error) {
          return errorStatus(error);
        }
        if (constraints.length === 0) return SKIP;
        state.write(PRE_FILTER_KEY, computeSpreadFilterState(pod.pod, constraints, nodes, inclusionOf(pod)));
        return undefined;
      },

      addPod(state, _pod, added, node) {
        filterState(state)?.update(added.pod, node, 1);
        return undefined;
      },

      removePod(state, _pod, removed, node) {
        filterState(state)?.update(removed.pod, node, -1);
        return undefined;
      },

      filter(state, _pod, node) {
        const spread = filterState(state);
        if (spread === undefined) return errorStatus(new Error(`${POD_TOPOLOGY_SPREAD}: PreFilter state missing`));
        return filterSpread(spread, node);
      },

      preScore(state, pod, nodes) {
        const allNodes = handle.cluster.nodes;
        if (allNodes.length === 0) return SKIP;
        let constraints: readonly SpreadConstraint[];
        try {
          constraints = constraintsOf(pod, 'ScheduleAnyway');
        } catch (error) {
          return errorStatus(error);
        }
        if (constraints.length === 0) return SKIP;
        // Only system-defaulted constraints let nodes without every topology key be scored.
        const ownSpecs = (pod.pod.spec.topologySpreadConstraints?.length ?? 0) > 0;
        const requireAll = ownSpecs || !config.systemDefaulted;
        const spread = computeSpreadScoreState(pod.pod, constraints, nodes, allNodes, inclusionOf(pod), requireAll);
        state.write(PRE_SCORE_KEY, spread);
        return undefined;
      },

      score(state, _pod, node) {
        const spread = state.read<SpreadScoreState>(PRE_SCORE_KEY);
        return spread === undefined ? 0 : scoreSpread(spread, node);
      },

      normalizeScore(state, _pod, scores, nodes) {
        const spread = state.read<SpreadScoreState>(PRE_SCORE_KEY);
        if (spread !== undefined) normalizeSpreadScores(spread, scores, nodes);
      },
    };
  };
}

/** The PodTopologySpread plugin factory (no host hooks). */
export const podTopologySpread: PluginFactory = createPodTopologySpread();
