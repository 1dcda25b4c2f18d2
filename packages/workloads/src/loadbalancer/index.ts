/** In-process load balancing over a Service's ready endpoints. */
export type {
  LoadBalancer,
  LoadBalancerOptions,
  PickedEndpoint,
} from './createLoadBalancer';
export { createLoadBalancer, LoadBalancerClosedError } from './createLoadBalancer';
export type { PickEndpointOptions } from './pickEndpoint';
export { pickEndpoint } from './pickEndpoint';
export type { ServiceEndpoint, SlicePort } from './rotation';
export { compareEndpoints, resolveSlicePort, rotationOf } from './rotation';
export type { EndpointChooser, LoadBalancingStrategy } from './strategies';
export { LOAD_BALANCING_STRATEGIES, leastOutstanding, randomChoice, roundRobin } from './strategies';
