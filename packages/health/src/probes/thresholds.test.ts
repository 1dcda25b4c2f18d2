import { describe, expect, it } from 'vitest';
import { initialProbeResult, initialProbeState, nextProbeState, reportedResults } from './thresholds';
import type { ProbeKind, ProbeResult } from './types';

const S: ProbeResult = 'Success';
const F: ProbeResult = 'Failure';
const U: ProbeResult = 'Unknown';

describe('initial results', () => {
  it('are Failure for readiness, Success for liveness, Unknown for startup, Success without a probe', () => {
    expect(initialProbeResult('readiness')).toBe('Failure');
    expect(initialProbeResult('liveness')).toBe('Success');
    expect(initialProbeResult('startup')).toBe('Unknown');
    for (const kind of ['readiness', 'liveness', 'startup'] as const) {
      expect(initialProbeResult(kind, false)).toBe('Success');
    }
  });
});

describe('threshold counting', () => {
  const table: Array<[string, ProbeKind, number, number, ProbeResult[], ProbeResult[]]> = [
    ['readiness: one success is enough by default', 'readiness', 1, 3, [S], [S]],
    ['readiness: failures below the threshold change nothing', 'readiness', 1, 3, [S, F, F], [S, S, S]],
    ['readiness: the third failure in a row flips', 'readiness', 1, 3, [S, F, F, F], [S, S, S, F]],
    ['readiness: a success breaks a run of failures', 'readiness', 1, 3, [S, F, F, S, F, F, F], [S, S, S, S, S, S, F]],
    ['readiness: successThreshold 2 needs two in a row', 'readiness', 2, 1, [S, F, S, S], [F, F, F, S]],
    ['readiness: flips back after failing', 'readiness', 2, 2, [S, S, F, F, S, S], [F, S, S, F, F, S]],
    ['readiness: Unknown neither counts nor breaks a run', 'readiness', 1, 3, [S, F, U, F, U, F], [S, S, S, S, S, F]],
    ['readiness: keeps probing after Failure', 'readiness', 1, 1, [F, S, F], [F, S, F]],
    ['liveness: starts Success, fails on the threshold', 'liveness', 1, 3, [F, F, F], [S, S, F]],
    ['liveness: on hold after Failure, later successes change nothing', 'liveness', 1, 1, [S, F, S, S], [S, F, F, F]],
    ['startup: Unknown until the first success', 'startup', 1, 3, [F, F, S], [U, U, S]],
    ['startup: failureThreshold failures in a row fail it', 'startup', 1, 3, [F, F, F, S], [U, U, F, F]],
    ['startup: only Unknown keeps it Unknown', 'startup', 1, 1, [U, U, U], [U, U, U]],
  ];

  it.each(table)('%s', (_name, kind, successThreshold, failureThreshold, observed, reported) => {
    expect(reportedResults(kind, observed, { successThreshold, failureThreshold })).toEqual(reported);
  });

  it('puts liveness and startup on hold after Failure, never readiness', () => {
    const policy = { successThreshold: 1, failureThreshold: 1 };
    for (const kind of ['liveness', 'startup'] as const) {
      const state = nextProbeState(initialProbeState(kind), F, policy, kind);
      expect(state).toEqual({ result: F, lastResult: F, run: 0, onHold: true });
      expect(nextProbeState(state, S, policy, kind)).toBe(state);
    }
    expect(nextProbeState(initialProbeState('readiness'), F, policy, 'readiness').onHold).toBe(false);
  });

  it('returns the state itself for a thrown-away result', () => {
    const state = initialProbeState('readiness');
    expect(nextProbeState(state, U, { successThreshold: 1, failureThreshold: 3 }, 'readiness')).toBe(state);
  });
});
