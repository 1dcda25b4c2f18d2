/**
 * Kubernetes' `metav1.LabelSelector`, as workloads carry it in `spec.selector`,
 * and the rule tying a workload's selector to its pod template's labels.
 */
import { type FieldIssue, labelKeyProblems, labelSelectorFromStructured, labelValueProblems } from '@keelson/core';
import { z } from 'zod';
import { labelMap } from './primitives';

/** One `matchExpressions` entry: `key` `operator` `values`. */
export const labelSelectorRequirementSchema = z
  .object({
    key: z.string(),
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
    values: z.array(z.string()).exactOptional(),
  })
  .superRefine((requirement, ctx) => {
    for (const problem of labelKeyProblems(requirement.key))
      ctx.addIssue({ code: 'custom', path: ['key'], message: problem });
    const values = requirement.values ?? [];
    if ((requirement.operator === 'In' || requirement.operator === 'NotIn') && values.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['values'],
        message: "must be specified when `operator` is 'In' or 'NotIn'",
      });
    }
    if ((requirement.operator === 'Exists' || requirement.operator === 'DoesNotExist') && values.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['values'],
        message: "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      });
    }
    values.forEach((value, index) => {
      for (const problem of labelValueProblems(value)) {
        ctx.addIssue({ code: 'custom', path: ['values', index], message: problem });
      }
    });
  });

/**
 * A structured label selector: every `matchLabels` pair and every
 * `matchExpressions` requirement must hold. Its output fits core's
 * `StructuredLabelSelector`, so `labelSelectorFromStructured` reads it.
 */
export const labelSelectorSchema = z.object({
  matchLabels: labelMap.exactOptional(),
  matchExpressions: z.array(labelSelectorRequirementSchema).exactOptional(),
});

/** A label selector as the schema outputs it. */
export type LabelSelectorSpec = z.output<typeof labelSelectorSchema>;

/**
 * The apps/v1 rules between a workload's `spec.selector` and its template's
 * labels: the selector may not be empty (it would adopt every pod in the
 * namespace) and must select the pods the template stamps out.
 *
 * @param kind lower-case kind for the message, as upstream words it ("deployment").
 */
export function selectorIssues(
  selector: LabelSelectorSpec,
  templateLabels: Readonly<Record<string, string>> | undefined,
  kind: string,
  path = 'spec',
): FieldIssue[] {
  const parsed = labelSelectorFromStructured(selector);
  if (parsed.empty) return [{ path: `${path}.selector`, message: `empty selector is invalid for ${kind}` }];
  if (!parsed.matches(templateLabels ?? {})) {
    return [{ path: `${path}.template.metadata.labels`, message: '`selector` does not match template `labels`' }];
  }
  return [];
}
