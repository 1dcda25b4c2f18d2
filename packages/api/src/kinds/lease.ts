/**
 * `coordination.k8s.io/v1` Lease: a lock with an expiry, for leader election
 * and node heartbeats.
 */
import { defineResource, type ResourceOf } from '@keelson/core';
import { z } from 'zod';
import { int32, microTime, nonNegativeInt32 } from './primitives';

/**
 * A lease's spec: who holds it, for how long, and when it was taken and
 * last renewed (`MicroTime` strings, e.g. from `formatMicroTime`).
 */
export const leaseSpecSchema = z
  .object({
    holderIdentity: z.string().exactOptional(),
    leaseDurationSeconds: int32.min(1, { error: 'must be greater than 0' }).exactOptional(),
    acquireTime: microTime.exactOptional(),
    renewTime: microTime.exactOptional(),
    leaseTransitions: nonNegativeInt32.exactOptional(),
    strategy: z.string().exactOptional(),
    preferredHolder: z.string().exactOptional(),
  })
  .prefault({});

/**
 * The Lease kind. Kubelets renew one per node in `kube-node-lease`;
 * controllers elect leaders with them.
 *
 * @example
 * ```ts
 * await store.create(Lease, {
 *   metadata: { name: 'node-1', namespace: 'kube-node-lease' },
 *   spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: formatMicroTime(clock.now()) },
 * });
 * ```
 */
export const Lease = defineResource({
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  namespaced: true,
  spec: leaseSpecSchema,
});
export type Lease = ResourceOf<typeof Lease>;
