/**
 * The probe threshold policy as a pure state machine, after the kubelet's
 * `worker.doProbe`: no clock, no I/O, so every rule is testable from a table
 * of result sequences.
 */
import type { ProbeKind, ProbeResult } from './types';

/** What the policy remembers about one probe of one container. */
export interface ProbeState {
  /** The reported result: what readiness, restarts and the startup gate act on. */
  readonly result: ProbeResult;
  /** The last counted probe result. */
  readonly lastResult: ProbeResult | undefined;
  /** How many times in a row `lastResult` came. */
  readonly run: number;
  /**
   * A liveness or startup probe that reported `Failure` stops probing: the
   * container is about to be killed, and a new container gets a new state.
   */
  readonly onHold: boolean;
}

/** The thresholds a {@link ProbeState} is advanced with (a `ResolvedProbe` fits). */
export interface ThresholdPolicy {
  readonly successThreshold: number;
  readonly failureThreshold: number;
}

/**
 * The result a probe reports before it has counted enough results:
 * readiness `Failure` (not ready until proven), liveness `Success` (alive
 * until proven dead), startup `Unknown`. A container without the probe
 * reports `Success` for good.
 */
export function initialProbeResult(kind: ProbeKind, configured = true): ProbeResult {
  if (!configured) return 'Success';
  if (kind === 'readiness') return 'Failure';
  return kind === 'liveness' ? 'Success' : 'Unknown';
}

/** The state of a probe before its first run. */
export function initialProbeState(kind: ProbeKind, configured = true): ProbeState {
  return { result: initialProbeResult(kind, configured), lastResult: undefined, run: 0, onHold: false };
}

/**
 * Advances `state` by one probe result, with Kubernetes' rules:
 * - `successThreshold` consecutive `Success`es report `Success`, and
 *   `failureThreshold` consecutive `Failure`s report `Failure`; until then
 *   the reported result stays as it was. Any other result breaks the run.
 * - `Unknown` (the probe could not run: a prober error) is thrown away: it
 *   neither counts nor breaks a run.
 * - A liveness or startup probe that reports `Failure` goes on hold (see
 *   {@link ProbeState.onHold}) and later results change nothing.
 *
 * Returns `state` itself when the result is thrown away or the probe is on hold.
 */
export function nextProbeState(
  state: ProbeState,
  observed: ProbeResult,
  policy: ThresholdPolicy,
  kind: ProbeKind,
): ProbeState {
  if (state.onHold || observed === 'Unknown') return state;
  const run = state.lastResult === observed ? state.run + 1 : 1;
  const threshold = observed === 'Success' ? policy.successThreshold : policy.failureThreshold;
  if (run < threshold) return { ...state, lastResult: observed, run };
  if (observed === 'Failure' && kind !== 'readiness') {
    return { result: 'Failure', lastResult: observed, run: 0, onHold: true };
  }
  return { result: observed, lastResult: observed, run, onHold: false };
}

/**
 * The reported results after each of `observed`, from the initial state:
 * the policy in one call, for tests and for explaining a probe's history.
 *
 * @example
 * ```ts
 * reportedResults('readiness', ['Success', 'Failure', 'Failure', 'Failure'], { successThreshold: 1, failureThreshold: 3 });
 * // ['Success', 'Success', 'Success', 'Failure']
 * ```
 */
export function reportedResults(
  kind: ProbeKind,
  observed: readonly ProbeResult[],
  policy: ThresholdPolicy,
): ProbeResult[] {
  let state = initialProbeState(kind);
  return observed.map((result) => {
    state = nextProbeState(state, result, policy, kind);
    return state.result;
  });
}
