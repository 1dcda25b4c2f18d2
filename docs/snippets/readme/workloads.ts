// #region example
import { createManager } from '@keelson/controller';
import type { Store } from '@keelson/core';
import { createLoadBalancer, rolloutStatus, workloadControllers } from '@keelson/workloads';

export async function runWorkloads(store: Store) {
  const manager = createManager({ store });
  for (const controller of workloadControllers()) manager.add(controller);
  await manager.start(); // Deployments now make ReplicaSets, ReplicaSets pods, Services EndpointSlices, …

  const { message } = await rolloutStatus(store, { name: 'web' }); // kubectl rollout status's line
  const lb = createLoadBalancer(store, { service: 'web' }); // follows the Service's EndpointSlices
  await lb.waitForEndpoints({ timeoutMs: 60_000 });
  const target = lb.pick(); // { address, port, pod, node } of a ready pod
  return { manager, message, target, lb };
}
// #endregion
