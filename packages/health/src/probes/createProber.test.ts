import { describe, expect, it } from 'vitest';
import { createProber } from './createProber';
import { collect, runContainer, START } from './probeTestHarness';
import type { ProbeHandler, ProbeRun, ProbeTransition } from './types';

describe('a liveness probe on the simulated network', () => {
  it('reports Failure exactly failureThreshold × periodSeconds after the container starts failing', async () => {
    // Healthy for its first 30 s, then 500.
    const { clock, containerId, network } = await runContainer({ http: (_path, _port, t) => (t > 30_000 ? 500 : 200) });
    const prober = createProber({ clock });
    const runs: ProbeRun[] = [];
    const probes = prober.probeContainer({
      containerId,
      target: { network },
      livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
      onRun: (run) => runs.push(run),
    });
    const transitions = collect<ProbeTransition>(probes.transitions);

    await clock.advance(59_999);
    expect(transitions).toEqual([]);
    expect(probes.result('liveness')).toBe('Success');
    expect(probes.shouldRestart).toBe(false);
    expect(runs.map((run) => [run.at - START, run.observed])).toEqual([
      [0, 'Success'],
      [10_000, 'Success'],
      [20_000, 'Success'],
      [30_000, 'Success'],
      [40_000, 'Failure'],
      [50_000, 'Failure'],
    ]);

    await clock.advance(1);
    expect(transitions).toEqual([
      {
        kind: 'liveness',
        result: 'Failure',
        at: START + 30_000 + 3 * 10_000,
        message: 'HTTP probe failed with statuscode: 500',
        containerId,
      },
    ]);
    expect(probes.shouldRestart).toBe(true);

    // On hold until a new container: no more probes.
    await clock.advance(100_000);
    expect(runs).toHaveLength(7);
    probes.stop();
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('readiness', () => {
  it('flips to not ready and back, on its thresholds', async () => {
    // 503 from 20 s to 40 s after start.
    const { clock, containerId, network } = await runContainer({
      http: (_path, _port, t) => (t >= 20_000 && t < 40_000 ? 503 : 200),
    });
    const probes = createProber({ clock }).probeContainer({
      containerId,
      target: { network },
      readinessProbe: { httpGet: { port: 80 }, periodSeconds: 5, successThreshold: 2, failureThreshold: 2 },
    });
    const transitions = collect<ProbeTransition>(probes.transitions);
    expect(probes.ready).toBe(false);

    await clock.advance(60_000);
    expect(transitions.map(({ result, at }) => [result, at - START])).toEqual([
      ['Success', 5_000],
      ['Failure', 25_000],
      ['Success', 45_000],
    ]);
    expect(probes.ready).toBe(true);
    expect(probes.shouldRestart).toBe(false);
    probes.stop();
  });

  it('waits out initialDelaySeconds, counted from the container start', async () => {
    const { clock, containerId, network } = await runContainer();
    await clock.advance(10_000);
    const runs: number[] = [];
    createProber({ clock }).probeContainer({
      containerId,
      startedAt: START,
      target: { network },
      readinessProbe: { tcpSocket: { port: 80 }, initialDelaySeconds: 15 },
      onRun: (run) => runs.push(run.at - START),
    });
    await clock.advance(4_999);
    expect(runs).toEqual([]);
    await clock.advance(30_001);
    expect(runs).toEqual([15_000, 25_000, 35_000, 45_000]);
  });
});

describe('the startup probe', () => {
  it('gates liveness and readiness until it succeeds; readiness then probes at once', async () => {
    // Nothing listens for 25 s; afterwards HTTP answers 500.
    const { clock, containerId, network } = await runContainer({ startupMs: 25_000, http: () => 500 });
    const runs: ProbeRun[] = [];
    const probes = createProber({ clock }).probeContainer({
      containerId,
      target: { network },
      startupProbe: { tcpSocket: { port: 8080 }, failureThreshold: 30 },
      readinessProbe: { tcpSocket: { port: 8080 } },
      livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, failureThreshold: 1 },
      onRun: (run) => runs.push(run),
    });
    const transitions = collect<ProbeTransition>(probes.transitions);
    expect(probes.result('startup')).toBe('Unknown');

    await clock.advance(39_999);
    expect(probes.started).toBe(true);
    expect(runs.filter((run) => run.kind === 'liveness')).toEqual([]);
    expect(transitions.map(({ kind, result, at }) => [kind, result, at - START])).toEqual([
      ['startup', 'Success', 30_000],
      ['readiness', 'Success', 30_000],
    ]);

    // Liveness runs from its next period on.
    await clock.advance(1);
    expect(transitions.at(-1)).toMatchObject({ kind: 'liveness', result: 'Failure', at: START + 40_000 });
    expect(probes.shouldRestart).toBe(true);
    probes.stop();
  });

  it('asks for a restart after failureThreshold failures, and liveness and readiness never run', async () => {
    const { clock, containerId, network } = await runContainer({ startupMs: 3_600_000 });
    const runs: ProbeRun[] = [];
    const probes = createProber({ clock }).probeContainer({
      containerId,
      target: { network },
      startupProbe: { httpGet: { port: 80 }, periodSeconds: 5, failureThreshold: 4 },
      readinessProbe: { httpGet: { port: 80 } },
      livenessProbe: { httpGet: { port: 80 } },
      onRun: (run) => runs.push(run),
    });
    const transitions = collect<ProbeTransition>(probes.transitions);
    await clock.advance(60_000);
    expect(transitions).toEqual([expect.objectContaining({ kind: 'startup', result: 'Failure', at: START + 15_000 })]);
    expect(transitions[0]?.message).toMatch(/ECONNREFUSED|nothing listens/);
    expect(probes.shouldRestart).toBe(true);
    expect(probes.ready).toBe(false);
    expect(new Set(runs.map((run) => run.kind))).toEqual(new Set(['startup']));
    probes.stop();
  });
});

describe('timeouts', () => {
  it('count as Failure at exactly timeoutSeconds after the probe began', async () => {
    const { clock, runtime, containerId, network } = await runContainer();
    const probes = createProber({ clock }).probeContainer({
      containerId,
      target: { network },
      livenessProbe: { httpGet: { port: 80 }, timeoutSeconds: 2, failureThreshold: 1 },
    });
    const transitions = collect<ProbeTransition>(probes.transitions);
    await clock.advance(15_000);
    runtime.faults.hang(containerId);
    await clock.advance(6_999);
    expect(transitions).toEqual([]);
    await clock.advance(1);
    expect(transitions).toEqual([
      { kind: 'liveness', result: 'Failure', at: START + 22_000, message: 'timeout: no answer within 2s', containerId },
    ]);
    probes.stop();
  });

  it('cut off a handler that never answers, and stopping aborts it', async () => {
    const { clock, containerId } = await runContainer();
    const signals: AbortSignal[] = [];
    const never: ProbeHandler = (_probe, _target, signal) => {
      signals.push(signal);
      return new Promise(() => {});
    };
    const probes = createProber({ clock, handlers: { tcpSocket: never } }).probeContainer({
      containerId,
      readinessProbe: { tcpSocket: { port: 80 }, timeoutSeconds: 3, periodSeconds: 5, failureThreshold: 1 },
    });
    const runs = collect<ProbeRun>(probes.runs);
    await clock.advance(3_000);
    expect(runs).toEqual([expect.objectContaining({ observed: 'Failure', result: 'Failure', at: START + 3_000 })]);
    expect(signals[0]?.aborted).toBe(true);
    await clock.advance(2_000);
    expect(signals).toHaveLength(2);
    probes.stop();
    expect(signals[1]?.aborted).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('shutdown and exit', () => {
  it('reports liveness Success while terminating, and Failure for every kind once the container exits', async () => {
    const { clock, containerId, network } = await runContainer({ http: () => 500 });
    const probes = createProber({ clock }).probeContainer({
      containerId,
      target: { network },
      readinessProbe: { tcpSocket: { port: 80 } },
      livenessProbe: { httpGet: { port: 80 } },
    });
    const transitions = collect<ProbeTransition>(probes.transitions);
    await clock.advance(0);
    probes.terminating();
    await clock.advance(60_000);
    expect(probes.result('liveness')).toBe('Success');
    expect(probes.ready).toBe(true);
    probes.containerExited();
    expect(transitions.map(({ kind, result }) => [kind, result])).toEqual([
      ['readiness', 'Success'],
      ['readiness', 'Failure'],
      ['liveness', 'Failure'],
    ]);
    probes.stop();
  });
});
