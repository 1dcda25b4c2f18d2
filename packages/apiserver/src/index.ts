/**
 * @keelson/apiserver: the pieces of Kubernetes' REST API that work on plain
 * objects — the four patch types (with server-side apply's managedFields) and
 * meta.k8s.io/v1 Tables as `kubectl get` shows them.
 */
export * from './patch/index';
export * from './table/index';
export * from './server/index';
