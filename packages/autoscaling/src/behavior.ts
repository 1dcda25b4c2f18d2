/**
 * From the replicas the metrics ask for to the replicas an autoscaler sets
 * (podautoscaler/horizontal.go): stabilization over recent recommendations,
 * then the rate limits — Kubernetes' fixed ones without `behavior`, the
 * scaling policies with it.
 */

/** One direction's rules, as the HorizontalPodAutoscaler kind defaults them. */
export interface ScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: 'Max' | 'Min' | 'Disabled';
  policies?: readonly { type: 'Pods' | 'Percent'; value: number; periodSeconds: number }[];
}

/** What an autoscaler remembers between syncs. */
export interface ScalingHistory {
  recommendations: { at: number; replicas: number }[];
  scaleUpEvents: { at: number; change: number }[];
  scaleDownEvents: { at: number; change: number }[];
}

/** A decision and why, as a condition reason and message. */
export interface Decision {
  replicas: number;
  reason: string;
  message: string;
}

/** Kubernetes' default `--horizontal-pod-autoscaler-downscale-stabilization`. */
export const DEFAULT_DOWNSCALE_STABILIZATION_MS = 300_000;
/** Without `behavior`, a scale-up goes at most to max(2 × current, 4). */
export const SCALE_UP_LIMIT_FACTOR = 2;
export const SCALE_UP_LIMIT_MINIMUM = 4;

export const emptyHistory = (): ScalingHistory => ({ recommendations: [], scaleUpEvents: [], scaleDownEvents: [] });

const STABILIZED_DOWN = {
  reason: 'ScaleDownStabilized',
  message: 'recent recommendations were higher than current one, applying the highest recent recommendation',
};
const STABILIZED_UP = {
  reason: 'ScaleUpStabilized',
  message: 'recent recommendations were lower than current one, applying the lowest recent recommendation',
};
const READY = { reason: 'ReadyForNewScale', message: 'recommended size matches current size' };

function remember(history: ScalingHistory, desired: number, now: number, keepMs: number): void {
  history.recommendations = history.recommendations.filter((r) => r.at > now - keepMs);
  history.recommendations.push({ at: now, replicas: desired });
}

/** Without `behavior`: the highest recommendation of the last 5 minutes (scale-downs wait, scale-ups do not). */
export function stabilize(
  history: ScalingHistory,
  desired: number,
  now: number,
  windowMs = DEFAULT_DOWNSCALE_STABILIZATION_MS,
): Decision {
  let replicas = desired;
  for (const r of history.recommendations) if (r.at > now - windowMs && r.replicas > replicas) replicas = r.replicas;
  remember(history, desired, now, windowMs);
  return { replicas, ...(replicas === desired ? READY : STABILIZED_DOWN) };
}

/**
 * With `behavior`: a scale-up only to the lowest recommendation of its
 * window, a scale-down only to the highest of its window.
 */
export function stabilizeWithBehavior(
  history: ScalingHistory,
  input: { current: number; desired: number; now: number; scaleUp: ScalingRules; scaleDown: ScalingRules },
): Decision {
  const upWindow = (input.scaleUp.stabilizationWindowSeconds ?? 0) * 1000;
  const downWindow = (input.scaleDown.stabilizationWindowSeconds ?? DEFAULT_DOWNSCALE_STABILIZATION_MS / 1000) * 1000;
  let up = input.desired;
  let down = input.desired;
  for (const r of history.recommendations) {
    if (r.at > input.now - upWindow) up = Math.min(up, r.replicas);
    if (r.at > input.now - downWindow) down = Math.max(down, r.replicas);
  }
  let replicas = input.current;
  if (replicas < up) replicas = up;
  if (replicas > down) replicas = down;
  remember(history, input.desired, input.now, Math.max(upWindow, downWindow));
  if (replicas === input.desired) return { replicas, ...READY };
  return { replicas, ...(replicas < input.desired ? STABILIZED_UP : STABILIZED_DOWN) };
}

const WITHIN = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
const TOO_FEW = {
  reason: 'TooFewReplicas',
  message: 'the desired replica count is less than the minimum replica count',
};
const TOO_MANY = {
  reason: 'TooManyReplicas',
  message: 'the desired replica count is more than the maximum replica count',
};
const UP_LIMIT = {
  reason: 'ScaleUpLimit',
  message: 'the desired replica count is increasing faster than the maximum scale rate',
};
const DOWN_LIMIT = {
  reason: 'ScaleDownLimit',
  message: 'the desired replica count is decreasing faster than the maximum scale rate',
};

/** Without `behavior`: within min and max, and a scale-up to at most max(2 × current, 4). */
export function limit(input: { current: number; desired: number; min: number; max: number }): Decision {
  const upLimit = Math.max(SCALE_UP_LIMIT_FACTOR * input.current, SCALE_UP_LIMIT_MINIMUM);
  const [maximum, why] = input.max > upLimit ? [upLimit, UP_LIMIT] : [input.max, TOO_MANY];
  if (input.desired < input.min) return { replicas: input.min, ...TOO_FEW };
  if (input.desired > maximum) return { replicas: maximum, ...why };
  return { replicas: input.desired, ...WITHIN };
}

function changeInPeriod(events: readonly { at: number; change: number }[], periodSeconds: number, now: number): number {
  const cutoff = now - periodSeconds * 1000;
  return events.filter((e) => e.at > cutoff).reduce((sum, e) => sum + e.change, 0);
}

/**
 * The limit a direction's policies put on the next scale: each policy's
 * proposal from the replicas at the start of its period (undoing the scaling
 * done within it); `Max` takes the proposal allowing the largest change,
 * `Min` the smallest, `Disabled` allows none.
 */
function policyLimit(
  history: ScalingHistory,
  current: number,
  rules: ScalingRules,
  now: number,
  direction: 'up' | 'down',
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = (rules.policies ?? []).map((policy) => {
    const start =
      current -
      changeInPeriod(history.scaleUpEvents, policy.periodSeconds, now) +
      changeInPeriod(history.scaleDownEvents, policy.periodSeconds, now);
    if (direction === 'up') {
      return policy.type === 'Pods' ? start + policy.value : Math.ceil(start * (1 + policy.value / 100));
    }
    return policy.type === 'Pods' ? start - policy.value : Math.trunc(start * (1 - policy.value / 100));
  });
  if (proposals.length === 0) return current;
  const largestChange = (rules.selectPolicy ?? 'Max') === 'Max';
  return largestChange === (direction === 'up') ? Math.max(...proposals) : Math.min(...proposals);
}

/** Kubernetes' `calculateScaleUpLimitWithScalingRules`. */
export function scaleUpLimit(history: ScalingHistory, current: number, rules: ScalingRules, now: number): number {
  return policyLimit(history, current, rules, now, 'up');
}

/** Kubernetes' `calculateScaleDownLimitWithBehaviors`. */
export function scaleDownLimit(history: ScalingHistory, current: number, rules: ScalingRules, now: number): number {
  return policyLimit(history, current, rules, now, 'down');
}

/** With `behavior`: within min and max, and no faster than the policies allow. */
export function limitWithBehavior(
  history: ScalingHistory,
  input: {
    current: number;
    desired: number;
    min: number;
    max: number;
    scaleUp: ScalingRules;
    scaleDown: ScalingRules;
    now: number;
  },
): Decision {
  const { current, desired } = input;
  if (desired > current) {
    const upTo = Math.max(current, scaleUpLimit(history, current, input.scaleUp, input.now));
    const [maximum, why] = input.max > upTo ? [upTo, UP_LIMIT] : [input.max, TOO_MANY];
    if (desired > maximum) return { replicas: maximum, ...why };
  } else if (desired < current) {
    const downTo = Math.min(current, scaleDownLimit(history, current, input.scaleDown, input.now));
    const [minimum, why] = input.min < downTo ? [downTo, DOWN_LIMIT] : [input.min, TOO_FEW];
    if (desired < minimum) return { replicas: minimum, ...why };
  }
  return { replicas: desired, ...WITHIN };
}

/** Records a change of scale for the policies, dropping events older than the longest policy period. */
export function recordScaleEvent(
  history: ScalingHistory,
  from: number,
  to: number,
  now: number,
  rules: { scaleUp?: ScalingRules; scaleDown?: ScalingRules },
): void {
  const longest = (r?: ScalingRules) => Math.max(0, ...(r?.policies ?? []).map((p) => p.periodSeconds)) * 1000;
  history.scaleUpEvents = history.scaleUpEvents.filter((e) => e.at > now - longest(rules.scaleUp));
  history.scaleDownEvents = history.scaleDownEvents.filter((e) => e.at > now - longest(rules.scaleDown));
  if (to > from) history.scaleUpEvents.push({ at: now, change: to - from });
  else if (to < from) history.scaleDownEvents.push({ at: now, change: from - to });
}
