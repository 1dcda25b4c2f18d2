import type { Clock } from '@keelson/clock';
import { errorMessage } from './resolveProbe';
import type { ProbeHandler, ProbeOutcome, ProbeTarget, ResolvedProbe } from './types';

/**
 * How often the kubelet runs a probe that errored (`Unknown`) before it
 * gives up on this period: errors are retried at once, failures are not.
 */
export const PROBE_ATTEMPTS = 3;

/**
 * Extra time an `exec` probe gets beyond `timeoutSeconds`: the runtime
 * enforces the command's timeout itself (answering `DeadlineExceeded`), and
 * the kubelet's own deadline on `ExecSync` is the timeout plus its runtime
 * request timeout of 2 minutes.
 */
export const EXEC_RUNTIME_GRACE_MS = 120_000;

/** Options of {@link runProbe}. */
export interface RunProbeOptions {
  clock: Clock;
  /** Aborts the run (the worker stopped): the handler's signal aborts and the outcome is `Unknown`. */
  signal?: AbortSignal;
  /** Set the timeout timer as a background timer (periodic probing is housekeeping). */
  background?: boolean;
}

/** One handler call, cut off by a clock timer after the probe's timeout (a `Failure`). */
function attempt(
  handler: ProbeHandler,
  probe: ResolvedProbe,
  target: ProbeTarget,
  options: RunProbeOptions,
): Promise<ProbeOutcome> {
  const { clock, signal } = options;
  const controller = new AbortController();
  const budgetMs = probe.timeoutSeconds * 1_000 + (probe.handler === 'exec' ? EXEC_RUNTIME_GRACE_MS : 0);
  return new Promise<ProbeOutcome>((resolve) => {
    let settled = false;
    const settle = (outcome: ProbeOutcome) => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(timer);
      signal?.removeEventListener('abort', onStop);
      resolve(outcome);
    };
    const onStop = () => {
      settle({ result: 'Unknown', message: 'probe stopped' });
      controller.abort(new Error('probe stopped'));
    };
    const timer = clock.setTimeout(
      () => {
        settle({ result: 'Failure', message: `timeout: no answer within ${probe.timeoutSeconds}s` });
        controller.abort(new Error('probe timed out'));
      },
      budgetMs,
      { background: options.background === true },
    );
    if (signal?.aborted) {
      onStop();
      return;
    }
    signal?.addEventListener('abort', onStop, { once: true });
    let pending: Promise<ProbeOutcome>;
    try {
      pending = handler(probe, target, controller.signal);
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(settle, (error: unknown) => settle({ result: 'Unknown', message: errorMessage(error) }));
  });
}

/**
 * Runs one probe the way the kubelet's prober does: the handler is cut off
 * after `timeoutSeconds` on the clock (`Failure`), and an errored run
 * (`Unknown`, or a handler that throws) is retried up to
 * {@link PROBE_ATTEMPTS} times in all before `Unknown` is returned.
 */
export async function runProbe(
  handler: ProbeHandler,
  probe: ResolvedProbe,
  target: ProbeTarget,
  options: RunProbeOptions,
): Promise<ProbeOutcome> {
  let outcome: ProbeOutcome = { result: 'Unknown' };
  for (let i = 0; i < PROBE_ATTEMPTS; i++) {
    outcome = await attempt(handler, probe, target, options);
    if (outcome.result !== 'Unknown' || options.signal?.aborted) return outcome;
  }
  return outcome;
}
