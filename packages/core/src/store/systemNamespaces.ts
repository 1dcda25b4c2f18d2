/**
 * The namespaces a Kubernetes API server creates at start (its
 * `bootstrap-system-namespaces` hook), so that a fresh cluster accepts a
 * Pod in `default` without any setup by the user.
 */
import { InvalidError, isKeelsonError } from '../errors/index';
import type { ResourceType } from '../resource/defineResource';
import type { Store } from './Store';

/** What the API server bootstraps: `default`, `kube-system`, `kube-public` and `kube-node-lease`. */
export const BOOTSTRAP_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

/** The registered `v1 Namespace` kind, found by its identity (core never imports `@keelson/api`). */
export function namespaceTypeOf(types: readonly ResourceType[]): ResourceType {
  const found = types.find((t) => t.group === '' && t.version === 'v1' && t.kind === 'Namespace');
  if (found === undefined) {
    throw new InvalidError(
      'createStore: systemNamespaces needs the v1 Namespace kind in options.types (pass builtinTypes from @keelson/api)',
    );
  }
  return found;
}

/**
 * Creates each bootstrap namespace that does not exist yet; one that exists
 * (or that another process created meanwhile) is left as it is. What
 * `createStore({ systemNamespaces: true })` runs after its first sync; exported
 * for a store opened without the option (`ensureSystemNamespaces` in `@keelson/api`).
 */
export async function createSystemNamespaces(store: Store, namespaceType: ResourceType): Promise<void> {
  for (const name of BOOTSTRAP_NAMESPACES) {
    try {
      await store.get(namespaceType, name);
      continue;
    } catch (error) {
      if (!isKeelsonError(error, 'NotFound')) throw error;
    }
    try {
      await store.create(namespaceType, { metadata: { name } } as never);
    } catch (error) {
      if (!isKeelsonError(error, 'AlreadyExists')) throw error;
    }
  }
}
