/**
 * How a load balancer chooses among the endpoints in its rotation: pure
 * policies over the sorted rotation and the number of requests each
 * endpoint has in flight.
 */
import type { Random } from '@keelson/clock';
import { compareEndpoints, endpointId, type ServiceEndpoint } from './rotation';

/** The ways to choose an endpoint. */
export const LOAD_BALANCING_STRATEGIES = ['round-robin', 'random', 'least-outstanding'] as const;
/** One of {@link LOAD_BALANCING_STRATEGIES}. */
export type LoadBalancingStrategy = (typeof LOAD_BALANCING_STRATEGIES)[number];

/** Chooses one endpoint of a non-empty, sorted rotation. */
export interface EndpointChooser {
  choose(rotation: readonly ServiceEndpoint[], inFlight: (id: string) => number): ServiceEndpoint;
}

/**
 * The first endpoint after `last` in rotation order, wrapping around. Going
 * by order rather than by index keeps the turn fair when endpoints join or
 * leave: nobody is skipped or served twice in a row because the list moved.
 */
function nextAfter(candidates: readonly ServiceEndpoint[], last: ServiceEndpoint | undefined): ServiceEndpoint {
  const first = candidates[0] as ServiceEndpoint;
  if (last === undefined) return first;
  let lo = 0;
  let hi = candidates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareEndpoints(candidates[mid] as ServiceEndpoint, last) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return candidates[lo] ?? first;
}

/** Each endpoint in turn, in rotation order. */
export function roundRobin(): EndpointChooser {
  let last: ServiceEndpoint | undefined;
  return {
    choose(rotation) {
      last = nextAfter(rotation, last);
      return last;
    },
  };
}

/** A uniformly random endpoint, drawn from `random` (seeded in tests for reproducible runs). */
export function randomChoice(random: Random): EndpointChooser {
  return { choose: (rotation) => rotation[random.int(rotation.length)] as ServiceEndpoint };
}

/**
 * The endpoint with the fewest requests in flight (picked and not yet
 * `done()`); ties go round-robin, so an idle pool still spreads load.
 */
export function leastOutstanding(): EndpointChooser {
  let last: ServiceEndpoint | undefined;
  return {
    choose(rotation, inFlight) {
      let fewest = Number.POSITIVE_INFINITY;
      let tied: ServiceEndpoint[] = [];
      for (const endpoint of rotation) {
        const count = inFlight(endpointId(endpoint));
        if (count < fewest) {
          fewest = count;
          tied = [endpoint];
        } else if (count === fewest) tied.push(endpoint);
      }
      last = nextAfter(tied, last);
      return last;
    },
  };
}
