import { formatMicroTime, Lease } from '@keelson/api';
import type { Clock } from '@keelson/clock';
import { isKeelsonError, type Store } from '@keelson/core';

/** The namespace of node heartbeats. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** How long a node lease lasts (kubelet `nodeLeaseDurationSeconds`). */
export const NODE_LEASE_DURATION_SECONDS = 40;
/** How often the agent renews its lease (a quarter of its duration). */
export const NODE_LEASE_RENEW_INTERVAL_MS = 10_000;

/**
 * Creates or renews the node's Lease `<node>` in `kube-node-lease`: holder
 * the node, 40 s duration, `renewTime` now (the kubelet's nodelease controller).
 */
export async function renewNodeLease(store: Store, clock: Clock, nodeName: string): Promise<Lease> {
  const renewTime = formatMicroTime(clock.now());
  try {
    return await store.patch(
      Lease,
      nodeName,
      (draft) => {
        draft.spec.holderIdentity = nodeName;
        draft.spec.leaseDurationSeconds = NODE_LEASE_DURATION_SECONDS;
        draft.spec.renewTime = renewTime;
      },
      { namespace: NODE_LEASE_NAMESPACE },
    );
  } catch (error) {
    if (!isKeelsonError(error, 'NotFound')) throw error;
    return store.create(Lease, {
      metadata: { name: nodeName, namespace: NODE_LEASE_NAMESPACE },
      spec: {
        holderIdentity: nodeName,
        leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS,
        acquireTime: renewTime,
        renewTime,
      },
    });
  }
}
