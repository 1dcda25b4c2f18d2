/**
 * `@keelson/runtime-mock`: a deterministic in-memory container runtime
 * implementing `@keelson/cri`, so that whole clusters run inside a test with
 * no processes: full lifecycle, scripted image behaviour, injected faults,
 * virtual time and exact repeatability.
 *
 * @packageDocumentation
 */

export type {
  ContainerProcess,
  ExecResult,
  ImageBehaviour,
  LogScript,
  LogStream,
  RepeatingLogLine,
  ScriptedFileWrite,
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
export type { MockCsiDriverOptions } from './fs/csiDriver';
export { createMockCsiDriver } from './fs/csiDriver';
export { createMockDisks, MOCK_CSI_DRIVER, MockDisks } from './fs/disks';
export type { MockFiles, MockHostFiles } from './fs/files';
export type { FsErrno } from './fs/fileTree';
export { FileSystemError } from './fs/fileTree';
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
export type { OverloadBehaviour, ServedLoad, ServedLoadTarget } from './servedLoad';
