/**
 * The probe vocabulary shared by the handlers, the threshold policy and the
 * engine: Kubernetes' `Probe` shape, results, kinds and where a probe goes.
 */

/** Which of a container's three probes: they differ in initial result, thresholds and consequence. */
export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/**
 * What one probe run, or a worker's reported state, says. `Unknown` is the
 * startup probe's state before its first verdict; from a handler it means
 * "could not probe" (Kubernetes' prober error), which the engine retries and
 * then throws away rather than counting.
 */
export type ProbeResult = 'Success' | 'Failure' | 'Unknown';

/** A named or numbered port, as Kubernetes' `IntOrString` allows for `httpGet` and `tcpSocket`. */
export type ProbePort = number | string;

/** One extra request header of an `httpGet` probe (a `Host` header sets the virtual host). */
export interface ProbeHttpHeader {
  name: string;
  value: string;
}

/** `exec`: run `command` in the container through the runtime; exit code 0 is healthy. */
export interface ExecProbeAction {
  command?: readonly string[];
}

/** `httpGet`: a GET to `scheme://host:port/path`; any status from 200 to 399 is healthy. */
export interface HttpGetProbeAction {
  /** Default `/`. */
  path?: string;
  port: ProbePort;
  /** Default: the target's host (Kubernetes: the pod IP). */
  host?: string;
  /** Default `HTTP`. HTTPS does not verify the certificate, as in the kubelet. */
  scheme?: 'HTTP' | 'HTTPS';
  httpHeaders?: readonly ProbeHttpHeader[];
}

/** `tcpSocket`: healthy when a TCP connection to the port opens. */
export interface TcpSocketProbeAction {
  port: ProbePort;
  /** Default: the target's host. */
  host?: string;
}

/** `grpc`: the gRPC health checking protocol (`grpc.health.v1.Health/Check`); `SERVING` is healthy. */
export interface GrpcProbeAction {
  port: number;
  /** The service name to check; default `''` (the server as a whole). */
  service?: string;
}

/**
 * A probe in Kubernetes' shape (`core/v1 Probe`): exactly one handler, then
 * when and how often it runs. A `Probe` from `@keelson/api` fits as is.
 * Absent (or 0, Go's "unset") timing fields take Kubernetes' defaults:
 * `initialDelaySeconds` 0, `timeoutSeconds` 1, `periodSeconds` 10,
 * `successThreshold` 1 (and it must be 1 for liveness and startup),
 * `failureThreshold` 3.
 */
export interface Probe {
  exec?: ExecProbeAction;
  httpGet?: HttpGetProbeAction;
  tcpSocket?: TcpSocketProbeAction;
  grpc?: GrpcProbeAction;
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  /** Carried for the node agent (grace period of a kill after a failed liveness/startup probe); the engine ignores it. */
  terminationGracePeriodSeconds?: number;
}

/** Which handler a probe uses. */
export type ProbeHandlerName = 'exec' | 'httpGet' | 'tcpSocket' | 'grpc';

/** A validated {@link Probe} with every default applied; what handlers receive. */
export interface ResolvedProbe {
  readonly handler: ProbeHandlerName;
  readonly exec?: { readonly command: readonly string[] };
  readonly httpGet?: {
    readonly path: string;
    readonly port: ProbePort;
    readonly host?: string;
    readonly scheme: 'HTTP' | 'HTTPS';
    readonly httpHeaders: readonly ProbeHttpHeader[];
  };
  readonly tcpSocket?: { readonly port: ProbePort; readonly host?: string };
  readonly grpc?: { readonly port: number; readonly service: string };
  readonly initialDelaySeconds: number;
  readonly timeoutSeconds: number;
  readonly periodSeconds: number;
  readonly successThreshold: number;
  readonly failureThreshold: number;
  readonly terminationGracePeriodSeconds?: number;
}

/** What one probe run found, with a human-readable reason (Kubernetes puts it in the `Unhealthy` event). */
export interface ProbeOutcome {
  result: ProbeResult;
  message?: string;
}

/**
 * A simulated pod network, shaped like `@keelson/runtime-mock`'s
 * `probeHttp` / `probeTcp` (adapt a mock runtime with
 * {@link probeNetworkOf}). A rejected promise is a connection failure.
 */
export interface ProbeNetwork {
  /** The status code a GET of `path` on the container's `port` gets. */
  http(containerId: string, request: { path: string; port: number; timeoutMs: number }): Promise<number>;
  /** Whether a TCP connection to the container's `port` opens. */
  tcp(containerId: string, port: number, options: { timeoutMs: number }): Promise<boolean>;
}

/**
 * Where a probe goes. The node agent points it at a container (its id for
 * exec, its pod IP or the simulated `network` for HTTP/TCP); a Node app
 * using `watchHealth` only needs a `host`.
 */
export interface ProbeTarget {
  /** The container: exec runs in it and the simulated network routes to it. */
  containerId?: string;
  /** Host for `httpGet`, `tcpSocket` and `grpc` unless the probe names one (Kubernetes: the pod IP). Default `127.0.0.1`. */
  host?: string;
  /** The container's named ports (`ports[].name → containerPort`), for probes with `port: 'http'`. */
  ports?: Readonly<Record<string, number>>;
  /** When given, `httpGet` and `tcpSocket` go over this simulated network instead of real sockets. */
  network?: ProbeNetwork;
}

/**
 * Runs one probe of one kind of handler. `signal` aborts when the probe
 * times out or its worker stops: release sockets then. A handler never
 * needs its own timer; the engine times it out through the clock.
 */
export type ProbeHandler = (probe: ResolvedProbe, target: ProbeTarget, signal: AbortSignal) => Promise<ProbeOutcome>;

/** One handler per probe action; the engine picks by the probe's action. */
export type ProbeHandlers = Readonly<Partial<Record<ProbeHandlerName, ProbeHandler>>>;

/** The `status` of a `grpc.health.v1.HealthCheckResponse`, or `SERVICE_UNKNOWN` from a `Watch`. */
export type GrpcServingStatus = 'SERVING' | 'NOT_SERVING' | 'UNKNOWN' | 'SERVICE_UNKNOWN';

/** Where a gRPC health check goes. */
export interface GrpcCheckTarget {
  host: string;
  port: number;
  /** The container, when probing one (e.g. to route over a simulated network). */
  containerId?: string;
  timeoutMs: number;
  /** Aborts when the probe times out or stops. */
  signal: AbortSignal;
}

/**
 * Calls `grpc.health.v1.Health/Check` for `service`. Injected so that
 * Keelson needs no gRPC dependency; a rejection is a failed probe
 * (unreachable, `Unimplemented`, deadline exceeded).
 */
export type GrpcHealthChecker = (target: GrpcCheckTarget, service: string) => Promise<GrpcServingStatus>;

/** A change of a worker's reported result. */
export interface ProbeTransition {
  readonly kind: ProbeKind;
  readonly result: ProbeResult;
  /** Clock time (ms) at which the result changed. */
  readonly at: number;
  /** The message of the probe run that caused the change. */
  readonly message?: string;
  readonly containerId?: string;
}

/** One finished probe run: what it found and what the worker reports after counting it. */
export interface ProbeRun {
  readonly kind: ProbeKind;
  /** What this run found (`Unknown`: it could not probe; the result was thrown away). */
  readonly observed: ProbeResult;
  /** The reported result after this run. */
  readonly result: ProbeResult;
  /** Clock time (ms) at which the run finished. */
  readonly at: number;
  /** How long the probe took on the clock, in ms (the handler's time, up to `timeoutSeconds`). */
  readonly durationMs: number;
  readonly message?: string;
  readonly containerId?: string;
}
