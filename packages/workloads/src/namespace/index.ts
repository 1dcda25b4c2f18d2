export { NamespaceConditionType, namespaceDeletionConditions } from './namespaceConditions';
export type { ContentSweep } from './namespaceContent';
export { FINALIZER_ESTIMATE_SECONDS, sweepNamespace } from './namespaceContent';
export type { NamespaceControllerOptions } from './namespaceController';
export { NAMESPACE_CONTROLLER_NAME, NAMESPACE_FINALIZER, namespaceController } from './namespaceController';
