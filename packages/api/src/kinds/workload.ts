/**
 * Rules the workload kinds (ReplicaSet, Deployment, DaemonSet, Job) share:
 * the selector must pick the template's pods, the template's restart
 * policy must suit the controller, and the selector never changes.
 */
import type { FieldIssue } from '@keelson/core';
import { type LabelSelectorSpec, selectorIssues } from './labelSelector';
import type { PodTemplateSpec } from './podTemplate';

/** What the shared rules read of a workload. */
export interface WorkloadLike {
  spec: { selector?: LabelSelectorSpec; template: PodTemplateSpec };
}

function quoted(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(', ');
}

/**
 * The create-time rules of a workload: a selector that matches the
 * template's labels, and a template restart policy among `restartPolicies`.
 *
 * @param kind lower-case kind for messages ("deployment").
 */
export function workloadIssues(
  workload: WorkloadLike,
  kind: string,
  restartPolicies: readonly string[] = ['Always'],
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { selector, template } = workload.spec;
  if (selector === undefined) issues.push({ path: 'spec.selector', message: 'Required value' });
  else issues.push(...selectorIssues(selector, template.metadata.labels, kind));
  const policy = template.spec.restartPolicy;
  if (!restartPolicies.includes(policy)) {
    issues.push({
      path: 'spec.template.spec.restartPolicy',
      message: `Unsupported value: "${policy}": supported values: ${quoted(restartPolicies)}`,
    });
  }
  return issues;
}

/** Whether two JSON values are equal, whatever the order of object keys. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    const keys = Object.keys(left);
    return (
      keys.length === Object.keys(right).length && keys.every((key) => key in right && jsonEqual(left[key], right[key]))
    );
  }
  return Object.is(a, b);
}

/** The selector of a workload may not change after creation. */
export function selectorImmutable(old: WorkloadLike, next: WorkloadLike): FieldIssue[] {
  return jsonEqual(old.spec.selector, next.spec.selector)
    ? []
    : [{ path: 'spec.selector', message: 'field is immutable' }];
}
