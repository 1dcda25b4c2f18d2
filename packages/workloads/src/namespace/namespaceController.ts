/**
 * The namespace controller: a deleted namespace turns Terminating, loses
 * everything in it, and is gone once its content is.
 */
import { builtinTypes, Namespace, setCondition } from '@keelson/api';
import { type Client, type Controller, defineController, type Request, watchSource } from '@keelson/controller';
import { isKeelsonError, type ResourceType } from '@keelson/core';
import { formatTime } from '../shared/time';
import { namespaceDeletionConditions } from './namespaceConditions';
import { sweepNamespace } from './namespaceContent';

/** The controller's name. */
export const NAMESPACE_CONTROLLER_NAME = 'namespace';

/** The finalizer the namespace controller owns: held until the namespace's content is gone. */
export const NAMESPACE_FINALIZER = 'kubernetes';

/** Options for {@link namespaceController}. */
export interface NamespaceControllerOptions {
  /** Every kind the store serves (default: `builtinTypes` of `@keelson/api`); its namespaced kinds are swept. */
  types?: readonly ResourceType[];
  /** Workers (default 10, Kubernetes' `--concurrent-namespace-syncs`). */
  maxConcurrentReconciles?: number;
}

function without<T>(list: readonly T[] | undefined, item: T): T[] | undefined {
  const rest = (list ?? []).filter((x) => x !== item);
  return rest.length > 0 ? rest : undefined;
}

/**
 * A live namespace carries `kubernetes` in `spec.finalizers` (where Kubernetes
 * keeps it) and in `metadata.finalizers` (what the store honours), so that its
 * deletion waits for this controller.
 */
async function holdFinalizer(client: Client, name: string): Promise<void> {
  await client.patch(Namespace, name, (draft) => {
    if (draft.metadata.deletionTimestamp !== undefined) return draft;
    if (!(draft.spec.finalizers ?? []).includes(NAMESPACE_FINALIZER)) {
      draft.spec.finalizers = [...(draft.spec.finalizers ?? []), NAMESPACE_FINALIZER];
    }
    if (!(draft.metadata.finalizers ?? []).includes(NAMESPACE_FINALIZER)) {
      draft.metadata.finalizers = [...(draft.metadata.finalizers ?? []), NAMESPACE_FINALIZER];
    }
    return draft;
  });
}

/** Drops `kubernetes` from `spec.finalizers`; the store's hold goes too once no spec finalizer is left. */
async function finalize(client: Client, name: string): Promise<void> {
  await client.patch(Namespace, name, (draft) => {
    const spec = without(draft.spec.finalizers, NAMESPACE_FINALIZER);
    if (spec === undefined) delete draft.spec.finalizers;
    else draft.spec.finalizers = spec;
    if (spec === undefined) {
      const meta = without(draft.metadata.finalizers, NAMESPACE_FINALIZER);
      if (meta === undefined) delete draft.metadata.finalizers;
      else draft.metadata.finalizers = meta;
    }
    return draft;
  });
}

/**
 * Kubernetes' namespace controller. For a namespace with a
 * `deletionTimestamp` it sets `status.phase: Terminating`, deletes every
 * object of every namespaced kind in it (Events too), reports the
 * `NamespaceDeletion*` / `NamespaceContentRemaining` /
 * `NamespaceFinalizersRemaining` conditions, and waits — objects held by
 * other finalizers keep it waiting — until nothing is left; then it removes
 * `kubernetes` from `spec.finalizers`, and the store finishes the deletion.
 * While content remains it looks again after half the estimate plus one
 * second (the longest pod grace period, or 15 s for content held by
 * finalizers), and whenever content in the namespace changes.
 *
 * @example
 * ```ts
 * manager.add(namespaceController());
 * await store.delete(Namespace, 'shop'); // Terminating; gone once everything in it is
 * ```
 */
export function namespaceController(options: NamespaceControllerOptions = {}): Controller {
  const types = options.types ?? builtinTypes;
  const namespaced = types.filter((type) => type.namespaced);
  return defineController({
    name: NAMESPACE_CONTROLLER_NAME,
    for: Namespace,
    watches: namespaced.map((type) =>
      watchSource(type, (object, cache): Request[] => {
        const namespace = object.metadata.namespace;
        if (namespace === undefined) return [];
        return cache.get(Namespace, namespace)?.metadata.deletionTimestamp === undefined ? [] : [{ name: namespace }];
      }),
    ),
    maxConcurrentReconciles: options.maxConcurrentReconciles ?? 10,
    async reconcile({ name }, { client, cache, clock }) {
      let namespace: Namespace;
      try {
        namespace = await client.get(Namespace, name);
      } catch (error) {
        if (isKeelsonError(error, 'NotFound')) return;
        throw error;
      }
      const deletionTimestamp = namespace.metadata.deletionTimestamp;
      if (deletionTimestamp === undefined) {
        await holdFinalizer(client, name);
        return;
      }
      const specFinalizers = namespace.spec.finalizers ?? [];
      if (!specFinalizers.includes(NAMESPACE_FINALIZER)) {
        // Our part is done; other spec finalizers belong to others, who finalize after us.
        if (specFinalizers.length === 0 && (namespace.metadata.finalizers ?? []).includes(NAMESPACE_FINALIZER)) {
          await finalize(client, name);
        }
        return;
      }
      const now = clock.now();
      const sweep = await sweepNamespace(client, cache, types, name, Date.parse(deletionTimestamp), now);
      const stamp = formatTime(now);
      await client.patch(
        Namespace,
        name,
        (draft) => {
          let conditions = draft.status?.conditions ?? [];
          for (const condition of namespaceDeletionConditions(sweep)) {
            conditions = setCondition(conditions, condition, stamp);
          }
          draft.status = { ...draft.status, phase: 'Terminating', conditions };
          return draft;
        },
        { subresource: 'status' },
      );
      if (sweep.firstError !== undefined) throw sweep.firstError;
      if (Object.keys(sweep.remaining).length > 0) {
        return { requeueAfter: (Math.floor(sweep.estimateSeconds / 2) + 1) * 1000 };
      }
      await finalize(client, name);
      return undefined;
    },
  });
}
