/**
 * What a gated pod may change of its placement (Kubernetes' mutable
 * scheduling directives, part of pod scheduling readiness): while the stored
 * pod still has scheduling gates, `spec.nodeSelector` may gain keys and the
 * required node affinity may be narrowed (requirements added to each term);
 * the preferred node affinity may change freely. Nothing may be removed or
 * changed, so a gated pod is only ever constrained further.
 */
import type { FieldIssue } from '@keelson/core';
import type { PodObject } from '../kinds/pod';
import type { Affinity } from '../kinds/scheduling';
import { isSchedulingGated } from './schedulingGates';
import { differences, withField } from './specDiff';

type Spec = PodObject['spec'];
type NodeAffinity = NonNullable<Affinity['nodeAffinity']>;
type NodeSelectorTerm = NonNullable<
  NodeAffinity['requiredDuringSchedulingIgnoredDuringExecution']
>['nodeSelectorTerms'][number];

const same = (a: unknown, b: unknown) => differences(a, b, '').length === 0;

const TERMS_PATH = 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms';

/** Upstream's `validateNodeSelectorTermHasOnlyAdditions`: the old requirements are a prefix of the new ones. */
function onlyAdditions(next: NodeSelectorTerm | undefined, old: NodeSelectorTerm): boolean {
  for (const list of ['matchExpressions', 'matchFields'] as const) {
    const before = old[list] ?? [];
    const after = next?.[list] ?? [];
    if (before.length > after.length || !same(after.slice(0, before.length), before)) return false;
  }
  return true;
}

/** Upstream's `validateNodeAffinityMutation`. */
function nodeAffinityIssues(next: NodeAffinity | undefined, old: NodeAffinity | undefined): FieldIssue[] {
  const oldTerms = old?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (oldTerms === undefined) return [];
  const newTerms = next?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (oldTerms.length > 0 && oldTerms.length !== newTerms.length) {
    return [
      {
        path: TERMS_PATH,
        message: `Invalid value: ${JSON.stringify(newTerms)}: no additions/deletions to non-empty NodeSelectorTerms list are allowed`,
      },
    ];
  }
  const issues: FieldIssue[] = [];
  oldTerms.forEach((term, index) => {
    const nextTerm = newTerms[index];
    if (onlyAdditions(nextTerm, term)) return;
    issues.push({
      path: `${TERMS_PATH}[${index}]`,
      message: `Invalid value: ${JSON.stringify(nextTerm ?? null)}: only additions are allowed (no mutations or deletions)`,
    });
  });
  return issues;
}

/**
 * For a pod stored with scheduling gates: checks the changes to its node
 * selector and node affinity (issues pushed to `issues`) and returns `munged`
 * with both put back as stored, so the immutability check that follows skips
 * them. Other pods' specs come back unchanged.
 */
export function mungeGatedPlacement(old: PodObject, munged: Spec, issues: FieldIssue[]): Spec {
  if (!isSchedulingGated(old)) return munged;
  const before = old.spec;
  let out = munged;
  if (!same(out.nodeSelector, before.nodeSelector)) {
    const selector = out.nodeSelector ?? {};
    const kept = Object.entries(before.nodeSelector ?? {}).every(([key, value]) => selector[key] === value);
    if (!kept) {
      issues.push({
        path: 'spec.nodeSelector',
        message: `Invalid value: ${JSON.stringify(selector)}: only additions to spec.nodeSelector are allowed (no mutations or deletions)`,
      });
    }
    out = withField(out, 'nodeSelector', before.nodeSelector);
  }
  const oldAffinity = before.affinity?.nodeAffinity;
  const nextAffinity = out.affinity?.nodeAffinity;
  if (!same(nextAffinity, oldAffinity)) {
    issues.push(...nodeAffinityIssues(nextAffinity, oldAffinity));
    const affinity = out.affinity;
    if (affinity === undefined) {
      if (oldAffinity !== undefined) out = { ...out, affinity: { nodeAffinity: oldAffinity } };
    } else if (before.affinity === undefined && !affinity.podAffinity && !affinity.podAntiAffinity) {
      out = withField(out, 'affinity', undefined);
    } else {
      out = { ...out, affinity: withField(affinity, 'nodeAffinity', oldAffinity) };
    }
  }
  return out;
}
