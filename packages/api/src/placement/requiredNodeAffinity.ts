/**
 * A pod's node-side hard constraints in one call, as component-helpers'
 * `GetRequiredNodeAffinity(pod).Match(node)` answers it: the node carries
 * every `spec.nodeSelector` label and matches one term of the required node
 * affinity. It compiles the selector on every call; code that matches one
 * pod against many nodes (the scheduler) compiles once with
 * {@link compileNodeSelector} instead.
 */
import type { Node } from '../kinds/node';
import type { Affinity } from '../kinds/scheduling';
import { compileNodeSelector, labelsMatchSelectorMap, nodeSelectorMatches } from './nodeSelector';

/** What {@link matchesRequiredNodeAffinity} reads of a pod spec (a stored pod's or a template's spec fits). */
export interface NodePlacementSpec {
  readonly nodeSelector?: Readonly<Record<string, string>> | undefined;
  readonly affinity?: Affinity | undefined;
}

/**
 * Whether `node` satisfies the pod's `nodeSelector` (all pairs) and its
 * `requiredDuringSchedulingIgnoredDuringExecution` node affinity (any
 * non-empty term; no term, or a term that does not parse, matches nothing).
 *
 * @example
 * ```ts
 * matchesRequiredNodeAffinity({ nodeSelector: { disk: 'ssd' } }, node); // node has label disk=ssd
 * ```
 */
export function matchesRequiredNodeAffinity(spec: NodePlacementSpec, node: Node): boolean {
  const selector = spec.nodeSelector;
  if (selector !== undefined && !labelsMatchSelectorMap(Object.entries(selector), node.metadata.labels)) return false;
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return required === undefined || nodeSelectorMatches(compileNodeSelector(required), node);
}
