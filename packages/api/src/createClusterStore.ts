import { createStore, type ResourceType, type Store, type StoreOptions } from '@keelson/core';
import { builtinAdmission } from './admission/index';
import { builtinTypes } from './builtinTypes';

/** Options for {@link createClusterStore}: `createStore`'s, with the built-ins filled in. */
export interface ClusterStoreOptions extends Omit<StoreOptions, 'types'> {
  /** Kinds served beside {@link builtinTypes} (a user's custom resources). */
  types?: readonly ResourceType[];
}

/**
 * Opens a store that serves what a Kubernetes API server serves out of the box:
 * every built-in kind, the admission plugins Kubernetes runs by default
 * (`builtinAdmission()` unless `admission` is given) and the system namespaces
 * (`systemNamespaces: true` unless turned off), so the first Pod in `default`
 * is admitted without any setup.
 *
 * @example
 * ```ts
 * const store = await createClusterStore({ clock: new VirtualClock(0) });
 * await store.create(Pod, { metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } });
 * ```
 */
export function createClusterStore(options: ClusterStoreOptions = {}): Promise<Store> {
  return createStore({
    ...options,
    types: [...builtinTypes, ...(options.types ?? [])],
    admission: options.admission ?? builtinAdmission(),
    systemNamespaces: options.systemNamespaces ?? true,
  });
}
