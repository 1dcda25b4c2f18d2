/**
 * The one-shot form of the load balancer: one ready endpoint of a Service,
 * for a call that needs no lasting rotation.
 */
import { InvalidError, isKeelsonError, type Store } from '@keelson/core';
import { createLoadBalancer, type LoadBalancerOptions } from './createLoadBalancer';
import type { ServiceEndpoint } from './rotation';

/** Options for {@link pickEndpoint}. */
export interface PickEndpointOptions extends Omit<LoadBalancerOptions, 'strategy'> {
  /** Wait this long (ms of the store's clock) for a ready endpoint; default 0: answer from what is there. */
  timeoutMs?: number;
}

/**
 * One endpoint of a Service, chosen at random among its ready endpoints
 * (a one-shot call has no turn to keep, so random spreads the load), or
 * `undefined` when none is ready within `timeoutMs`.
 *
 * @example
 * ```ts
 * const target = await pickEndpoint(store, { namespace: 'default', service: 'web' });
 * ```
 */
export async function pickEndpoint(store: Store, options: PickEndpointOptions): Promise<ServiceEndpoint | undefined> {
  const { timeoutMs = 0, ...rest } = options ?? ({} as PickEndpointOptions);
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new InvalidError(`pickEndpoint: option "timeoutMs" must be a number >= 0, got ${String(timeoutMs)}`);
  }
  const lb = createLoadBalancer(store, { ...rest, strategy: 'random' });
  try {
    try {
      await (timeoutMs > 0 ? lb.waitForEndpoints({ timeoutMs }) : lb.synced());
    } catch (error) {
      if (!isKeelsonError(error, 'Timeout')) throw error;
    }
    const picked = lb.pick();
    if (picked === undefined) return undefined;
    const { done: _done, ...endpoint } = picked;
    return endpoint;
  } finally {
    lb.close();
  }
}
