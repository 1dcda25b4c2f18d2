/**
 * Topology spread constraints as the plugin evaluates them (Kubernetes'
 * internal `topologySpreadConstraint`): the label selector compiled once,
 * `matchLabelKeys` folded into it, `minDomains` and the node inclusion
 * policies defaulted. Plus the per-node helpers PreFilter and PreScore share.
 */
import type { Pod, Toleration } from '@keelson/api';
import {
  type LabelSelector,
  type LabelSelectorRequirement,
  labelSelectorFromStructured,
  type StructuredLabelSelector,
} from '@keelson/core';
import type { NodeInfo } from '../../framework/nodeInfo';
import type { PodInfo } from '../../framework/podInfo';
import { hasUntoleratedScheduleTaint, type RequiredNodeAffinity } from './nodeInclusion';

/** A `topologySpreadConstraints` entry as stored on a pod (or given as a default constraint). */
export type TopologySpreadConstraintSpec = NonNullable<Pod['spec']['topologySpreadConstraints']>[number];

/** What to do when the constraint cannot be met: filter (`DoNotSchedule`) or score (`ScheduleAnyway`). */
export type UnsatisfiableAction = TopologySpreadConstraintSpec['whenUnsatisfiable'];

/** A constraint ready for evaluation. */
export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  /** Which pods count; a missing `labelSelector` selects none (`nothing`), `{}` selects all. */
  readonly selector: LabelSelector;
  /** `minDomains`, 1 when unset. */
  readonly minDomains: number;
  /** `nodeAffinityPolicy` is Honor (the default). */
  readonly honorNodeAffinity: boolean;
  /** `nodeTaintsPolicy` is Honor (the default is Ignore). */
  readonly honorNodeTaints: boolean;
}

/** Kubernetes' `kubernetes.io/hostname`: per-node counts are taken in Score rather than PreScore. */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/**
 * The selector a constraint counts with: its `labelSelector` ANDed with
 * `key=value` for every `matchLabelKeys` key the pod carries. A nil selector
 * stays "nothing" (upstream leaves it alone).
 */
export function spreadSelector(
  labelSelector: StructuredLabelSelector | undefined,
  matchLabelKeys: readonly string[] | undefined,
  podLabels: Readonly<Record<string, string>> | undefined,
): LabelSelector {
  if (labelSelector === undefined || matchLabelKeys === undefined || matchLabelKeys.length === 0) {
    return labelSelectorFromStructured(labelSelector);
  }
  const extra: LabelSelectorRequirement[] = [];
  for (const key of matchLabelKeys) {
    const value = podLabels?.[key];
    if (typeof value === 'string') extra.push({ key, operator: 'In', values: [value] });
  }
  if (extra.length === 0) return labelSelectorFromStructured(labelSelector);
  const merged: StructuredLabelSelector = { matchExpressions: [...(labelSelector.matchExpressions ?? []), ...extra] };
  if (labelSelector.matchLabels !== undefined) merged.matchLabels = labelSelector.matchLabels;
  return labelSelectorFromStructured(merged);
}

/**
 * Compiles the constraints of `specs` with the given action. `selectorFor`
 * replaces the spec's own selector (default constraints); returning
 * `undefined` drops the constraint.
 */
export function compileConstraints(
  specs: readonly TopologySpreadConstraintSpec[],
  action: UnsatisfiableAction,
  podLabels: Readonly<Record<string, string>> | undefined,
  selectorFor: (spec: TopologySpreadConstraintSpec) => LabelSelector | undefined = (spec) =>
    spreadSelector(spec.labelSelector, spec.matchLabelKeys, podLabels),
): SpreadConstraint[] {
  const compiled: SpreadConstraint[] = [];
  for (const spec of specs) {
    if (spec.whenUnsatisfiable !== action) continue;
    const selector = selectorFor(spec);
    if (selector === undefined) continue;
    compiled.push({
      maxSkew: spec.maxSkew,
      topologyKey: spec.topologyKey,
      selector,
      minDomains: spec.minDomains ?? 1,
      honorNodeAffinity: spec.nodeAffinityPolicy !== 'Ignore',
      honorNodeTaints: spec.nodeTaintsPolicy === 'Honor',
    });
  }
  return compiled;
}

/** The pod's own constraints with `action`, compiled once per pod. */
export function ownConstraints(pod: PodInfo, action: UnsatisfiableAction): readonly SpreadConstraint[] {
  return pod.memo(`PodTopologySpread/${action}`, (p) =>
    compileConstraints(p.spec.topologySpreadConstraints ?? [], action, p.metadata.labels),
  );
}

/** Whether the node carries every constraint's topology key. */
export function hasAllTopologyKeys(
  labels: Readonly<Record<string, string>> | undefined,
  constraints: readonly SpreadConstraint[],
): boolean {
  if (labels === undefined) return constraints.length === 0;
  for (let i = 0; i < constraints.length; i++) {
    if (typeof labels[(constraints[i] as SpreadConstraint).topologyKey] !== 'string') return false;
  }
  return true;
}

/** The incoming pod's side of the node inclusion policies. */
export interface InclusionContext {
  readonly affinity: RequiredNodeAffinity;
  readonly tolerations: readonly Toleration[];
}

/** Whether `node` counts for `constraint` under its node inclusion policies. */
export function includesNode(constraint: SpreadConstraint, node: NodeInfo, context: InclusionContext): boolean {
  if (constraint.honorNodeAffinity && !context.affinity.matches(node.node)) return false;
  if (constraint.honorNodeTaints && hasUntoleratedScheduleTaint(node.node, context.tolerations)) return false;
  return true;
}

/** Whether a pod counts: same namespace, not terminating, selected. */
export function podCounts(pod: Pod, selector: LabelSelector, namespace: string): boolean {
  return (
    pod.metadata.deletionTimestamp === undefined &&
    (pod.metadata.namespace ?? '') === namespace &&
    selector.matches(pod.metadata.labels)
  );
}

/** A topology label's value on the node, or `undefined`. */
export function topologyValue(node: NodeInfo, key: string): string | undefined {
  const value: unknown = node.node.metadata.labels?.[key];
  return typeof value === 'string' ? value : undefined;
}
