/**
 * `v1` Namespace: a scope for names, and the unit that is deleted with
 * everything in it.
 */
import { defineResource, type ResourceOf } from '@keelson/core';
import { z } from 'zod';
import { conditionSchema } from './condition';

/** Kubernetes labels every namespace with its own name, so selectors can pick namespaces by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A namespace's spec: the finalizers that must finish before it is gone. */
export const namespaceSpecSchema = z.object({ finalizers: z.array(z.string().min(1)).exactOptional() }).prefault({});

/** `Active` until deletion starts, then `Terminating`. */
export const namespacePhaseSchema = z.enum(['Active', 'Terminating']);

/** A namespace's status. */
export const namespaceStatusSchema = z.object({
  phase: namespacePhaseSchema.default('Active'),
  conditions: z.array(conditionSchema).exactOptional(),
});

function withNameLabel<T extends { metadata: { name: string; labels?: Record<string, string> } }>(namespace: T): T {
  if (namespace.metadata.labels?.[NAMESPACE_NAME_LABEL] === namespace.metadata.name) return namespace;
  const labels = { ...namespace.metadata.labels, [NAMESPACE_NAME_LABEL]: namespace.metadata.name };
  return { ...namespace, metadata: { ...namespace.metadata, labels } };
}

/**
 * The Namespace kind (cluster-scoped; names are DNS labels). A new namespace
 * is `Active` whatever status the client sent, and carries the
 * `kubernetes.io/metadata.name` label, kept equal to its name on every update.
 * `status.phase` is selectable.
 *
 * @example
 * ```ts
 * const ns = await store.create(Namespace, { metadata: { name: 'shop' }, spec: {} });
 * ns.status?.phase; // 'Active'
 * ```
 */
export const Namespace = defineResource({
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  namespaced: false,
  nameRule: 'label',
  spec: namespaceSpecSchema,
  status: namespaceStatusSchema,
  fields: { 'status.phase': { get: (namespace) => namespace.status?.phase ?? '' } },
  strategy: {
    prepareForCreate: (namespace) => ({ ...withNameLabel(namespace), status: { phase: 'Active' as const } }),
    prepareForUpdate: (_old, next) => withNameLabel(next),
  },
});
export type Namespace = ResourceOf<typeof Namespace>;
