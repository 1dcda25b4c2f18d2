/**
 * @keelson/apiserver: Kubernetes' REST API over any Keelson store, for kubectl
 * and @kubernetes/client-node — `createApiServer` with discovery, OpenAPI v3,
 * CRUD, watch, the four patch types, subresources, Tables and
 * CustomResourceDefinitions — and the pieces it is made of.
 */

export * from './crd/index';
export type { KubeconfigOptions } from './kubeconfig';
export { kubeconfigYaml } from './kubeconfig';
export * from './patch/index';
export * from './server/index';
export * from './table/index';
