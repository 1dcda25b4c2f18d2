/**
 * CustomResourceDefinitions: the `apiextensions.k8s.io/v1` kind, Kubernetes'
 * validation of it, the kind each one serves and the controller that
 * registers and removes those kinds.
 */

export { CustomResourceDefinition } from './CustomResourceDefinition';
export type { CrdCondition, CrdNamesSpec, CrdPrinterColumn, CrdSpec, CrdStatus, CrdVersion } from './crdSchema';
export { applyDefaults, prune } from './pruning';
export type { CrdLike, CrdNames } from './resourceTypeFromCrd';
export {
  crdNamesOf,
  crdSchemaOf,
  printerColumnsOf,
  resourceTypeFromCrd,
  storageVersionOf,
} from './resourceTypeFromCrd';
export type { SchemaCheck, SchemaIssue } from './schemaValidator';
export { compileSchema } from './schemaValidator';
export type { CustomResourceChange, CustomResourceServer, ServeCustomResourcesOptions } from './serveCustomResources';
export { serveCustomResources } from './serveCustomResources';
export type { JsonSchema } from './structuralSchema';
export { structuralIssues } from './structuralSchema';
export type { CrdShape } from './validateCrd';
export { CRD_CLEANUP_FINALIZER, validateCrd, validateCrdSpec, validateCrdUpdate, validateNames } from './validateCrd';
