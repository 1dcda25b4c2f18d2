import type { Clock, TimerHandle } from '@keelson/clock';
import { InvalidError } from '@keelson/core';
import { type Observable, Subject } from 'rxjs';
import { probeField, resolveProbe } from './resolveProbe';
import { runProbe } from './runProbe';
import { initialProbeState, nextProbeState, type ProbeState } from './thresholds';
import type {
  Probe,
  ProbeHandler,
  ProbeHandlers,
  ProbeKind,
  ProbeOutcome,
  ProbeResult,
  ProbeRun,
  ProbeTarget,
  ProbeTransition,
  ResolvedProbe,
} from './types';

/** Options of a {@link ProbeWorker}. */
export interface ProbeWorkerOptions {
  /** Every timer (period, initial delay, timeout) runs on it. */
  clock: Clock;
  kind: ProbeKind;
  /** The container's probe of this kind; without one the worker reports `Success` and never probes. */
  probe: Probe | undefined;
  target: ProbeTarget;
  /** The handlers to probe with; the probe's action must have one. */
  handlers: ProbeHandlers;
  /** When the container started, in clock ms (default: now); `initialDelaySeconds` counts from it. */
  startedAt?: number;
  /** The startup gate: while it returns false a liveness or readiness worker skips its probes. */
  isStarted?: () => boolean;
  /** Called on every change of the reported result. */
  onTransition?: (transition: ProbeTransition) => void;
  /** Called after every probe run, counted or not (the kubelet records an `Unhealthy` event per failed run). */
  onRun?: (run: ProbeRun) => void;
  /** Timers are background timers (default true): periodic probing never keeps `runUntilIdle` from returning. */
  background?: boolean;
}

/** The handler for `probe`, or an InvalidError saying what to pass. @internal */
export function probeHandlerFor(probe: ResolvedProbe, kind: ProbeKind, handlers: ProbeHandlers, target: ProbeTarget) {
  const field = `${probeField(kind)}.${probe.handler}`;
  const handler: ProbeHandler | undefined = handlers[probe.handler];
  if (handler === undefined) {
    const hint = probe.handler === 'exec' ? 'a runtime' : probe.handler === 'grpc' ? 'a grpcChecker' : 'a handler';
    throw new InvalidError(`${field}: no ${probe.handler} handler is configured; pass ${hint} to the prober`);
  }
  const needsContainer = probe.handler === 'exec' || (probe.handler !== 'grpc' && target.network !== undefined);
  if (needsContainer && !target.containerId) {
    throw new InvalidError(`target.containerId: required for ${field} (exec and simulated-network probes)`);
  }
  return handler;
}

/**
 * Runs one probe of one container on the clock, with the kubelet worker's
 * semantics: the first probe at `startedAt + initialDelaySeconds`, then one
 * every `periodSeconds` (a period that comes while a probe is still running
 * runs right after it, once); each result goes through the threshold policy
 * ({@link nextProbeState}); a liveness or startup worker stops after
 * reporting `Failure` (the container is to be killed), a startup worker
 * after reporting `Success`. A thin shell: the policy lives in
 * `thresholds.ts`, the probing in the handlers.
 */
export class ProbeWorker {
  readonly kind: ProbeKind;
  /** The probe with defaults applied, or undefined when the container has none of this kind. */
  readonly probe: ResolvedProbe | undefined;
  /** Changes of the reported result. Completes on {@link ProbeWorker.stop}. */
  readonly transitions: Observable<ProbeTransition>;
  /** Every finished probe run. Completes on {@link ProbeWorker.stop}. */
  readonly runs: Observable<ProbeRun>;

  private readonly options: ProbeWorkerOptions;
  private readonly handler: ProbeHandler | undefined;
  private readonly transitionSubject = new Subject<ProbeTransition>();
  private readonly runSubject = new Subject<ProbeRun>();
  private state: ProbeState;
  private message: string | undefined;
  private phase: 'idle' | 'probing' | 'done' | 'stopped' = 'idle';
  private startedAt = 0;
  private nextAt = 0;
  private timer: TimerHandle | undefined;
  private inFlight: AbortController | undefined;
  private rerun = false;

  /** Validates the probe; throws InvalidError naming the bad field. Call {@link ProbeWorker.start} to begin. */
  constructor(options: ProbeWorkerOptions) {
    this.options = options;
    this.kind = options.kind;
    this.probe = options.probe === undefined ? undefined : resolveProbe(options.probe, options.kind);
    this.handler = this.probe && probeHandlerFor(this.probe, this.kind, options.handlers, options.target);
    this.state = initialProbeState(this.kind, this.probe !== undefined);
    this.transitions = this.transitionSubject.asObservable();
    this.runs = this.runSubject.asObservable();
  }

  /** The reported result: the initial one until the thresholds say otherwise. */
  get result(): ProbeResult {
    return this.state.result;
  }

  /** The message of the last probe run. */
  get lastMessage(): string | undefined {
    return this.message;
  }

  /** Whether the worker will still probe (started, not stopped, not finished). */
  get active(): boolean {
    return this.phase === 'probing' && this.probe !== undefined;
  }

  /** Starts probing: at once if the initial delay is over, else when it is. Idempotent. */
  start(): void {
    if (this.phase !== 'idle') return;
    this.phase = 'probing';
    const probe = this.probe;
    if (probe === undefined) return;
    const now = this.options.clock.now();
    this.startedAt = this.options.startedAt ?? now;
    this.nextAt = Math.max(now, this.startedAt + probe.initialDelaySeconds * 1_000);
    if (this.nextAt <= now) this.tick();
    else this.schedule();
  }

  /**
   * Probes now, outside the period (the kubelet does this for readiness
   * once the container has started). The period's own schedule is unchanged.
   */
  trigger(): void {
    if (this.active) this.probeNow();
  }

  /**
   * The pod is being deleted: a liveness or startup worker reports `Success`
   * (so the container is not killed mid-shutdown) and stops probing; a
   * readiness worker goes on.
   */
  terminating(): void {
    if (this.kind === 'readiness' || this.phase === 'stopped') return;
    this.finish();
    this.report('Success', 'pod is terminating');
  }

  /** The container is no longer running: a configured probe reports `Failure`, and probing ends. */
  containerExited(): void {
    if (this.phase === 'stopped') return;
    this.finish();
    this.report('Failure', 'container is not running');
  }

  /** Stops for good: cancels timers, aborts a probe in flight, completes the observables. Idempotent. */
  stop(): void {
    if (this.phase === 'stopped') return;
    this.finish();
    this.phase = 'stopped';
    this.transitionSubject.complete();
    this.runSubject.complete();
  }

  private schedule(): void {
    const { clock, background = true } = this.options;
    this.timer = clock.setTimeout(this.tick, this.nextAt - clock.now(), { background });
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    const periodMs = (this.probe?.periodSeconds ?? 10) * 1_000;
    const now = this.options.clock.now();
    // Like Go's ticker, a late tick is not made up for: the next one keeps the phase.
    do this.nextAt += periodMs;
    while (this.nextAt <= now);
    this.schedule();
    this.probeNow();
  };

  private probeNow(): void {
    const { probe, handler } = this;
    if (probe === undefined || handler === undefined || this.phase !== 'probing') return;
    if (this.inFlight !== undefined) {
      this.rerun = true;
      return;
    }
    const { clock, target, isStarted, background = true } = this.options;
    if (clock.now() - this.startedAt < probe.initialDelaySeconds * 1_000) return;
    if (this.kind !== 'startup' && isStarted !== undefined && !isStarted()) return;
    const controller = new AbortController();
    this.inFlight = controller;
    const began = clock.now();
    void runProbe(handler, probe, target, { clock, signal: controller.signal, background }).then((outcome) => {
      this.inFlight = undefined;
      if (this.phase !== 'probing') return;
      this.record(probe, outcome, began);
      if (this.rerun) {
        this.rerun = false;
        this.probeNow();
      }
    });
  }

  private record(probe: ResolvedProbe, outcome: ProbeOutcome, began: number): void {
    const before = this.state;
    this.state = nextProbeState(before, outcome.result, probe, this.kind);
    this.message = outcome.message;
    if (this.state.onHold || (this.kind === 'startup' && this.state.result === 'Success')) this.finish();
    if (this.state.result !== before.result) this.emitTransition(outcome.message);
    const run: ProbeRun = {
      kind: this.kind,
      observed: outcome.result,
      result: this.state.result,
      at: this.options.clock.now(),
      durationMs: this.options.clock.now() - began,
      ...this.extras(outcome.message),
    };
    this.options.onRun?.(run);
    this.runSubject.next(run);
  }

  /** Sets the reported result from outside the policy (shutdown, exit). */
  private report(result: ProbeResult, message: string): void {
    // Without a probe there is no worker in the kubelet, and nothing to report.
    if (this.probe === undefined || this.state.result === result) return;
    this.state = { ...this.state, result };
    this.message = message;
    this.emitTransition(message);
  }

  private emitTransition(message: string | undefined): void {
    const transition: ProbeTransition = {
      kind: this.kind,
      result: this.state.result,
      at: this.options.clock.now(),
      ...this.extras(message),
    };
    this.options.onTransition?.(transition);
    this.transitionSubject.next(transition);
  }

  private extras(message: string | undefined): { message?: string; containerId?: string } {
    const containerId = this.options.target.containerId;
    return {
      ...(message === undefined ? {} : { message }),
      ...(containerId === undefined ? {} : { containerId }),
    };
  }

  /** Ends probing but keeps the reported result and the observables open. */
  private finish(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight?.abort();
    this.inFlight = undefined;
    this.rerun = false;
    if (this.phase !== 'stopped') this.phase = 'done';
  }
}
