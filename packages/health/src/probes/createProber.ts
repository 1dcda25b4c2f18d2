import { type Clock, systemClock } from '@keelson/clock';
import type { RuntimeService } from '@keelson/cri';
import { merge, type Observable } from 'rxjs';
import { createExecHandler } from './exec';
import { createGrpcHandler } from './grpc';
import { createHttpGetHandler } from './httpGet';
import { ProbeWorker } from './ProbeWorker';
import { resolveProbe } from './resolveProbe';
import { createTcpSocketHandler } from './tcpSocket';
import type {
  GrpcHealthChecker,
  Probe,
  ProbeHandlers,
  ProbeKind,
  ProbeResult,
  ProbeRun,
  ProbeTarget,
  ProbeTransition,
} from './types';

/** What the handlers need; see {@link defaultProbeHandlers}. */
export interface ProbeHandlerOptions {
  /** Default `systemClock`. Real sockets are passed through `clock.track`. */
  clock?: Clock;
  /** The CRI runtime for `exec` probes (only `execSync` is used). Without it, exec probes are refused. */
  runtime?: Pick<RuntimeService, 'execSync'>;
  /** The gRPC health client for `grpc` probes. Without it, grpc probes are refused. */
  grpcChecker?: GrpcHealthChecker;
  /** Replace or add handlers (e.g. an `httpGet` through a proxy); they win over the defaults. */
  handlers?: ProbeHandlers;
}

/** The built-in handlers: real `httpGet` and `tcpSocket`, plus `exec` and `grpc` when their dependency is given. */
export function defaultProbeHandlers(options: ProbeHandlerOptions = {}): ProbeHandlers {
  const clock = options.clock ?? systemClock;
  return {
    httpGet: createHttpGetHandler({ clock }),
    tcpSocket: createTcpSocketHandler({ clock }),
    ...(options.runtime === undefined ? {} : { exec: createExecHandler({ runtime: options.runtime }) }),
    ...(options.grpcChecker === undefined ? {} : { grpc: createGrpcHandler({ checker: options.grpcChecker }) }),
    ...options.handlers,
  };
}

/** Options of {@link createProber}. */
export type ProberOptions = ProbeHandlerOptions;

/** One container to probe: its id, where its probes go, and its three probes. */
export interface ContainerProbeOptions {
  containerId: string;
  /** When the container started, in clock ms (default: now). `initialDelaySeconds` counts from it. */
  startedAt?: number;
  /** Pod IP, named ports, simulated network (the container id is added). */
  target?: Omit<ProbeTarget, 'containerId'>;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  /** Called on every change of a reported result. */
  onTransition?: (transition: ProbeTransition) => void;
  /** Called after every probe run (for `Unhealthy` events). */
  onRun?: (run: ProbeRun) => void;
}

/**
 * The probes of one running container (one container id: a restarted
 * container gets a new `ContainerProbes`, with fresh initial results, as
 * the kubelet's results are kept per container id).
 */
export interface ContainerProbes {
  readonly containerId: string;
  /** Every worker's result changes, in order. Completes on {@link ContainerProbes.stop}. */
  readonly transitions: Observable<ProbeTransition>;
  /** Every probe run of every worker. Completes on {@link ContainerProbes.stop}. */
  readonly runs: Observable<ProbeRun>;
  /** The reported result of one kind (`Success` when the container has no such probe). */
  result(kind: ProbeKind): ProbeResult;
  /** The worker of one kind, for its probe and state. */
  worker(kind: ProbeKind): ProbeWorker;
  /** The startup probe has succeeded (or there is none): liveness and readiness probes run. */
  readonly started: boolean;
  /** Started and the readiness result is `Success`: the container's `ready`. */
  readonly ready: boolean;
  /**
   * The liveness or startup probe reported `Failure`: kill the container and
   * restart it per the pod's `restartPolicy`, as the kubelet does.
   */
  readonly shouldRestart: boolean;
  /** Runs a probe of `kind` now, outside its period. */
  trigger(kind: ProbeKind): void;
  /** The pod is being deleted: liveness and startup report `Success` and stop; readiness goes on. */
  terminating(): void;
  /** The container stopped running: every configured probe reports `Failure` and probing ends. */
  containerExited(): void;
  /** Stops every timer and socket of this container. Idempotent. */
  stop(): void;
}

/** Probes containers; what the node agent holds. */
export interface Prober {
  /**
   * Starts the probes of a running container. Validates all three probes
   * first (InvalidError naming the field, e.g.
   * `livenessProbe.successThreshold`), so nothing runs on bad input.
   */
  probeContainer(options: ContainerProbeOptions): ContainerProbes;
  /** Stops the probes of every container. */
  stop(): void;
}

const KINDS: readonly ProbeKind[] = ['startup', 'readiness', 'liveness'];

/**
 * The probe engine, with the kubelet's semantics: per container, a worker
 * per kind; the startup probe gates liveness and readiness (they skip their
 * periods until it reports `Success`, and readiness probes at once then);
 * thresholds count consecutive results; a liveness or startup `Failure`
 * asks for a restart.
 *
 * @example
 * ```ts
 * const prober = createProber({ clock, runtime });
 * const probes = prober.probeContainer({
 *   containerId,
 *   target: { host: podIP, ports: { http: 8080 } },
 *   livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
 *   readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 5 },
 * });
 * probes.transitions.subscribe(({ kind, result }) => {
 *   if (probes.shouldRestart) killAndRestart(containerId);
 * });
 * ```
 */
export function createProber(options: ProberOptions = {}): Prober {
  const clock = options.clock ?? systemClock;
  const handlers = defaultProbeHandlers({ ...options, clock });
  const live = new Set<ContainerProbes>();

  function probeContainer(container: ContainerProbeOptions): ContainerProbes {
    const specs: Record<ProbeKind, Probe | undefined> = {
      startup: container.startupProbe,
      readiness: container.readinessProbe,
      liveness: container.livenessProbe,
    };
    for (const kind of KINDS) {
      const spec = specs[kind];
      if (spec !== undefined) resolveProbe(spec, kind);
    }
    const target: ProbeTarget = { ...container.target, containerId: container.containerId };
    const startedAt = container.startedAt ?? clock.now();
    const make = (kind: ProbeKind) =>
      new ProbeWorker({
        clock,
        kind,
        probe: specs[kind],
        target,
        handlers,
        startedAt,
        isStarted: () => workers.startup.result === 'Success',
        ...(container.onRun === undefined ? {} : { onRun: container.onRun }),
        onTransition: (transition) => {
          container.onTransition?.(transition);
          // The kubelet syncs the pod when startup succeeds, and that sync runs a pending readiness probe.
          if (transition.kind === 'startup' && transition.result === 'Success') workers.readiness.trigger();
        },
      });
    const workers: Record<ProbeKind, ProbeWorker> = {
      startup: make('startup'),
      readiness: make('readiness'),
      liveness: make('liveness'),
    };
    const all = KINDS.map((kind) => workers[kind]);
    const probes: ContainerProbes = {
      containerId: container.containerId,
      transitions: merge(...all.map((w) => w.transitions)),
      runs: merge(...all.map((w) => w.runs)),
      result: (kind) => workers[kind].result,
      worker: (kind) => workers[kind],
      get started() {
        return workers.startup.result === 'Success';
      },
      get ready() {
        return this.started && workers.readiness.result === 'Success';
      },
      get shouldRestart() {
        return workers.liveness.result === 'Failure' || workers.startup.result === 'Failure';
      },
      trigger: (kind) => workers[kind].trigger(),
      terminating: () => {
        for (const w of all) w.terminating();
      },
      containerExited: () => {
        for (const w of all) w.containerExited();
      },
      stop: () => {
        live.delete(probes);
        for (const w of all) w.stop();
      },
    };
    live.add(probes);
    for (const w of all) w.start();
    return probes;
  }

  return {
    probeContainer,
    stop: () => {
      for (const probes of [...live]) probes.stop();
    },
  };
}
