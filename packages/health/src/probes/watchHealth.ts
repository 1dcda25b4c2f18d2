import { type Clock, systemClock } from '@keelson/clock';
import { Observable } from 'rxjs';
import { defaultProbeHandlers, type ProbeHandlerOptions } from './createProber';
import { ProbeWorker, probeHandlerFor } from './ProbeWorker';
import { resolveProbe } from './resolveProbe';
import type { Probe, ProbeKind, ProbeResult, ProbeTarget } from './types';

/** A change of an endpoint's health, from {@link watchHealth}. */
export interface HealthTransition {
  /** The reported result is `Success`. */
  readonly healthy: boolean;
  /** The reported result, under the thresholds of the chosen kind. */
  readonly result: ProbeResult;
  /** Clock time (ms) of the probe run that decided it. */
  readonly at: number;
  /** The message of that probe run (e.g. `HTTP probe failed with statuscode: 500`). */
  readonly message?: string;
}

/** Options of {@link watchHealth}. */
export interface WatchHealthOptions extends Omit<ProbeHandlerOptions, 'clock'> {
  /** Default `systemClock`. On a `VirtualClock`, real sockets are tracked so `advance` waits for them. */
  clock?: Clock;
  /**
   * Whose rules to apply (default `readiness`): readiness allows a
   * `successThreshold` above 1 and starts unhealthy; liveness starts
   * healthy and needs `failureThreshold` failures to turn.
   */
  kind?: ProbeKind;
  /**
   * Use background timers (default false): on `systemClock` the watch then
   * does not keep the process alive by itself.
   */
  background?: boolean;
}

/**
 * Watches any HTTP or TCP endpoint (or, with a `runtime` or `grpcChecker`,
 * exec and gRPC ones) with the probe engine's exact rules: the first probe
 * at `initialDelaySeconds`, then every `periodSeconds`, each cut off after
 * `timeoutSeconds`, thresholds counting consecutive results.
 *
 * The first value comes after the first probe run and says where health
 * stands then; after that a value comes only when it changes. With kind
 * `liveness` the watch completes after reporting unhealthy, with `startup`
 * once decided either way, since the kubelet stops such probes then. Each
 * subscription runs its own probes; unsubscribing cancels every timer and
 * closes every socket. Bad probes throw an InvalidError at once.
 *
 * On a `VirtualClock`, real requests are passed through `clock.track`, so
 * `advance` waits for them; an endpoint that accepts but never answers then
 * stalls `advance` (the timeout is virtual), so test such cases on the
 * simulated network or `systemClock`.
 *
 * @example
 * ```ts
 * import { watchHealth } from '@keelson/health';
 *
 * const subscription = watchHealth(
 *   { host: 'localhost' },
 *   { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5, failureThreshold: 2 },
 * ).subscribe(({ healthy, at, message }) => {
 *   console.log(new Date(at).toISOString(), healthy ? 'healthy' : `unhealthy: ${message}`);
 * });
 * // later
 * subscription.unsubscribe();
 * ```
 */
export function watchHealth(
  target: ProbeTarget,
  probe: Probe,
  options: WatchHealthOptions = {},
): Observable<HealthTransition> {
  const clock = options.clock ?? systemClock;
  const kind = options.kind ?? 'readiness';
  const handlers = defaultProbeHandlers({ ...options, clock });
  // Fail now, not at subscription, on a bad probe or one without a usable handler.
  probeHandlerFor(resolveProbe(probe, kind), kind, handlers, target);

  return new Observable<HealthTransition>((subscriber) => {
    let last: ProbeResult | undefined;
    const worker = new ProbeWorker({
      clock,
      kind,
      probe,
      target,
      handlers,
      background: options.background === true,
      onRun: ({ result, at, message }) => {
        if (result === last) return;
        last = result;
        subscriber.next({ healthy: result === 'Success', result, at, ...(message === undefined ? {} : { message }) });
        // A liveness or startup probe stops once decided (the kubelet would kill the container): so does the watch.
        if (!worker.active) subscriber.complete();
      },
    });
    worker.start();
    return () => worker.stop();
  });
}
