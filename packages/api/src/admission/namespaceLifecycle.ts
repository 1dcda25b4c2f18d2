import {
  type AdmissionPlugin,
  BOOTSTRAP_NAMESPACES,
  createSystemNamespaces,
  ForbiddenError,
  isKeelsonError,
  NotFoundError,
  type Store,
} from '@keelson/core';
import { Namespace } from '../kinds/namespace';

/**
 * Namespaces every cluster has (`default`, `kube-system`, `kube-public`,
 * `kube-node-lease`, as Kubernetes' API server bootstraps them): the one list
 * `createStore({ systemNamespaces: true })` and `ensureSystemNamespaces` create.
 */
export const SYSTEM_NAMESPACES = BOOTSTRAP_NAMESPACES;

/** Namespaces that may never be deleted, as Kubernetes protects them. */
const IMMORTAL = new Set(['default', 'kube-system', 'kube-public']);

/**
 * Kubernetes' NamespaceLifecycle admission: a namespaced object needs a live
 * namespace (a missing one is `NotFoundError`, a terminating one refuses new
 * content with `ForbiddenError`), and the system namespaces cannot be deleted.
 */
export function namespaceLifecycle(): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    async validate({ operation, type, namespace, object, store }) {
      if (operation === 'DELETE' && type.kind === Namespace.kind && type.group === Namespace.group) {
        if (IMMORTAL.has(object.metadata.name)) {
          throw new ForbiddenError(`namespace "${object.metadata.name}" may not be deleted`);
        }
        return;
      }
      if (operation !== 'CREATE' || !type.namespaced || namespace === undefined) return;
      let target: Namespace;
      try {
        target = await store.get(Namespace, namespace);
      } catch (error) {
        if (isKeelsonError(error, 'NotFound')) throw new NotFoundError(`namespaces "${namespace}" not found`);
        throw error;
      }
      if (target.metadata.deletionTimestamp !== undefined || target.status?.phase === 'Terminating') {
        throw new ForbiddenError(
          `${type.plural} "${object.metadata.name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        );
      }
    },
  };
}

/**
 * Creates the system namespaces that do not exist yet (what Kubernetes' API
 * server does at start), for a store opened without `systemNamespaces: true`;
 * the same step `createStore`'s option runs.
 */
export async function ensureSystemNamespaces(store: Store): Promise<void> {
  await createSystemNamespaces(store, Namespace);
}
