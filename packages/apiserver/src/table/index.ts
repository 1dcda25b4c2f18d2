/**
 * `meta.k8s.io/v1` Tables, as `kubectl get` shows them: Kubernetes' printers
 * for the built-in kinds and CRD printer columns for custom ones.
 */

export { humanDuration } from './humanDuration';
export { evaluateJsonPath } from './jsonPath';
export type {
  PartialObjectMetadata,
  PrinterColumn,
  Table,
  TableColumnDefinition,
  TableOptions,
  TableRow,
  TableRowCondition,
} from './tableTypes';
export { toTable } from './toTable';
