/**
 * InterPodAffinity: required pod affinity and anti-affinity filter nodes (the
 * incoming pod's, and existing pods' anti-affinity against it); preferred
 * terms on both sides, and existing pods' required affinity, score them
 * (default weight 2).
 */
import type { CycleState } from '../../framework/cycleState';
import { errorStatus, SKIP, unresolvable } from '../../framework/status';
import type { Plugin, PluginFactory } from '../../framework/types';
import { parseInterPodAffinityArgs } from './args';
import { AffinityFilterState, computeAffinityFilterState, filterAffinity } from './filter';
import { type AffinityScoreState, computeAffinityScoreState, normalizeAffinityScores, scoreAffinity } from './score';
import { affinityTermsOf, type NamespaceLabels, namespaceResolvers } from './terms';

export const INTER_POD_AFFINITY = 'InterPodAffinity';

const PRE_FILTER_KEY = `PreFilter${INTER_POD_AFFINITY}`;
const PRE_SCORE_KEY = `PreScore${INTER_POD_AFFINITY}`;

/** Hooks a host can give InterPodAffinity beyond its args. */
export interface InterPodAffinityOptions {
  /**
   * A namespace's labels (`undefined` if there is no such namespace), for
   * terms with a `namespaceSelector`. Without it namespace labels are unknown:
   * an empty selector (`{}`) still selects every namespace, any other selects
   * none.
   */
  namespaceLabels?: NamespaceLabels;
}

/**
 * Builds the InterPodAffinity factory with host hooks.
 *
 * @example
 * ```ts
 * const labels = new Map([['team-a', { team: 'a' }]]);
 * const factory = createInterPodAffinity({ namespaceLabels: (ns) => labels.get(ns) });
 * ```
 */
export function createInterPodAffinity(options: InterPodAffinityOptions = {}): PluginFactory {
  return (args, handle): Plugin => {
    const config = parseInterPodAffinityArgs(args);

    const filterState = (state: CycleState): AffinityFilterState | undefined => {
      const value = state.read<unknown>(PRE_FILTER_KEY);
      return value instanceof AffinityFilterState ? value : undefined;
    };

    return {
      name: INTER_POD_AFFINITY,
      events: ['AssignedPodAdd', 'AssignedPodUpdate', 'AssignedPodDelete', 'NodeAdd', 'NodeUpdate'],

      preFilter(state, pod, nodes) {
        const terms = affinityTermsOf(pod);
        if (terms.error !== undefined) return unresolvable(`parsing pod: ${terms.error}`);
        const antiNodes = handle.cluster.nodesWithRequiredAntiAffinityPods();
        if (antiNodes.length === 0 && terms.requiredAffinity.length === 0 && terms.requiredAntiAffinity.length === 0) {
          return SKIP; // nothing to check, and nothing allocated to find that out
        }
        const resolvers = namespaceResolvers(pod.pod, options.namespaceLabels);
        const affinity = computeAffinityFilterState(pod, terms, nodes, antiNodes, resolvers);
        if (
          affinity.existingAntiAffinity.size === 0 &&
          terms.requiredAffinity.length === 0 &&
          terms.requiredAntiAffinity.length === 0
        ) {
          return SKIP;
        }
        state.write(PRE_FILTER_KEY, affinity);
        return undefined;
      },

      addPod(state, _pod, added, node) {
        filterState(state)?.update(added, node, 1);
        return undefined;
      },

      removePod(state, _pod, removed, node) {
        filterState(state)?.update(removed, node, -1);
        return undefined;
      },

      filter(state, _pod, node) {
        const affinity = filterState(state);
        if (affinity === undefined) return errorStatus(new Error(`${INTER_POD_AFFINITY}: PreFilter state missing`));
        return filterAffinity(affinity, node);
      },

      preScore(state, pod) {
        const terms = affinityTermsOf(pod);
        const hasPreferred = terms.preferredAffinity.length > 0 || terms.preferredAntiAffinity.length > 0;
        if (config.ignorePreferredTermsOfExistingPods && !hasPreferred) return SKIP;
        if (terms.error !== undefined) return errorStatus(new Error(`parsing pod: ${terms.error}`));
        // Unless the pod has preferred terms, only pods with affinity can contribute.
        const nodes = hasPreferred ? handle.cluster.nodes : handle.cluster.nodesWithAffinityPods();
        if (nodes.length === 0) return SKIP;
        const resolvers = namespaceResolvers(pod.pod, options.namespaceLabels);
        const scores = computeAffinityScoreState(pod, terms, nodes, hasPreferred, resolvers, config);
        if (scores === undefined) return SKIP;
        state.write(PRE_SCORE_KEY, scores);
        return undefined;
      },

      score(state, _pod, node) {
        const scores = state.read<AffinityScoreState>(PRE_SCORE_KEY);
        return scores === undefined ? 0 : scoreAffinity(scores, node);
      },

      normalizeScore(state, _pod, scores) {
        if (state.read<AffinityScoreState>(PRE_SCORE_KEY) !== undefined) normalizeAffinityScores(scores);
      },
    };
  };
}

/** The InterPodAffinity plugin factory (no host hooks). */
export const interPodAffinity: PluginFactory = createInterPodAffinity();
