import { isKeelsonError, type Logger, type ResourceType, type Store, silentLogger } from '@keelson/core';
import type { Subscription } from 'rxjs';
import { CustomResourceDefinition } from './CustomResourceDefinition';
import { ACCEPTED, type ConditionUpdate, isConditionTrue, notAccepted, withConditions } from './crdConditions';
import type { CrdStatus } from './crdSchema';
import { nameConflict } from './nameConflicts';
import { type CrdNames, crdNamesOf, resourceTypeFromCrd, terminatingType } from './resourceTypeFromCrd';
import { CRD_CLEANUP_FINALIZER } from './validateCrd';

/** What changed in the served kinds, for discovery and OpenAPI to refresh. */
export interface CustomResourceChange {
  /** `established`: the kind is served (again, after a change); `removed`: no longer; `rejected`: cannot be served. */
  type: 'established' | 'removed' | 'rejected';
  crd: CustomResourceDefinition;
  /** The kind, unless rejected. */
  resourceType?: ResourceType;
  /** Why a CRD was rejected. */
  message?: string;
}

/** Options of {@link serveCustomResources}. */
export interface ServeCustomResourcesOptions {
  onChange?: (change: CustomResourceChange) => void;
  /** A write that failed for another reason than a conflict with a concurrent change (default: a `warn` line on `logger`). */
  onError?: (error: unknown) => void;
  /** A pino-compatible logger for those failures when no `onError` is given; silent by default. */
  logger?: Logger;
}

/** The handle {@link serveCustomResources} returns. */
export interface CustomResourceServer {
  /** Stops watching; the kinds served so far stay registered. */
  stop(): void;
  /** The CRD that defines a served kind. */
  definitionOf(type: ResourceType): CustomResourceDefinition | undefined;
  /** Singular, short names and categories of a served kind, for discovery. */
  namesOf(type: ResourceType): CrdNames | undefined;
  /** Every kind served from a CRD. */
  types(): readonly ResourceType[];
  /** Resolves once every CRD change seen so far has been handled. */
  settled(): Promise<void>;
}

interface Served {
  crd: CustomResourceDefinition;
  type: ResourceType;
  generation: number;
  /** The CRD is being deleted: the kind refuses creates. */
  terminating?: boolean;
}

const hasFinalizer = (crd: CustomResourceDefinition) =>
  crd.metadata.finalizers?.includes(CRD_CLEANUP_FINALIZER) ?? false;

/**
 * Serves the kinds CustomResourceDefinitions define, as Kubernetes'
 * apiextensions controllers do: a new or changed CRD gets the
 * `customresourcecleanup.apiextensions.k8s.io` finalizer, its kind is
 * registered (re-registered on a spec change) and its status says
 * `NamesAccepted` and `Established` (or why not: a name taken by another
 * kind, a schema Ajv cannot compile). A deleted CRD is `Terminating`: every
 * object of its kind is deleted, then the finalizer removed, and once the CRD
 * is gone its kind is unregistered. Registers CustomResourceDefinition itself
 * when the store lacks it. Never throws from the watch: failures go to
 * `onError`.
 *
 * @example
 * ```ts
 * const crds = serveCustomResources(store, { onChange: () => catalog.refresh() });
 * await store.create(CustomResourceDefinition, websitesCrd);
 * await crds.settled(); // Website is now in store.types
 * ```
 */
export function serveCustomResources(store: Store, options: ServeCustomResourcesOptions = {}): CustomResourceServer {
  const logger = options.logger ?? silentLogger;
  const onError =
    options.onError ?? ((error: unknown) => logger.warn({ err: error }, 'custom resource definition not served'));
  if (
    !store.types.some(
      (t) => t.apiVersion === CustomResourceDefinition.apiVersion && t.kind === CustomResourceDefinition.kind,
    )
  ) {
    store.registerType(CustomResourceDefinition);
  }
  const served = new Map<string, Served>();
  const waiting = new Map<string, Subscription>();
  const pending = new Set<string>();
  /** CRDs refused for a name another kind holds: looked at again when a kind goes. */
  const rejected = new Map<string, string>();
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;

  const enqueue = (name: string) => {
    if (pending.has(name)) return;
    pending.add(name);
    chain = chain.then(async () => {
      pending.delete(name);
      if (stopped) return;
      try {
        await reconcile(name);
      } catch (error) {
        if (isKeelsonError(error, 'Conflict')) enqueue(name);
        else if (!isKeelsonError(error, 'NotFound')) onError(error);
      }
    });
  };

  const writeStatus = async (
    crd: CustomResourceDefinition,
    conditions: readonly ConditionUpdate[],
    extra: CrdStatus = {},
  ) => {
    const next = { ...withConditions(crd.status, conditions, store.clock.now()), ...extra };
    if (JSON.stringify(next) === JSON.stringify(crd.status ?? {})) return crd;
    return store.patch(
      CustomResourceDefinition,
      crd.metadata.name,
      (draft) => {
        draft.status = { ...withConditions(draft.status, conditions, store.clock.now()), ...extra };
        return undefined;
      },
      { subresource: 'status' },
    );
  };

  const setFinalizer = (crd: CustomResourceDefinition, present: boolean) =>
    store.patch(CustomResourceDefinition, crd.metadata.name, (draft) => {
      const others = (draft.metadata.finalizers ?? []).filter((f) => f !== CRD_CLEANUP_FINALIZER);
      draft.metadata.finalizers = present ? [...others, CRD_CLEANUP_FINALIZER] : others;
      return undefined;
    });

  const reject = async (crd: CustomResourceDefinition, reason: string, message: string) => {
    const before = rejected.get(crd.metadata.name);
    rejected.set(crd.metadata.name, message);
    await writeStatus(crd, notAccepted(reason, message));
    if (before !== message) options.onChange?.({ type: 'rejected', crd, message });
  };

  const establish = async (initial: CustomResourceDefinition) => {
    let crd = initial;
    const name = crd.metadata.name;
    const current = served.get(name);
    if (current !== undefined && current.generation === crd.metadata.generation) {
      current.crd = crd;
      if (!hasFinalizer(crd)) crd = await setFinalizer(crd, true);
      await writeStatus(crd, ACCEPTED);
      return;
    }
    let type: ResourceType;
    try {
      type = resourceTypeFromCrd(crd);
    } catch (error) {
      return reject(crd, 'InvalidDefinition', (error as Error).message);
    }
    const names = crdNamesOf(crd);
    const others = [...served].filter(([n, s]) => n !== name && s.type.group === type.group);
    const conflict = nameConflict(
      type,
      names,
      store.types.filter((t) => t !== current?.type),
      others.map(([, s]) => crdNamesOf(s.crd)),
    );
    if (conflict !== undefined) return reject(crd, conflict.reason, conflict.message);
    // The finalizer first: a kind must never have objects its CRD's deletion would not clean up.
    if (!hasFinalizer(crd)) crd = await setFinalizer(crd, true);
    if (current !== undefined && current.type.apiVersion !== type.apiVersion) store.unregisterType(current.type);
    try {
      store.registerType(type);
    } catch (error) {
      return reject(crd, 'PluralConflict', (error as Error).message);
    }
    rejected.delete(name);
    served.set(name, { crd, type, generation: crd.metadata.generation });
    const accepted = { plural: names.plural, singular: names.singular, kind: names.kind, listKind: names.listKind };
    crd = await writeStatus(crd, ACCEPTED, {
      acceptedNames: {
        ...accepted,
        ...(names.shortNames.length > 0 ? { shortNames: [...names.shortNames] } : {}),
        ...(names.categories.length > 0 ? { categories: [...names.categories] } : {}),
      },
    });
    const entry = served.get(name);
    if (entry !== undefined) entry.crd = crd;
    options.onChange?.({ type: 'established', crd, resourceType: type });
  };

  const finalize = async (crd: CustomResourceDefinition) => {
    if (!hasFinalizer(crd)) return;
    const name = crd.metadata.name;
    const entry = served.get(name);
    if (entry !== undefined && !entry.terminating) {
      // Kubernetes refuses new objects of a kind whose CRD is going away.
      entry.type = terminatingType(entry.type);
      entry.terminating = true;
      store.registerType(entry.type);
    }
    const type = entry?.type;
    if (type !== undefined) {
      // Once: a later pass reports what is left instead, and must not flip the condition back and forth.
      if (!isConditionTrue(crd.status, 'Terminating')) {
        crd = await writeStatus(crd, [
          {
            type: 'Terminating',
            status: 'True',
            reason: 'InstanceDeletionInProgress',
            message: 'CustomResource deletion is in progress',
          },
        ]);
      }
      for (const object of (await store.list(type)).items) {
        if (object.metadata.deletionTimestamp !== undefined) continue;
        try {
          await store.delete(type, object.metadata.name, { namespace: object.metadata.namespace });
        } catch (error) {
          if (!isKeelsonError(error, 'NotFound')) throw error;
        }
      }
      const remaining = (await store.list(type)).items.length;
      if (remaining > 0) {
        // Objects held by their own finalizers: look again whenever one of them changes.
        if (!waiting.has(name))
          waiting.set(name, store.watch(type).subscribe({ next: () => enqueue(name), error: onError }));
        await writeStatus(crd, [
          {
            type: 'Terminating',
            status: 'True',
            reason: 'InstanceDeletionCheck',
            message: `could not confirm zero CustomResources remaining: ${remaining} remaining`,
          },
        ]);
        return;
      }
      waiting.get(name)?.unsubscribe();
      waiting.delete(name);
      crd = await writeStatus(crd, [
        { type: 'Terminating', status: 'False', reason: 'InstanceDeletionCompleted', message: 'removed all instances' },
      ]);
    }
    await setFinalizer(crd, false);
  };

  const gone = (name: string) => {
    waiting.get(name)?.unsubscribe();
    waiting.delete(name);
    const entry = served.get(name);
    if (entry === undefined) return;
    served.delete(name);
    store.unregisterType(entry.type);
    options.onChange?.({ type: 'removed', crd: entry.crd, resourceType: entry.type });
    for (const other of rejected.keys()) enqueue(other);
  };

  const reconcile = async (name: string) => {
    let crd: CustomResourceDefinition;
    try {
      crd = await store.get(CustomResourceDefinition, name);
    } catch (error) {
      if (isKeelsonError(error, 'NotFound')) {
        rejected.delete(name);
        return gone(name);
      }
      throw error;
    }
    if (crd.metadata.deletionTimestamp !== undefined) return finalize(crd);
    return establish(crd);
  };

  /** The served entry of a kind, by apiVersion and kind: the type object changes when a CRD changes. */
  const servedAs = (type: ResourceType) =>
    [...served.values()].find((s) => s.type.apiVersion === type.apiVersion && s.type.kind === type.kind);

  const subscription = store.watch(CustomResourceDefinition).subscribe({
    next: (event) => {
      if (event.type !== 'BOOKMARK') enqueue(event.object.metadata.name);
    },
    error: onError,
  });

  return {
    stop() {
      stopped = true;
      subscription.unsubscribe();
      for (const watch of waiting.values()) watch.unsubscribe();
      waiting.clear();
    },
    definitionOf: (type) => servedAs(type)?.crd,
    namesOf(type) {
      const crd = servedAs(type)?.crd;
      return crd === undefined ? undefined : crdNamesOf(crd);
    },
    types: () => [...served.values()].map((s) => s.type),
    async settled() {
      for (;;) {
        const seen = chain;
        await seen;
        await Promise.resolve();
        if (seen === chain && pending.size === 0) return;
      }
    },
  };
}
