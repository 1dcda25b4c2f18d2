// CRI's messages (kubernetes/cri-api pkg/apis/runtime/v1/api.proto) as
// TypeScript types. Conventions:
//
// - Field names are the proto names in camelCase.
// - Inputs (configs, filters) mark everything optional that the kubelet may
//   leave unset; an absent field means proto3's zero value (0, '', false, the
//   enum's first value, an empty list or map). Outputs (statuses, lists) spell
//   every scalar, list and map out, so a runtime returns `''`, `0`, `[]` or
//   `{}` rather than leaving them absent; sub-messages that may be missing in
//   proto3 stay optional.
// - Nanosecond quantities are `bigint` (int64 nanoseconds since the epoch for
//   timestamps; cumulative CPU nanoseconds), as they pass 2^53. Other 64-bit
//   fields (bytes, counts, CPU shares) are `number`.
// - The proto's `*Value` wrappers (Int64Value, UInt64Value) become optional
//   numbers: absent means "not reported", unlike 0.
// - Windows-only messages are left out: Keelson models Linux nodes.
// - A runtime copies what it keeps and returns fresh objects, so neither side
//   sees the other's later mutations.

import type {
  CgroupDriver,
  ContainerEventType,
  ContainerState,
  MetricType,
  MountPropagation,
  NamespaceMode,
  PodSandboxState,
  Protocol,
  SecurityProfileType,
  Signal,
  SupplementalGroupsPolicy,
} from './enums';

/** Nanoseconds since the Unix epoch (CRI's int64 timestamps). `0n` means "not set". */
export type UnixNanos = bigint;

/** String map of labels or annotations (proto `map<string, string>`). */
export type StringMap = Record<string, string>;

/**
 * Exact-match label selector of the list filters: every key must be present
 * with the given value (proto `label_selector`, "only MatchLabels is
 * supported"). An empty selector matches everything.
 */
export type LabelSelector = Record<string, string>;

// ---------------------------------------------------------------------------
// Version and runtime status

/** Proto `VersionResponse`: who the runtime is. */
export interface VersionResponse {
  /** Version of the kubelet runtime API the runtime speaks to the kubelet, e.g. `'0.1.0'`. */
  version: string;
  /** Name of the runtime, e.g. `'containerd'`. */
  runtimeName: string;
  /** Semver-compatible version of the runtime. */
  runtimeVersion: string;
  /** CRI API version the runtime implements: `'v1'`. */
  runtimeApiVersion: string;
}

/**
 * Proto `RuntimeCondition`. The kubelet requires `RuntimeReady` and
 * `NetworkReady` (see {@link RuntimeConditionType}) to be `true` before it
 * reports the node Ready; other types are informative.
 */
export interface RuntimeCondition {
  type: string;
  status: boolean;
  /** Brief CamelCase reason for the last transition, `''` when healthy. */
  reason: string;
  /** Human-readable detail, `''` when healthy. */
  message: string;
}

/** Proto `RuntimeStatus`: the runtime's observed conditions. */
export interface RuntimeStatus {
  conditions: RuntimeCondition[];
}

/** Proto `RuntimeHandlerFeatures`. */
export interface RuntimeHandlerFeatures {
  recursiveReadOnlyMounts: boolean;
  userNamespaces: boolean;
}

/** Proto `RuntimeHandler`: a named runtime configuration (a RuntimeClass handler); `''` is the default. */
export interface RuntimeHandler {
  name: string;
  features?: RuntimeHandlerFeatures;
}

/** Proto `RuntimeFeatures`: features of the CRI implementation, independent of handlers. */
export interface RuntimeFeatures {
  supplementalGroupsPolicy: boolean;
  userNamespacesHostNetwork: boolean;
  mountOptions: boolean;
}

/** Proto `StatusResponse`: what `RuntimeService.status` returns. */
export interface StatusResponse {
  status: RuntimeStatus;
  /** Debug information (JSON values); empty unless `verbose` was asked for. */
  info: StringMap;
  /** The handlers `runPodSandbox` accepts besides the default `''`. */
  runtimeHandlers: RuntimeHandler[];
  features?: RuntimeFeatures;
}

/** Proto `NetworkConfig`. */
export interface NetworkConfig {
  /** CIDR for pod IPs on this node; `''` or absent leaves it unchanged. */
  podCidr?: string;
}

/** Proto `RuntimeConfig`: what the kubelet pushes with `updateRuntimeConfig`. */
export interface RuntimeConfig {
  networkConfig?: NetworkConfig;
}

/** Proto `LinuxRuntimeConfiguration`. */
export interface LinuxRuntimeConfiguration {
  cgroupDriver: CgroupDriver;
}

/** Proto `RuntimeConfigResponse`: what the runtime tells the kubelet at startup. */
export interface RuntimeConfigResponse {
  linux?: LinuxRuntimeConfiguration;
}

// ---------------------------------------------------------------------------
// Shared pieces

/** Proto `KeyValue`: one environment variable. */
export interface KeyValue {
  key: string;
  /**
   * The value. The proto declares `bytes` (wire-compatible with the former
   * `string`) so that non-UTF-8 values pass through; Kubernetes env values are
   * strings, which is what Keelson carries.
   */
  value: string;
}

/** Proto `IDMapping`: a range of host ids mapped into a user namespace. */
export interface IDMapping {
  hostId: number;
  containerId: number;
  length: number;
}

/** Proto `UserNamespace`: user namespace of a pod sandbox. */
export interface UserNamespace {
  /** `POD` or `NODE` only. */
  mode: NamespaceMode;
  uids?: IDMapping[];
  gids?: IDMapping[];
}

/** Proto `NamespaceOption`: which Linux namespaces a sandbox or container shares. Absent modes mean `POD`. */
export interface NamespaceOption {
  network?: NamespaceMode;
  /** The kubelet sets `CONTAINER` for ordinary pods, `NODE` for hostPID, `TARGET` for debug containers. */
  pid?: NamespaceMode;
  ipc?: NamespaceMode;
  /** Container whose namespaces a `TARGET` mode joins. */
  targetId?: string;
  /** Absent means mode `POD` without mappings. */
  usernsOptions?: UserNamespace;
}

/** Proto `SELinuxOption`. */
export interface SELinuxOption {
  user?: string;
  role?: string;
  type?: string;
  level?: string;
}

/** Proto `SecurityProfile`: a seccomp or AppArmor profile. */
export interface SecurityProfile {
  profileType: SecurityProfileType;
  /** Path (seccomp) or profile name (AppArmor); only with `Localhost`. */
  localhostRef?: string;
}

/** Proto `Capability`: capabilities to add or drop. */
export interface Capability {
  addCapabilities?: string[];
  dropCapabilities?: string[];
  addAmbientCapabilities?: string[];
}

/** Proto `HugepageLimit`. */
export interface HugepageLimit {
  /** e.g. `'2MB'`, `'1GB'`. */
  pageSize: string;
  /** Limit in bytes. */
  limit: number;
}

/**
 * Proto `LinuxContainerResources`: cgroup settings of a container (and, as
 * overhead or sum, of a pod sandbox). 0, `''` or absent means "not specified".
 * The kubelet derives them from requests and limits: `cpuShares` from the CPU
 * request (1024 per core, at least 2), `cpuQuota`/`cpuPeriod` from the CPU
 * limit (period 100000 µs), `memoryLimitInBytes` from the memory limit.
 */
export interface LinuxContainerResources {
  /** CFS period in microseconds. */
  cpuPeriod?: number;
  /** CFS quota in microseconds per period; -1 or 0 means no limit. */
  cpuQuota?: number;
  /** Relative CPU weight. */
  cpuShares?: number;
  memoryLimitInBytes?: number;
  oomScoreAdj?: number;
  /** e.g. `'0-3,8'`. */
  cpusetCpus?: string;
  cpusetMems?: string;
  hugepageLimits?: HugepageLimit[];
  /** cgroup v2 files and values, e.g. `{ 'memory.high': '1073741824' }`. */
  unified?: StringMap;
  memorySwapLimitInBytes?: number;
}

/** Proto `ContainerResources`: the resources a container runs with, in its status. */
export interface ContainerResources {
  linux?: LinuxContainerResources;
}

// ---------------------------------------------------------------------------
// Pod sandboxes

/**
 * Proto `PodSandboxMetadata`: identifies the pod a sandbox belongs to. The
 * runtime rejects a second sandbox with the same four values while the first
 * exists (`AlreadyExists`); the kubelet bumps `attempt` when it recreates a
 * pod's sandbox.
 */
export interface PodSandboxMetadata {
  /** The pod's name (required, non-empty). */
  name: string;
  /** The pod's UID (required, non-empty). */
  uid: string;
  /** The pod's namespace (required, non-empty). */
  namespace: string;
  /** How many sandboxes the kubelet created for this pod before, from 0. */
  attempt: number;
}

/** Proto `DNSConfig`: the sandbox's resolv.conf. */
export interface DNSConfig {
  servers?: string[];
  searches?: string[];
  /** resolv.conf options, e.g. `'ndots:5'`. */
  options?: string[];
}

/** Proto `PortMapping`: a `hostPort` of the pod. */
export interface PortMapping {
  /** Absent means `TCP`. */
  protocol?: Protocol;
  containerPort?: number;
  /** 1–65535; 0 or absent means no host port. */
  hostPort?: number;
  hostIp?: string;
}

/** Proto `LinuxSandboxSecurityContext`: security of the sandbox itself (not its containers). */
export interface LinuxSandboxSecurityContext {
  namespaceOptions?: NamespaceOption;
  selinuxOptions?: SELinuxOption;
  runAsUser?: number;
  /** Only together with `runAsUser`. */
  runAsGroup?: number;
  readonlyRootfs?: boolean;
  supplementalGroups?: number[];
  supplementalGroupsPolicy?: SupplementalGroupsPolicy;
  /** Must be true if any container of the pod is privileged. */
  privileged?: boolean;
  seccomp?: SecurityProfile;
  apparmor?: SecurityProfile;
}

/** Proto `LinuxPodSandboxConfig`. */
export interface LinuxPodSandboxConfig {
  /** The pod's cgroup, cgroupfs syntax (e.g. `/kubepods/burstable/pod<uid>`). */
  cgroupParent?: string;
  securityContext?: LinuxSandboxSecurityContext;
  sysctls?: StringMap;
  /** Pod overhead from the RuntimeClass. */
  overhead?: LinuxContainerResources;
  /** Sum of the containers' resources. */
  resources?: LinuxContainerResources;
}

/**
 * Proto `PodSandboxConfig`: everything `runPodSandbox` needs. The kubelet
 * passes the same object again to `createContainer` and `pullImage`.
 */
export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  /** Hostname of the pod; may be empty only with the node's network namespace. */
  hostname?: string;
  /** Host directory for container logs, `/var/log/pods/<namespace>_<name>_<uid>`. */
  logDirectory?: string;
  dnsConfig?: DNSConfig;
  portMappings?: PortMapping[];
  /** The pod's labels plus the {@link KubeletLabel} keys. Selectable with filters. */
  labels?: StringMap;
  /** The pod's annotations. Returned unchanged in every status and list entry. */
  annotations?: StringMap;
  linux?: LinuxPodSandboxConfig;
}

/** Proto `PodIP`. */
export interface PodIP {
  /** IPv4 or IPv6 address. */
  ip: string;
}

/** Proto `PodSandboxNetworkStatus`: the pod's IPs, when the runtime handles networking. */
export interface PodSandboxNetworkStatus {
  /** Primary IP, `''` if none. */
  ip: string;
  /** The other IPs (dual stack), not including `ip`. */
  additionalIps: PodIP[];
}

/** Proto `Namespace`. */
export interface Namespace {
  options?: NamespaceOption;
}

/** Proto `LinuxPodSandboxStatus`. */
export interface LinuxPodSandboxStatus {
  namespaces?: Namespace;
}

/** Proto `PodSandboxStatus`: the full state of one sandbox. */
export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  /** When the sandbox was created; > 0. */
  createdAt: UnixNanos;
  /** Absent when the sandbox uses the node's network or has no network yet. */
  network?: PodSandboxNetworkStatus;
  linux?: LinuxPodSandboxStatus;
  labels: StringMap;
  /** Exactly the config's annotations. */
  annotations: StringMap;
  /** The handler asked for at `runPodSandbox` (`''` for the default). */
  runtimeHandler: string;
}

/** Proto `PodSandboxStatusResponse`: what `RuntimeService.podSandboxStatus` returns. */
export interface PodSandboxStatusResponse {
  status: PodSandboxStatus;
  /** Debug information (JSON values); empty unless `verbose` was asked for. */
  info: StringMap;
  /**
   * Statuses of the sandbox's containers, for the evented PLEG; a runtime
   * that does not support it returns `[]`.
   */
  containersStatuses: ContainerStatus[];
  /** When these statuses were recorded; 0n if not reported. */
  timestamp: UnixNanos;
}

/** Proto `PodSandboxFilter`. All fields given must match (AND); an absent filter matches every sandbox. */
export interface PodSandboxFilter {
  /** The sandbox id. */
  id?: string;
  state?: PodSandboxState;
  labelSelector?: LabelSelector;
}

/** Proto `PodSandbox`: one entry of `listPodSandbox`. */
export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  /** When the sandbox was created; > 0. */
  createdAt: UnixNanos;
  labels: StringMap;
  /** Exactly the config's annotations. */
  annotations: StringMap;
  runtimeHandler: string;
}

/** The fields of proto `UpdatePodSandboxResourcesRequest` besides the sandbox id. */
export interface PodSandboxResourcesUpdate {
  overhead?: LinuxContainerResources;
  resources?: LinuxContainerResources;
}

// ---------------------------------------------------------------------------
// Images

/**
 * Proto `ImageSpec`: names an image. `image` is what the user wrote
 * (`registry/repo:tag`, `repo@sha256:…`) or, once pulled, the image id the
 * runtime returned.
 */
export interface ImageSpec {
  /** Required, non-empty. */
  image: string;
  /** Hints for picking a platform of a multi-arch image. */
  annotations?: StringMap;
  /** The reference as the user wrote it, when `image` is an id. */
  userSpecifiedImage?: string;
  /** Pull (or look up) for this runtime handler; `''` or absent is the default. */
  runtimeHandler?: string;
  /** Digest of an image volume's image. */
  imageRef?: string;
}

/** Proto `ImageFilter`. */
export interface ImageFilter {
  /** Only the image this spec names. */
  image?: ImageSpec;
}

/** Proto `Image`: one image present on the node. */
export interface Image {
  /** The image id; equals `pullImage`'s result and `Container.imageId` for the same image. */
  id: string;
  /** Names by which the image is known, e.g. `['registry.example/app:1.0']`. */
  repoTags: string[];
  /** Digested names, e.g. `['registry.example/app@sha256:…']`. */
  repoDigests: string[];
  /** Size in bytes; > 0. */
  size: number;
  /** The image's default user id; absent when the image names its user. */
  uid?: number;
  /** The image's default user name, `''` if it gives a uid or nothing. */
  username: string;
  spec?: ImageSpec;
  /** Recommendation to exempt the image from garbage collection (the sandbox image is pinned). */
  pinned: boolean;
}

/** Proto `ImageStatusResponse`: what `ImageService.imageStatus` returns. */
export interface ImageStatusResponse {
  /** Absent when the image is not present on the node (not an error). */
  image?: Image;
  /** Debug information (JSON values); empty unless `verbose` was asked for. */
  info: StringMap;
}

/** Proto `AuthConfig`: registry credentials for `pullImage`. */
export interface AuthConfig {
  username?: string;
  password?: string;
  /** base64 of `username:password`. */
  auth?: string;
  serverAddress?: string;
  identityToken?: string;
  registryToken?: string;
}

/** Proto `FilesystemIdentifier`. */
export interface FilesystemIdentifier {
  mountpoint: string;
}

/** Proto `FilesystemUsage`: usage of the file system holding images or containers. */
export interface FilesystemUsage {
  /** When the numbers were collected; > 0. */
  timestamp: UnixNanos;
  fsId?: FilesystemIdentifier;
  /** Bytes used by images (or container layers). */
  usedBytes?: number;
  inodesUsed?: number;
}

/** Proto `ImageFsInfoResponse`: what `ImageService.imageFsInfo` returns. The kubelet's image GC reads it. */
export interface ImageFsInfoResponse {
  imageFilesystems: FilesystemUsage[];
  /** Set only when container layers live apart from images; usually `[]`. */
  containerFilesystems: FilesystemUsage[];
}

// ---------------------------------------------------------------------------
// Containers

/**
 * Proto `ContainerMetadata`: which container of the pod spec this is.
 * `(name, attempt)` is unique within a sandbox; the kubelet creates attempt
 * n+1 when it restarts a container.
 */
export interface ContainerMetadata {
  /** The container's name in the pod spec (required, non-empty). */
  name: string;
  /** Restart count of this container in this sandbox, from 0. */
  attempt: number;
}

/** Proto `Mount`: a volume mounted into a container. */
export interface Mount {
  containerPath: string;
  /** Host path; empty when `image` is set. */
  hostPath?: string;
  readonly?: boolean;
  selinuxRelabel?: boolean;
  /** Absent means `PROPAGATION_PRIVATE`. */
  propagation?: MountPropagation;
  uidMappings?: IDMapping[];
  gidMappings?: IDMapping[];
  /** Needs `readonly` and private propagation. */
  recursiveReadOnly?: boolean;
  /** An image volume: mount this (pulled) image instead of a host path. */
  image?: ImageSpec;
  imageSubPath?: string;
  /** Extra bind mount options such as `noexec`. */
  mountOptions?: string[];
}

/** Proto `Device`: a host device in the container. */
export interface Device {
  containerPath: string;
  hostPath: string;
  /** Some of `r`, `w`, `m`. */
  permissions: string;
}

/** Proto `CDIDevice`: a Container Device Interface device, e.g. `vendor.com/gpu=0`. */
export interface CDIDevice {
  name: string;
}

/** Proto `LinuxContainerSecurityContext`. */
export interface LinuxContainerSecurityContext {
  capabilities?: Capability;
  privileged?: boolean;
  namespaceOptions?: NamespaceOption;
  selinuxOptions?: SELinuxOption;
  runAsUser?: number;
  runAsGroup?: number;
  runAsUsername?: string;
  readonlyRootfs?: boolean;
  supplementalGroups?: number[];
  supplementalGroupsPolicy?: SupplementalGroupsPolicy;
  noNewPrivs?: boolean;
  maskedPaths?: string[];
  readonlyPaths?: string[];
  seccomp?: SecurityProfile;
  apparmor?: SecurityProfile;
}

/** Proto `LinuxContainerConfig`. */
export interface LinuxContainerConfig {
  resources?: LinuxContainerResources;
  securityContext?: LinuxContainerSecurityContext;
}

/**
 * Proto `ContainerConfig`: everything `createContainer` needs. The kubelet
 * builds it from the pod spec's container.
 */
export interface ContainerConfig {
  metadata: ContainerMetadata;
  /** The image, as `pullImage` returned it or as the user wrote it. Must be present on the node. */
  image: ImageSpec;
  /** Entrypoint (Docker's ENTRYPOINT); absent means the image's. */
  command?: string[];
  /** Arguments (Docker's CMD); absent means the image's. */
  args?: string[];
  workingDir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  devices?: Device[];
  /** The {@link KubeletLabel} keys; selectable with filters. */
  labels?: StringMap;
  /** The {@link KubeletAnnotation} keys and device plugin annotations. Returned unchanged. */
  annotations?: StringMap;
  /** Log file, relative to the sandbox's `logDirectory`: `<container name>/<attempt>.log`. */
  logPath?: string;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  linux?: LinuxContainerConfig;
  cdiDevices?: CDIDevice[];
  /** Absent means {@link Signal.SIGNAL_RUNTIME_DEFAULT}. */
  stopSignal?: Signal;
}

/** Proto `Container`: one entry of `listContainers`. */
export interface Container {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  /** The image spec the container was created with. */
  image: ImageSpec;
  /** Digested reference of the image in use (`repo@sha256:…`, or the image id). */
  imageRef: string;
  state: ContainerState;
  /** When the container was created; > 0. */
  createdAt: UnixNanos;
  labels: StringMap;
  /** Exactly the config's annotations. */
  annotations: StringMap;
  /** The image id; equals `pullImage`'s result and `Image.id`. */
  imageId: string;
}

/** Proto `ContainerFilter`. All fields given must match (AND); an absent filter matches every container. */
export interface ContainerFilter {
  /** The container id. */
  id?: string;
  state?: ContainerState;
  podSandboxId?: string;
  labelSelector?: LabelSelector;
}

/** Proto `LinuxContainerUser`: identity of the container's first process. */
export interface LinuxContainerUser {
  uid: number;
  gid: number;
  supplementalGroups: number[];
}

/** Proto `ContainerUser`. */
export interface ContainerUser {
  linux?: LinuxContainerUser;
}

/** Proto `ContainerStatus`: the full state of one container. */
export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata;
  state: ContainerState;
  /** When the container was created; > 0. */
  createdAt: UnixNanos;
  /** When its process started; 0n while `CONTAINER_CREATED`. */
  startedAt: UnixNanos;
  /** When its process ended; 0n unless `CONTAINER_EXITED`. */
  finishedAt: UnixNanos;
  /** The process's exit code; meaningful only when `finishedAt` is set (0 before). */
  exitCode: number;
  image: ImageSpec;
  /** Digested reference of the image in use. */
  imageRef: string;
  /**
   * Brief CamelCase reason for the state, `''` while created or running. For
   * `CONTAINER_EXITED`: {@link ContainerExitReason} `Completed` (exit code 0),
   * `Error` (non-zero), `OOMKilled` (killed by the cgroup OOM killer, which
   * the runtime must report this way) or `StartError` (the process could not
   * start).
   */
  reason: string;
  /** Human-readable detail about the state, `''` if none. */
  message: string;
  labels: StringMap;
  /** Exactly the config's annotations. */
  annotations: StringMap;
  mounts: Mount[];
  /**
   * Full path of the container's log file: the sandbox's `logDirectory`
   * joined with the config's `logPath` (`''` if either is empty).
   */
  logPath: string;
  resources?: ContainerResources;
  /** The image id; equals `pullImage`'s result and `Image.id`. */
  imageId: string;
  user?: ContainerUser;
  stopSignal?: Signal;
}

/** Proto `ContainerStatusResponse`: what `RuntimeService.containerStatus` returns. */
export interface ContainerStatusResponse {
  status: ContainerStatus;
  /** Debug information (JSON values); empty unless `verbose` was asked for. */
  info: StringMap;
}

/** The fields of proto `UpdateContainerResourcesRequest` besides the id. */
export interface ContainerResourcesUpdate {
  linux?: LinuxContainerResources;
  /** Extra, runtime-specific hints for the update. */
  annotations?: StringMap;
}

/** Proto `ExecSyncResponse`: the captured result of `execSync`. */
export interface ExecSyncResponse {
  /** Captured stdout, capped at 16 MiB (the rest is discarded). */
  stdout: Uint8Array;
  /** Captured stderr, capped at 16 MiB. */
  stderr: Uint8Array;
  /** The command's exit code. */
  exitCode: number;
}

/** The stream flags of proto `ExecRequest` and `AttachRequest`; at least one of stdin, stdout, stderr must be set. */
export interface StreamingOptions {
  tty?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  /** Must be false with `tty` (a TTY merges the streams). */
  stderr?: boolean;
}

// ---------------------------------------------------------------------------
// Statistics

/** Proto `PsiData`: pressure stall information for one resource. */
export interface PsiData {
  /** Total stall time in nanoseconds. */
  total: bigint;
  avg10: number;
  avg60: number;
  avg300: number;
}

/** Proto `PsiStats`. */
export interface PsiStats {
  full?: PsiData;
  some?: PsiData;
}

/** Proto `CpuUsage`. */
export interface CpuUsage {
  /** When the sample was taken; > 0. */
  timestamp: UnixNanos;
  /** Cumulative CPU time over all cores since the container (or pod) started. */
  usageCoreNanoSeconds?: bigint;
  /** CPU use averaged over the sample window, in nanocores (1e9 = one core busy). */
  usageNanoCores?: number;
  psi?: PsiStats;
}

/** Proto `MemoryUsage`. The kubelet's eviction manager reads `workingSetBytes`. */
export interface MemoryUsage {
  /** When the sample was taken; > 0. */
  timestamp: UnixNanos;
  workingSetBytes?: number;
  /** Limit minus working set. */
  availableBytes?: number;
  usageBytes?: number;
  rssBytes?: number;
  pageFaults?: number;
  majorPageFaults?: number;
  psi?: PsiStats;
}

/** Proto `SwapUsage`. */
export interface SwapUsage {
  timestamp: UnixNanos;
  swapAvailableBytes?: number;
  swapUsageBytes?: number;
}

/** Proto `IoUsage`. */
export interface IoUsage {
  timestamp: UnixNanos;
  psi?: PsiStats;
}

/** Proto `ContainerAttributes`: which container a {@link ContainerStats} is about. */
export interface ContainerAttributes {
  id: string;
  metadata: ContainerMetadata;
  labels: StringMap;
  annotations: StringMap;
}

/** Proto `ContainerStats`: resource usage of one container. */
export interface ContainerStats {
  attributes: ContainerAttributes;
  cpu?: CpuUsage;
  memory?: MemoryUsage;
  /** Usage of the container's writable layer. */
  writableLayer?: FilesystemUsage;
  swap?: SwapUsage;
  io?: IoUsage;
}

/** Proto `ContainerStatsFilter`. All fields given must match (AND). */
export interface ContainerStatsFilter {
  id?: string;
  podSandboxId?: string;
  labelSelector?: LabelSelector;
}

/** Proto `NetworkInterfaceUsage`: cumulative counters of one interface. */
export interface NetworkInterfaceUsage {
  name: string;
  rxBytes?: number;
  rxErrors?: number;
  txBytes?: number;
  txErrors?: number;
}

/** Proto `NetworkUsage`. */
export interface NetworkUsage {
  timestamp: UnixNanos;
  defaultInterface?: NetworkInterfaceUsage;
  interfaces: NetworkInterfaceUsage[];
}

/** Proto `ProcessUsage`. */
export interface ProcessUsage {
  timestamp: UnixNanos;
  processCount?: number;
}

/** Proto `PodSandboxAttributes`: which sandbox a {@link PodSandboxStats} is about. */
export interface PodSandboxAttributes {
  id: string;
  metadata: PodSandboxMetadata;
  labels: StringMap;
  annotations: StringMap;
}

/** Proto `LinuxPodSandboxStats`. */
export interface LinuxPodSandboxStats {
  cpu?: CpuUsage;
  memory?: MemoryUsage;
  network?: NetworkUsage;
  process?: ProcessUsage;
  containers: ContainerStats[];
  io?: IoUsage;
}

/** Proto `PodSandboxStats`: resource usage of a pod and its containers. */
export interface PodSandboxStats {
  attributes: PodSandboxAttributes;
  linux?: LinuxPodSandboxStats;
}

/** Proto `PodSandboxStatsFilter`. All fields given must match (AND). */
export interface PodSandboxStatsFilter {
  id?: string;
  labelSelector?: LabelSelector;
}

/** Proto `MetricDescriptor`: a metric `listPodSandboxMetrics` may report. */
export interface MetricDescriptor {
  /** Unique name, e.g. `container_cpu_usage_seconds_total`. */
  name: string;
  help: string;
  labelKeys: string[];
}

/** Proto `Metric`: one sample. */
export interface Metric {
  /** Must be a name from `listMetricDescriptors`. */
  name: string;
  /** 0n if gathered live, else when it was cached. */
  timestamp: UnixNanos;
  metricType: MetricType;
  /** Values for the descriptor's `labelKeys`, in order. */
  labelValues: string[];
  value?: bigint;
}

/** Proto `ContainerMetrics`. */
export interface ContainerMetrics {
  containerId: string;
  metrics: Metric[];
}

/** Proto `PodSandboxMetrics`. */
export interface PodSandboxMetrics {
  podSandboxId: string;
  metrics: Metric[];
  containerMetrics: ContainerMetrics[];
}

// ---------------------------------------------------------------------------
// Checkpoints

/** The fields of proto `CheckpointPodRequest` besides the sandbox id. */
export interface CheckpointPodOptions {
  /** Absolute path of an existing, empty directory to write the checkpoint into. */
  outputPath: string;
  /** The running containers of the pod to include; non-empty, no duplicates. */
  containerIds: string[];
  /** Runtime-specific options; unknown keys are rejected. */
  options?: StringMap;
}

/** Proto `RestorePodRequest`. */
export interface RestorePodRequest {
  /** Absolute path of the checkpoint directory (read only). */
  checkpointPath: string;
  config: PodSandboxConfig;
  runtimeHandler?: string;
  options?: StringMap;
  /** One config per checkpointed container, matched by `metadata.name`. */
  containerConfigs: ContainerConfig[];
}

/** Proto `RestoredContainer`. */
export interface RestoredContainer {
  /** The container's `metadata.name`. */
  name: string;
  containerId: string;
}

/** Proto `RestorePodResponse`: the restored sandbox and its containers, all `CONTAINER_CREATED`. */
export interface RestorePodResponse {
  podSandboxId: string;
  restoredContainers: RestoredContainer[];
}

// ---------------------------------------------------------------------------
// Events

/**
 * Proto `ContainerEventResponse`: one container transition, as
 * `RuntimeService.getContainerEvents` streams it.
 */
export interface ContainerEventResponse {
  /**
   * The container that changed. A runtime may also report the sandbox's own
   * lifecycle with `containerId` equal to the sandbox id (containerd does);
   * consumers tell them apart by comparing with `podSandboxStatus.id`.
   */
  containerId: string;
  containerEventType: ContainerEventType;
  /** When the event happened; > 0 and non-decreasing along the stream. */
  createdAt: UnixNanos;
  /** The container's sandbox as of the event (absent if the sandbox is gone). */
  podSandboxStatus?: PodSandboxStatus;
  /**
   * Statuses of every container of the sandbox as of the event. A deleted
   * container is no longer among them.
   */
  containersStatuses: ContainerStatus[];
}

// ---------------------------------------------------------------------------
// Call options

/** Option of the status calls: whether to fill `info` with debug information. */
export interface VerboseOptions {
  verbose?: boolean;
}

/** Options of `RuntimeService.getContainerEvents`. */
export interface ContainerEventsOptions {
  /** Aborting ends the iteration: a pending `next()` resolves `{ done: true }`. */
  signal?: AbortSignal;
}
