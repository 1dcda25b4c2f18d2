/**
 * The resource scoring policies of NodeResourcesFit and
 * NodeResourcesBalancedAllocation, as pure functions over parallel arrays of
 * "requested" (what the node's pods plus the incoming pod ask for) and
 * "allocatable" per configured resource. An allocatable of 0 marks a resource
 * left out for this node (the node lacks it, or the pod does not request an
 * extended resource). Integer arithmetic follows kube-scheduler's int64 math:
 * every division truncates.
 */
import { MAX_NODE_SCORE } from '../framework/types';

/** A resource to score and its weight (`scoringStrategy.resources`, BalancedAllocation's `resources`). */
export interface ResourceSpec {
  readonly name: string;
  readonly weight: number;
}

/** One point of RequestedToCapacityRatio's shape: utilization 0–100 → score 0–10. */
export interface UtilizationShapePoint {
  readonly utilization: number;
  readonly score: number;
}

/** Scores a node from per-resource requested and allocatable amounts (same order as the resources). */
export type ResourceScorer = (requested: ArrayLike<number>, allocatable: ArrayLike<number>) => number;

/** The top score of a RequestedToCapacityRatio shape point (`config.MaxCustomPriorityScore`). */
export const MAX_CUSTOM_PRIORITY_SCORE = 10;

/** The top utilization of a shape point, in percent. */
export const MAX_UTILIZATION = 100;

/**
 * `trunc(a × b / c)` for non-negative integers, exact like Go's int64 math:
 * the float quotient is corrected by its remainder, and products beyond 2^53
 * go through BigInt (only huge byte counts get there).
 */
export function mulDiv(a: number, b: number, c: number): number {
  const product = a * b;
  if (!Number.isSafeInteger(product)) return Number((BigInt(a) * BigInt(b)) / BigInt(c));
  let quotient = Math.floor(product / c);
  const remainder = product - quotient * c;
  if (remainder < 0) quotient -= 1;
  else if (remainder >= c) quotient += 1;
  return quotient;
}

/** LeastAllocated per resource: `(capacity − requested) × 100 / capacity`, 0 when over capacity. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return mulDiv(capacity - requested, MAX_NODE_SCORE, capacity);
}

/**
 * MostAllocated per resource: `requested × 100 / capacity`, with requested
 * capped at capacity (the stand-in requests of pods without requests can
 * push it over).
 */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  return mulDiv(Math.min(requested, capacity), MAX_NODE_SCORE, capacity);
}

function weightedAverage(
  resources: readonly ResourceSpec[],
  perResource: (requested: number, capacity: number) => number,
): ResourceScorer {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      const capacity = allocatable[i] ?? 0;
      if (capacity === 0) continue;
      const weight = resources[i]?.weight ?? 0;
      nodeScore += perResource(requested[i] ?? 0, capacity) * weight;
      weightSum += weight;
    }
    return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  };
}

/** LeastAllocated: the weighted average (truncated) of {@link leastRequestedScore}. */
export function leastAllocatedScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  const weights = resources.map((resource) => resource.weight);
  // Written out rather than through weightedAverage: this runs for every scored node of every pod.
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      const capacity = allocatable[i] as number;
      if (capacity === 0) continue;
      const weight = weights[i] as number;
      const used = requested[i] as number;
      if (used <= capacity) nodeScore += mulDiv(capacity - used, MAX_NODE_SCORE, capacity) * weight;
      weightSum += weight;
    }
    return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  };
}

/** MostAllocated: the weighted average (truncated) of {@link mostRequestedScore}. */
export function mostAllocatedScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  return weightedAverage(resources, mostRequestedScore);
}

/**
 * Kubernetes' broken linear function through the shape's points: the first
 * point's score below it, the last point's above it, straight segments
 * between (integer division, truncating toward zero as Go does).
 */
export function brokenLinearFunction(shape: readonly UtilizationShapePoint[]): (utilization: number) => number {
  const points = shape.map((point) => ({ utilization: point.utilization, score: point.score }));
  return (p) => {
    for (let i = 0; i < points.length; i++) {
      const point = points[i] as UtilizationShapePoint;
      if (p > point.utilization) continue;
      if (i === 0) return point.score;
      const previous = points[i - 1] as UtilizationShapePoint;
      const rise = (point.score - previous.score) * (p - previous.utilization);
      return previous.score + Math.trunc(rise / (point.utilization - previous.utilization));
    }
    return points[points.length - 1]?.score ?? 0;
  };
}

/**
 * RequestedToCapacityRatio: each shape score (0–10) is scaled to 0–100, each
 * resource scored at its utilization `requested × 100 / capacity` (100 when
 * over capacity); resources scoring 0 are left out of the weighted average,
 * which is rounded.
 */
export function requestedToCapacityRatioScorer(
  resources: readonly ResourceSpec[],
  shape: readonly UtilizationShapePoint[],
): ResourceScorer {
  const scale = MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE;
  const raw = brokenLinearFunction(
    shape.map((point) => ({ utilization: point.utilization, score: point.score * scale })),
  );
  const resourceScore = (requested: number, capacity: number): number =>
    capacity === 0 || requested > capacity ? raw(MAX_UTILIZATION) : raw(mulDiv(requested, MAX_UTILIZATION, capacity));
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      const capacity = allocatable[i] ?? 0;
      if (capacity === 0) continue;
      const weight = resources[i]?.weight ?? 0;
      const score = resourceScore(requested[i] ?? 0, capacity);
      if (score > 0) {
        nodeScore += score * weight;
        weightSum += weight;
      }
    }
    return weightSum === 0 ? 0 : Math.round(nodeScore / weightSum);
  };
}

/**
 * BalancedAllocation: `(1 − std) × 100` (truncated) of the fractions
 * requested / allocatable, each capped at 1. For two resources std is
 * `|f1 − f2| / 2`; for more, the population standard deviation; for fewer,
 * 0. The float operations run in kube-scheduler's order, so results agree to
 * the last bit.
 */
export const balancedResourceScorer: ResourceScorer = (requested, allocatable) => {
  let count = 0;
  let total = 0;
  let first = 0;
  let second = 0;
  for (let i = 0; i < requested.length; i++) {
    const fraction = fractionOf(requested[i] ?? 0, allocatable[i] ?? 0);
    if (fraction < 0) continue;
    if (count === 0) first = fraction;
    else if (count === 1) second = fraction;
    total += fraction;
    count++;
  }
  let std = 0;
  if (count === 2) {
    std = Math.abs((first - second) / 2);
  } else if (count > 2) {
    const mean = total / count;
    let sum = 0;
    for (let i = 0; i < requested.length; i++) {
      const fraction = fractionOf(requested[i] ?? 0, allocatable[i] ?? 0);
      if (fraction >= 0) sum = sum + (fraction - mean) * (fraction - mean);
    }
    std = Math.sqrt(sum / count);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
};

/** requested / allocatable capped at 1; −1 for a resource left out (allocatable 0). */
function fractionOf(requested: number, allocatable: number): number {
  if (allocatable === 0) return -1;
  const fraction = requested / allocatable;
  return Math.min(fraction, 1);
}
