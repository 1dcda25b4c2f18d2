/**
 * The InterPodAffinity plugin: its factory, args and the policy functions
 * behind its Filter and Score.
 */
export type { InterPodAffinityArgs, InterPodAffinityConfig } from './args';
export { DEFAULT_HARD_POD_AFFINITY_WEIGHT, parseInterPodAffinityArgs } from './args';
export {
  ERR_REASON_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH,
} from './filter';
export type { InterPodAffinityOptions } from './plugin';
export { createInterPodAffinity, INTER_POD_AFFINITY, interPodAffinity } from './plugin';
export type { AffinityTerm, NamespaceLabels, PodAffinityTerms, WeightedAffinityTerm } from './terms';
