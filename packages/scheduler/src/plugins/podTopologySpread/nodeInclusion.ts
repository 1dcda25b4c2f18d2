/**
 * Which nodes count towards a spread constraint (Kubernetes' node inclusion
 * policies): with `nodeAffinityPolicy: Honor` only nodes matching the pod's
 * `nodeSelector` and required node affinity, with `nodeTaintsPolicy: Honor`
 * only nodes whose NoSchedule / NoExecute taints the pod tolerates. Compiled
 * once per pod so that the per-node checks allocate nothing.
 */
import type { Node, Pod, Toleration } from '@keelson/api';
import {
  type CompiledNodeSelector,
  compileNodeSelector,
  labelsMatchSelectorMap,
  nodeSelectorMatches,
} from '../helpers/nodeSelector';
import { findUntoleratedTaint, isDoNotScheduleTaint } from '../helpers/taints';

/** The node-side half of a pod's scheduling requirements: `nodeSelector` AND (any required affinity term). */
export interface RequiredNodeAffinity {
  matches(node: Node): boolean;
}

class CompiledNodeAffinity implements RequiredNodeAffinity {
  readonly #selector: ReadonlyArray<readonly [string, string]>;
  /** `undefined`: no required node affinity, every node passes that half. */
  readonly #affinity: CompiledNodeSelector | undefined;

  constructor(pod: Pod) {
    this.#selector = Object.entries(pod.spec.nodeSelector ?? {});
    const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    // Parse errors leave the term matching nothing, as upstream's lazy-error selector.
    this.#affinity = required === undefined ? undefined : compileNodeSelector(required);
  }

  matches(node: Node): boolean {
    if (!labelsMatchSelectorMap(this.#selector, node.metadata.labels)) return false;
    return this.#affinity === undefined || nodeSelectorMatches(this.#affinity, node);
  }
}

/** The pod's `nodeSelector` and required node affinity, compiled (Kubernetes' `GetRequiredNodeAffinity`). */
export function requiredNodeAffinityOf(pod: Pod): RequiredNodeAffinity {
  return new CompiledNodeAffinity(pod);
}

/** Whether the node has a NoSchedule or NoExecute taint none of `tolerations` tolerates. */
export function hasUntoleratedScheduleTaint(node: Node, tolerations: readonly Toleration[]): boolean {
  return findUntoleratedTaint(node.spec.taints, tolerations, isDoNotScheduleTaint) !== undefined;
}
