/** Node placement predicates: taints and tolerations, node selectors and required node affinity. */
export type {
  CompiledNodeSelector,
  CompiledPreferredTerms,
  CompiledTerm,
  NodeAffinity,
  NodeSelector,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PreferredSchedulingTerm,
} from './nodeSelector';
export {
  compileNodeSelector,
  compilePreferredTerms,
  compileTerm,
  isEmptyTerm,
  labelsMatchSelectorMap,
  nodeSelectorMatches,
  preferredScore,
  termMatches,
} from './nodeSelector';
export type { NodePlacementSpec } from './requiredNodeAffinity';
export { matchesRequiredNodeAffinity } from './requiredNodeAffinity';
export type { TaintFields, TolerationFields } from './taints';
export {
  findUntoleratedTaint,
  isDoNotScheduleTaint,
  isNoExecuteTaint,
  tolerates,
  tolerationsTolerateTaint,
  UNSCHEDULABLE_TAINT,
} from './taints';
