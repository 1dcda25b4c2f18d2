/**
 * Label and field selectors with Kubernetes semantics, used by the store's list and watch and by
 * workload controllers.
 */

export type { FieldRequirement, FieldSelector } from './fieldSelector';
export { escapeFieldSelectorValue, parseFieldSelector } from './fieldSelector';
export type {
  LabelSelector,
  LabelSelectorInput,
  LabelSelectorRequirement,
  SelectorOperator,
  StructuredLabelSelector,
} from './labelSelector';
export { everything, labelSelectorFromStructured, nothing, parseLabelSelector } from './labelSelector';
export { labelKeyProblems, labelValueProblems } from './labelSyntax';
