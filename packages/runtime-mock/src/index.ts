/**
 * `@keelson/runtime-mock`: a deterministic in-memory container runtime
 * implementing `@keelson/cri`, so that whole clusters run inside a test with
 * no processes: full lifecycle, scripted image behaviour, injected faults,
 * virtual time and exact repeatability.
 *
 * @packageDocumentation
 */

export type {
  ExecResult,
  ImageBehaviour,
  LogScript,
  LogStream,
  RepeatingLogLine,
  ScriptedLogLine,
} from './behaviour';
export type { ContainerLogListener } from './containerLogs';
export { MAX_LOG_BYTES } from './containerLogs';
export type { ContainerEventRecord, PullRecord } from './context';
export type { MockRuntimeOptions } from './createMockRuntime';
export { createMockRuntime } from './createMockRuntime';
export type { ProbeErrorCode } from './errors';
export { isProbeConnectionError, ProbeConnectionError } from './errors';
export type { MockRuntimeFaults } from './faults';
export type { ImageReference } from './imageReference';
export { normalizeImageReference, parseImageReference } from './imageReference';
export type { ContainerLogEntry } from './logFormat';
export { formatCriLogLine, formatLogTimestamp } from './logFormat';
export type {
  ImageOptions,
  PullFailure,
  PullFailureKind,
  RegistryCredentials,
  RegistryImage,
} from './MockRegistry';
export { createImageRegistry, MockRegistry } from './MockRegistry';
export type { ContainerInspection, MockRuntime, RuntimeSnapshot } from './MockRuntime';
export type { MockRuntimeService } from './MockRuntimeService';
export type { HttpProbeTarget, TcpProbeOptions } from './probes';
