/**
 * Pod (anti-)affinity terms as the scheduler matches them (Kubernetes'
 * `framework.AffinityTerm`): selectors compiled once per pod, the pod's own
 * namespace standing in when a term names no namespaces, `matchLabelKeys` /
 * `mismatchLabelKeys` folded into the selector from the owning pod's labels.
 */
import type { Pod } from '@keelson/api';
import {
  type LabelSelector,
  type LabelSelectorRequirement,
  labelSelectorFromStructured,
  nothing,
  type StructuredLabelSelector,
} from '@keelson/core';
import type { PodInfo } from '../../framework/podInfo';

/** A label set. */
export type Labels = Readonly<Record<string, string>>;

/**
 * A namespace's labels, for `namespaceSelector`; `undefined` when they are not
 * known, in which case only an empty (`{}`) namespace selector matches.
 */
export type NamespaceLabels = (namespace: string) => Labels | undefined;

/** A compiled pod affinity term. */
export interface AffinityTerm {
  readonly topologyKey: string;
  /** `labelSelector`; a missing one selects no pod. */
  readonly selector: LabelSelector;
  /** `namespaces`, or the owning pod's namespace when neither namespaces nor a namespace selector is given. */
  readonly namespaces: ReadonlySet<string>;
  /** `namespaceSelector`; missing selects no namespace, `{}` every namespace. */
  readonly namespaceSelector: LabelSelector;
}

/** A preferred term and its weight. */
export interface WeightedAffinityTerm extends AffinityTerm {
  readonly weight: number;
}

/** A pod's affinity and anti-affinity terms, compiled. */
export interface PodAffinityTerms {
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
  /** Set when a selector could not be compiled (that term then matches nothing). */
  readonly error?: string;
}

type RawTerm = NonNullable<
  NonNullable<NonNullable<Pod['spec']['affinity']>['podAffinity']>['requiredDuringSchedulingIgnoredDuringExecution']
>[number];
type RawWeightedTerm = NonNullable<
  NonNullable<NonNullable<Pod['spec']['affinity']>['podAffinity']>['preferredDuringSchedulingIgnoredDuringExecution']
>[number];

/** The API server's `applyMatchLabelKeysAndMismatchLabelKeys`, done here since Keelson's API does not. */
function termSelector(term: RawTerm, podLabels: Labels | undefined): StructuredLabelSelector | undefined {
  const selector = term.labelSelector;
  if (selector === undefined) return undefined;
  const extra: LabelSelectorRequirement[] = [];
  for (const [keys, operator] of [
    [term.matchLabelKeys, 'In'],
    [term.mismatchLabelKeys, 'NotIn'],
  ] as const) {
    for (const key of keys ?? []) {
      const value = podLabels?.[key];
      if (typeof value === 'string') extra.push({ key, operator, values: [value] });
    }
  }
  if (extra.length === 0) return selector;
  const merged: StructuredLabelSelector = { matchExpressions: [...(selector.matchExpressions ?? []), ...extra] };
  if (selector.matchLabels !== undefined) merged.matchLabels = selector.matchLabels;
  return merged;
}

function compileTerm(term: RawTerm, pod: Pod, errors: string[]): AffinityTerm {
  const own = term.namespaces ?? [];
  const namespaces = new Set(
    own.length === 0 && term.namespaceSelector === undefined ? [pod.metadata.namespace ?? ''] : own,
  );
  let selector: LabelSelector = nothing;
  let namespaceSelector: LabelSelector = nothing;
  try {
    selector = labelSelectorFromStructured(termSelector(term, pod.metadata.labels));
    namespaceSelector = labelSelectorFromStructured(term.namespaceSelector);
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
  }
  return { topologyKey: term.topologyKey, selector, namespaces, namespaceSelector };
}

function compileWeighted(term: RawWeightedTerm, pod: Pod, errors: string[]): WeightedAffinityTerm {
  return { ...compileTerm(term.podAffinityTerm, pod, errors), weight: term.weight };
}

function compileTerms(pod: Pod): PodAffinityTerms {
  const errors: string[] = [];
  const affinity = pod.spec.affinity?.podAffinity;
  const anti = pod.spec.affinity?.podAntiAffinity;
  const terms = {
    requiredAffinity: (affinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) =>
      compileTerm(t, pod, errors),
    ),
    requiredAntiAffinity: (anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) =>
      compileTerm(t, pod, errors),
    ),
    preferredAffinity: (affinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) =>
      compileWeighted(t, pod, errors),
    ),
    preferredAntiAffinity: (anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) =>
      compileWeighted(t, pod, errors),
    ),
  };
  return errors.length === 0 ? terms : { ...terms, error: errors.join('; ') };
}

const NO_TERMS: PodAffinityTerms = Object.freeze({
  requiredAffinity: [],
  requiredAntiAffinity: [],
  preferredAffinity: [],
  preferredAntiAffinity: [],
});

/** The pod's terms, compiled once per pod object. */
export function affinityTermsOf(pod: PodInfo): PodAffinityTerms {
  if (!pod.hasAffinity) return NO_TERMS;
  return pod.memo('InterPodAffinity/terms', compileTerms);
}

/** Whether `term` covers `namespace`: listed, or selected by its namespace selector. */
export function namespaceMatches(term: AffinityTerm, namespace: string, labelsOf: NamespaceLabels): boolean {
  if (term.namespaces.has(namespace)) return true;
  const selector = term.namespaceSelector;
  if (selector === nothing) return false;
  if (selector.empty) return true;
  const labels = labelsOf(namespace);
  return labels !== undefined && selector.matches(labels);
}

/** Kubernetes' `AffinityTerm.Matches`: the pod's namespace is covered and its labels selected. */
export function termMatches(term: AffinityTerm, pod: Pod, labelsOf: NamespaceLabels): boolean {
  return term.selector.matches(pod.metadata.labels) && namespaceMatches(term, pod.metadata.namespace ?? '', labelsOf);
}

/** Whether the pod matches every term (false for no terms). */
export function matchesAllTerms(terms: readonly AffinityTerm[], pod: Pod, labelsOf: NamespaceLabels): boolean {
  if (terms.length === 0) return false;
  for (let i = 0; i < terms.length; i++) if (!termMatches(terms[i] as AffinityTerm, pod, labelsOf)) return false;
  return true;
}

/** How one cycle looks namespaces up, for either side of a match. */
export interface NamespaceResolvers {
  /** For the incoming pod's terms against other pods: the other pod's namespace, if known. */
  readonly forIncomingTerms: NamespaceLabels;
  /**
   * For other pods' terms against the incoming pod: a snapshot of the incoming
   * pod's namespace labels (empty if the namespace is not found, as upstream).
   */
  readonly forExistingTerms: NamespaceLabels;
}

const UNKNOWN: NamespaceLabels = () => undefined;
const EMPTY: Labels = Object.freeze({});

/** The resolvers for one cycle of `pod`, given the host's namespace lookup (if any). */
export function namespaceResolvers(pod: Pod, lookup: NamespaceLabels | undefined): NamespaceResolvers {
  if (lookup === undefined) return { forIncomingTerms: UNKNOWN, forExistingTerms: UNKNOWN };
  const own = lookup(pod.metadata.namespace ?? '') ?? EMPTY;
  return { forIncomingTerms: lookup, forExistingTerms: () => own };
}
