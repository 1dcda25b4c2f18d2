import { type AdmissionPlugin, ForbiddenError, isKeelsonError, NotFoundError, type Store } from '@keelson/core';
import { Namespace } from '../kinds/namespace';

/** Namespaces every cluster has; `ensureSystemNamespaces` creates them at start. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-node-lease'] as const;

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

/** Creates the system namespaces that do not exist yet (what Kubernetes' apiserver does at start). */
export async function ensureSystemNamespaces(store: Store): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) {
    try {
      await store.create(Namespace, { metadata: { name } });
    } catch (error) {
      if (!isKeelsonError(error, 'AlreadyExists')) throw error;
    }
  }
}
