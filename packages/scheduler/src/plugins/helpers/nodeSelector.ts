/**
 * Node selectors with Kubernetes' semantics, compiled once per pod (via
 * `PodInfo.memo`) or per profile (plugin args) so that matching a node
 * allocates nothing. The compiled form lives in `@keelson/api` (the DaemonSet
 * controller matches with the same rules); this module keeps the scheduler's names.
 */
export type {
  CompiledNodeSelector,
  CompiledPreferredTerms,
  CompiledTerm,
  NodeAffinity,
  NodeSelector,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PreferredSchedulingTerm,
} from '@keelson/api';
export {
  compileNodeSelector,
  compilePreferredTerms,
  compileTerm,
  isEmptyTerm,
  labelsMatchSelectorMap,
  nodeSelectorMatches,
  preferredScore,
  termMatches,
} from '@keelson/api';
