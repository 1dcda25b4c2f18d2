/**
 * The probe engine: Kubernetes' liveness, readiness and startup probes with
 * exec, HTTP, TCP and gRPC handlers, on an injected clock; and
 * `watchHealth` for any endpoint in a Node app.
 */

export type {
  ContainerProbeOptions,
  ContainerProbes,
  ProbeHandlerOptions,
  Prober,
  ProberOptions,
} from './createProber';
export { createProber, defaultProbeHandlers } from './createProber';
export type { ExecHandlerOptions } from './exec';
export { createExecHandler } from './exec';
export type { GrpcHandlerOptions } from './grpc';
export { createGrpcHandler } from './grpc';
export type { HttpGetHandlerOptions } from './httpGet';
export { createHttpGetHandler, httpStatusOutcome, PROBE_USER_AGENT } from './httpGet';
export type { ProbeWorkerOptions } from './ProbeWorker';
export { ProbeWorker } from './ProbeWorker';
export type { SimulatedProbes } from './probeNetworkOf';
export { probeNetworkOf } from './probeNetworkOf';
export { DEFAULT_PROBE_HOST, resolvePort, resolveProbe } from './resolveProbe';
export type { RunProbeOptions } from './runProbe';
export { EXEC_RUNTIME_GRACE_MS, PROBE_ATTEMPTS, runProbe } from './runProbe';
export type { TcpSocketHandlerOptions } from './tcpSocket';
export { createTcpSocketHandler } from './tcpSocket';
export type { ProbeState, ThresholdPolicy } from './thresholds';
export { initialProbeResult, initialProbeState, nextProbeState, reportedResults } from './thresholds';
export type {
  ExecProbeAction,
  GrpcCheckTarget,
  GrpcHealthChecker,
  GrpcProbeAction,
  GrpcServingStatus,
  HttpGetProbeAction,
  Probe,
  ProbeHandler,
  ProbeHandlerName,
  ProbeHandlers,
  ProbeHttpHeader,
  ProbeKind,
  ProbeNetwork,
  ProbeOutcome,
  ProbePort,
  ProbeResult,
  ProbeRun,
  ProbeTarget,
  ProbeTransition,
  ResolvedProbe,
  TcpSocketProbeAction,
} from './types';
export type { HealthTransition, WatchHealthOptions } from './watchHealth';
export { watchHealth } from './watchHealth';
