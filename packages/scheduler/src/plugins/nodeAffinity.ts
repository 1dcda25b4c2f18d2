/**
 * NodeAffinity: a pod runs only on nodes matching its `spec.nodeSelector`
 * and its required node affinity (and the profile's `addedAffinity`), and
 * prefers nodes matching its weighted preferred terms. Its score weight
 * (2 by default) lives in the profile.
 */
import type { Pod } from '@keelson/api';
import { errorStatus, SKIP, unresolvable } from '../framework/status';
import { MAX_NODE_SCORE, type PluginFactory } from '../framework/types';
import { parseNodeAffinityArgs } from './helpers/nodeAffinityArgs';
import {
  type CompiledNodeSelector,
  type CompiledPreferredTerms,
  compileNodeSelector,
  compilePreferredTerms,
  labelsMatchSelectorMap,
  type NodeSelectorTerm,
  nodeSelectorMatches,
  preferredScore,
} from './helpers/nodeSelector';
import { defaultNormalizeScore } from './helpers/normalize';

export const NODE_AFFINITY = 'NodeAffinity';

/** Kubernetes' reason for a node outside the pod's node selector or required node affinity. */
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
/** Kubernetes' reason for a node outside the profile's `addedAffinity`. */
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
/** Kubernetes' PreFilter reason when the pod's `metadata.name` terms leave no node. */
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

const REJECTED = unresolvable(ERR_REASON_POD);
const REJECTED_ENFORCED = unresolvable(ERR_REASON_ENFORCED);
const REQUIRED_KEY = `${NODE_AFFINITY}/required`;
const PREFERRED_KEY = `${NODE_AFFINITY}/preferred`;

/** A pod's hard constraints, compiled (Kubernetes' `RequiredNodeAffinity`). */
interface RequiredNodeAffinity {
  /** `spec.nodeSelector` as entries, or `undefined` when it selects nothing. */
  readonly selector: ReadonlyArray<readonly [string, string]> | undefined;
  readonly affinity: CompiledNodeSelector | undefined;
}

function requiredOf(pod: Pod): RequiredNodeAffinity {
  const entries = Object.entries(pod.spec.nodeSelector ?? {});
  const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return {
    selector: entries.length > 0 ? entries : undefined,
    affinity: required === undefined ? undefined : compileNodeSelector(required),
  };
}

function preferredOf(pod: Pod): CompiledPreferredTerms | undefined {
  const preferred = pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  return preferred === undefined || preferred.length === 0 ? undefined : compilePreferredTerms(preferred);
}

/**
 * The nodes the required terms can possibly match, when every term names
 * nodes with `matchFields: metadata.name In` (upstream's PreFilterResult):
 * within a term the names are intersected, across terms united. `undefined`
 * when some term leaves every node possible.
 */
export function nodeNamesOfTerms(terms: readonly NodeSelectorTerm[]): Set<string> | undefined {
  let union: Set<string> | undefined;
  for (const term of terms) {
    let names: Set<string> | undefined;
    for (const field of term.matchFields ?? []) {
      if (field.key !== 'metadata.name' || field.operator !== 'In') continue;
      const values = new Set(field.values ?? []);
      names = names === undefined ? values : new Set([...names].filter((n) => values.has(n)));
    }
    if (names === undefined) return undefined;
    union ??= new Set();
    for (const name of names) union.add(name);
  }
  return union;
}

/**
 * The NodeAffinity plugin: PreFilter (Skip when the pod has neither a node
 * selector nor required affinity and the profile adds none; narrows to the
 * nodes named by `metadata.name` terms), Filter (UnschedulableAndUnresolvable),
 * PreScore / Score (the summed weights of the matching preferred terms, the
 * pod's and the added ones) and NormalizeScore (scaled so the best node
 * scores 100).
 *
 * @example
 * // A profile whose pods run only on nodes labelled scheduler-profile=foo:
 * const args = { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
 *   { matchExpressions: [{ key: 'scheduler-profile', operator: 'In', values: ['foo'] }] },
 * ] } } };
 */
export const nodeAffinity: PluginFactory = (args) => {
  const added = parseNodeAffinityArgs(args);
  const addedRequired = added.required;
  const addedPreferred = added.preferred;
  return {
    name: NODE_AFFINITY,
    // A node added, or its labels changed.
    events: ['NodeAdd', 'NodeUpdate'],
    preFilter(_state, pod) {
      const required = pod.memo(REQUIRED_KEY, requiredOf);
      if (required.selector === undefined && required.affinity === undefined && addedRequired === undefined) {
        return SKIP;
      }
      const terms =
        pod.pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
      if (terms === undefined || terms.length === 0) return undefined;
      const nodeNames = nodeNamesOfTerms(terms);
      if (nodeNames === undefined) return undefined;
      return nodeNames.size === 0 ? unresolvable(ERR_REASON_CONFLICT) : { nodeNames };
    },
    filter(_state, pod, node) {
      if (addedRequired !== undefined && !nodeSelectorMatches(addedRequired, node.node)) return REJECTED_ENFORCED;
      const required = pod.memo(REQUIRED_KEY, requiredOf);
      if (required.selector !== undefined && !labelsMatchSelectorMap(required.selector, node.node.metadata.labels)) {
        return REJECTED;
      }
      if (required.affinity !== undefined && !nodeSelectorMatches(required.affinity, node.node)) return REJECTED;
      return undefined;
    },
    preScore(_state, pod) {
      const preferred = pod.memo(PREFERRED_KEY, preferredOf);
      if (preferred !== undefined && preferred.errors.length > 0) {
        const errors = preferred.errors;
        return errorStatus(new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`));
      }
      return preferred === undefined && addedPreferred === undefined ? SKIP : undefined;
    },
    score(_state, pod, node) {
      let score = addedPreferred === undefined ? 0 : preferredScore(addedPreferred, node.node);
      const preferred = pod.memo(PREFERRED_KEY, preferredOf);
      if (preferred !== undefined) score += preferredScore(preferred, node.node);
      return score;
    },
    normalizeScore(_state, _pod, scores) {
      defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
    },
  };
};
