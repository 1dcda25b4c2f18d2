import type {
  AuthConfig,
  CheckpointPodOptions,
  Container,
  ContainerConfig,
  ContainerEventResponse,
  ContainerEventsOptions,
  ContainerFilter,
  ContainerResourcesUpdate,
  ContainerStats,
  ContainerStatsFilter,
  ContainerStatusResponse,
  ExecSyncResponse,
  Image,
  ImageFilter,
  ImageFsInfoResponse,
  ImageSpec,
  ImageStatusResponse,
  MetricDescriptor,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxMetrics,
  PodSandboxResourcesUpdate,
  PodSandboxStats,
  PodSandboxStatsFilter,
  PodSandboxStatusResponse,
  RestorePodRequest,
  RestorePodResponse,
  RuntimeConfig,
  RuntimeConfigResponse,
  StatusResponse,
  StreamingOptions,
  VerboseOptions,
  VersionResponse,
} from './types';

/**
 * CRI's `RuntimeService`: how the kubelet runs pod sandboxes and containers.
 * Every RPC of api.proto is here, as an async method taking the request's
 * fields. Failures reject with a {@link CriError}; each method's TSDoc lists
 * the codes. Every method other than `stopContainer` with a positive timeout,
 * `execSync` and `pullImage` (which may take the registry's time) completes
 * without waiting for time to pass (a runtime on a virtual clock settles them
 * without the clock moving).
 *
 * What the kubelet needs. Always: `version`, `status`, `runPodSandbox`,
 * `stopPodSandbox`, `removePodSandbox`, `podSandboxStatus`, `listPodSandbox`,
 * `createContainer`, `startContainer`, `stopContainer`, `removeContainer`,
 * `listContainers`, `containerStatus`, `execSync` (exec probes),
 * `updateRuntimeConfig` (pod CIDR), `containerStats`/`listContainerStats`,
 * `reopenContainerLog` (log rotation), `updateContainerResources` (CPU
 * manager, in-place resize). With a feature on: `getContainerEvents`
 * (evented PLEG), `podSandboxStats`/`listPodSandboxStats` and
 * `listMetricDescriptors`/`listPodSandboxMetrics` (stats from CRI),
 * `runtimeConfig` (cgroup driver from CRI; `Unimplemented` tells the kubelet
 * to use its own setting), the `stream*` lists (CRI list streaming),
 * `checkpointContainer`, `checkpointPod`/`restorePod`,
 * `updatePodSandboxResources` (best effort). For `kubectl exec`, `attach`
 * and `port-forward`: `exec`, `attach`, `portForward`. A runtime may reject
 * any of the feature-gated or streaming ones with `Unimplemented`.
 */
export interface RuntimeService {
  /**
   * The runtime's name and versions (proto `Version`).
   *
   * @param apiVersion the kubelet runtime API version the caller speaks (`'0.1.0'`).
   */
  version(apiVersion?: string): Promise<VersionResponse>;

  /**
   * Creates and starts a pod sandbox (proto `RunPodSandbox`): the pod's
   * shared namespaces, network and cgroup. On success the sandbox is
   * `SANDBOX_READY`.
   *
   * @param runtimeHandler the RuntimeClass handler; `''` or absent selects the default.
   * @returns the new sandbox id.
   * @throws {@link CriError} `InvalidArgument` if `metadata.name`, `metadata.uid` or
   *   `metadata.namespace` is empty (nothing created); `AlreadyExists` if a sandbox
   *   with the same name, uid, namespace and attempt exists (ready or not, until it
   *   is removed); `NotFound` for a handler the runtime does not have.
   */
  runPodSandbox(config: PodSandboxConfig, runtimeHandler?: string): Promise<string>;

  /**
   * Stops a sandbox (proto `StopPodSandbox`): forcibly kills every running
   * container in it (they become `CONTAINER_EXITED`, as after
   * `stopContainer(id, 0)`) and releases its network; the sandbox becomes
   * `SANDBOX_NOTREADY` and stays listed until removed. Idempotent: stopping a
   * stopped, removed or unknown sandbox succeeds. The kubelet calls it at
   * least once before `removePodSandbox`, and often more.
   */
  stopPodSandbox(podSandboxId: string): Promise<void>;

  /**
   * Removes a sandbox and every container in it, forcibly stopping whatever
   * still runs (proto `RemovePodSandbox`). Afterwards status calls answer
   * `NotFound` and lists omit them. Idempotent: removing a removed or unknown
   * sandbox succeeds.
   */
  removePodSandbox(podSandboxId: string): Promise<void>;

  /**
   * The status of one sandbox (proto `PodSandboxStatus`).
   *
   * @throws {@link CriError} `NotFound` for an unknown or removed sandbox.
   */
  podSandboxStatus(podSandboxId: string, options?: VerboseOptions): Promise<PodSandboxStatusResponse>;

  /** The sandboxes matching `filter`, ready and not ready (proto `ListPodSandbox`). */
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]>;

  /**
   * The same as `listPodSandbox`, in non-empty batches (proto
   * `StreamPodSandboxes`); each sandbox appears exactly once. Feature gate
   * CRIListStreaming; may reject with `Unimplemented`.
   */
  streamPodSandboxes(filter?: PodSandboxFilter): AsyncIterable<PodSandbox[]>;

  /**
   * Creates a container in a ready sandbox (proto `CreateContainer`); it is
   * `CONTAINER_CREATED` until started. The image must be on the node
   * already (the kubelet pulls it first).
   *
   * @param sandboxConfig the config the sandbox was run with (the kubelet passes it again).
   * @returns the new container id.
   * @throws {@link CriError} `NotFound` for an unknown sandbox or an image that is not
   *   on the node; `FailedPrecondition` if the sandbox is not ready; `InvalidArgument`
   *   if `metadata.name` or `image.image` is empty; `AlreadyExists` if the sandbox
   *   holds a container with the same name and attempt. Nothing is created on error.
   */
  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string>;

  /**
   * Starts a created container (proto `StartContainer`): on success it is
   * `CONTAINER_RUNNING` with `startedAt` set. A container starts once; the
   * kubelet restarts a pod's container by creating the next attempt.
   *
   * @throws {@link CriError} `NotFound` for an unknown container; `FailedPrecondition`
   *   if it is not `CONTAINER_CREATED` (already running or exited) or its sandbox is
   *   not ready.
   */
  startContainer(containerId: string): Promise<void>;

  /**
   * Stops a running container (proto `StopContainer`): sends its stop signal,
   * waits up to `timeoutSeconds` for it to exit, then kills it. When the
   * promise settles the container is `CONTAINER_EXITED` with `finishedAt`,
   * `exitCode` and `reason` set (`Error` for a non-zero code, `Completed` for
   * 0). Idempotent: stopping an exited, removed or unknown container
   * succeeds at once, whatever the timeout, and changes nothing. Stopping a
   * created, never started container succeeds too and leaves it
   * `CONTAINER_CREATED` (as containerd does).
   *
   * @param timeoutSeconds grace period; 0 kills at once.
   * @throws {@link CriError} `InvalidArgument` for a negative or non-integer timeout.
   */
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;

  /**
   * Removes a container, killing it first if it runs (proto
   * `RemoveContainer`). Idempotent: removing a removed or unknown container
   * succeeds.
   */
  removeContainer(containerId: string): Promise<void>;

  /** The containers matching `filter`, in every state (proto `ListContainers`). */
  listContainers(filter?: ContainerFilter): Promise<Container[]>;

  /**
   * The same as `listContainers`, in non-empty batches (proto
   * `StreamContainers`). Feature gate CRIListStreaming; may reject with
   * `Unimplemented`.
   */
  streamContainers(filter?: ContainerFilter): AsyncIterable<Container[]>;

  /**
   * The status of one container (proto `ContainerStatus`).
   *
   * @throws {@link CriError} `NotFound` for an unknown or removed container.
   */
  containerStatus(containerId: string, options?: VerboseOptions): Promise<ContainerStatusResponse>;

  /**
   * Changes a container's cgroup resources in place, all or nothing (proto
   * `UpdateContainerResources`); `containerStatus` then reports them.
   *
   * @throws {@link CriError} `NotFound` for an unknown container.
   */
  updateContainerResources(containerId: string, update: ContainerResourcesUpdate): Promise<void>;

  /**
   * Reopens the container's log file after the kubelet rotated it (proto
   * `ReopenContainerLog`).
   *
   * @throws {@link CriError} `NotFound` for an unknown container; `FailedPrecondition`
   *   if it is not running (then no new file is created).
   */
  reopenContainerLog(containerId: string): Promise<void>;

  /**
   * Runs a command in a running container and waits for it (proto
   * `ExecSync`); exec probes use it. A non-zero exit code is a result, not
   * an error.
   *
   * @param cmd the command and its arguments; non-empty.
   * @param timeoutSeconds how long the command may run; 0 means no limit.
   * @throws {@link CriError} `NotFound` for an unknown container; `FailedPrecondition`
   *   if it is not running; `InvalidArgument` for an empty `cmd` or a negative
   *   timeout; `DeadlineExceeded` if the command outlived the timeout (it is killed).
   */
  execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResponse>;

  /**
   * Prepares a streaming exec session (proto `Exec`) and returns the URL of
   * the runtime's streaming server for it. May reject with `Unimplemented`.
   */
  exec(containerId: string, cmd: string[], streams: StreamingOptions): Promise<string>;

  /**
   * Prepares a streaming attach to the container's main process (proto
   * `Attach`) and returns its URL. May reject with `Unimplemented`.
   */
  attach(containerId: string, streams: StreamingOptions): Promise<string>;

  /**
   * Prepares port forwarding into a sandbox (proto `PortForward`) and
   * returns its URL. May reject with `Unimplemented`.
   */
  portForward(podSandboxId: string, ports: number[]): Promise<string>;

  /**
   * Resource usage of one container (proto `ContainerStats`); `cpu` and
   * `memory` carry a timestamp > 0.
   *
   * @throws {@link CriError} `NotFound` for an unknown container.
   */
  containerStats(containerId: string): Promise<ContainerStats>;

  /**
   * Resource usage of the containers matching `filter` (proto
   * `ListContainerStats`): at least every running one.
   */
  listContainerStats(filter?: ContainerStatsFilter): Promise<ContainerStats[]>;

  /**
   * The same as `listContainerStats`, in non-empty batches (proto
   * `StreamContainerStats`). May reject with `Unimplemented`.
   */
  streamContainerStats(filter?: ContainerStatsFilter): AsyncIterable<ContainerStats[]>;

  /**
   * Resource usage of a sandbox and its containers (proto
   * `PodSandboxStats`). May reject with `Unimplemented`.
   *
   * @throws {@link CriError} `NotFound` for an unknown sandbox.
   */
  podSandboxStats(podSandboxId: string): Promise<PodSandboxStats>;

  /** Resource usage of the sandboxes matching `filter` (proto `ListPodSandboxStats`). May reject with `Unimplemented`. */
  listPodSandboxStats(filter?: PodSandboxStatsFilter): Promise<PodSandboxStats[]>;

  /**
   * The same as `listPodSandboxStats`, in non-empty batches (proto
   * `StreamPodSandboxStats`). May reject with `Unimplemented`.
   */
  streamPodSandboxStats(filter?: PodSandboxStatsFilter): AsyncIterable<PodSandboxStats[]>;

  /** Applies node-level settings the kubelet pushes, today the pod CIDR (proto `UpdateRuntimeConfig`). */
  updateRuntimeConfig(config: RuntimeConfig): Promise<void>;

  /**
   * The runtime's conditions, handlers and features (proto `Status`). A
   * healthy runtime reports `RuntimeReady` and `NetworkReady` true.
   */
  status(options?: VerboseOptions): Promise<StatusResponse>;

  /**
   * Checkpoints a container into an archive at `location` (proto
   * `CheckpointContainer`). May reject with `Unimplemented`.
   *
   * @param timeoutSeconds 0 or absent uses the runtime's default.
   */
  checkpointContainer(containerId: string, location: string, timeoutSeconds?: number): Promise<void>;

  /**
   * Checkpoints the given running containers of a sandbox consistently
   * (proto `CheckpointPod`). May reject with `Unimplemented`.
   */
  checkpointPod(podSandboxId: string, options: CheckpointPodOptions): Promise<void>;

  /**
   * Recreates a sandbox and its containers (all `CONTAINER_CREATED`) from a
   * pod checkpoint (proto `RestorePod`). May reject with `Unimplemented`.
   */
  restorePod(request: RestorePodRequest): Promise<RestorePodResponse>;

  /**
   * A live stream of container transitions (proto `GetContainerEvents`), for
   * the kubelet's evented PLEG. The subscription starts when iteration starts
   * (the first `next()`); earlier events are not replayed. For each container
   * the stream carries `CONTAINER_CREATED_EVENT` (createContainer),
   * `CONTAINER_STARTED_EVENT` (startContainer), `CONTAINER_STOPPED_EVENT`
   * (once, whenever the process ends: stopContainer, exiting by itself,
   * stopPodSandbox, or removal of a running container) and
   * `CONTAINER_DELETED_EVENT` (removeContainer or removePodSandbox), in that
   * order. Several subscribers each get every event. Breaking out of the
   * loop (`return()`) or aborting `options.signal` unsubscribes; aborting
   * ends the iteration quietly (no rejection).
   */
  getContainerEvents(options?: ContainerEventsOptions): AsyncIterable<ContainerEventResponse>;

  /** The metrics `listPodSandboxMetrics` reports, fixed at startup (proto `ListMetricDescriptors`). May reject with `Unimplemented`. */
  listMetricDescriptors(): Promise<MetricDescriptor[]>;

  /** Metrics of every sandbox and its containers (proto `ListPodSandboxMetrics`). May reject with `Unimplemented`. */
  listPodSandboxMetrics(): Promise<PodSandboxMetrics[]>;

  /**
   * The same as `listPodSandboxMetrics`, in non-empty batches (proto
   * `StreamPodSandboxMetrics`). May reject with `Unimplemented`.
   */
  streamPodSandboxMetrics(): AsyncIterable<PodSandboxMetrics[]>;

  /**
   * Settings the kubelet adopts at startup, such as the cgroup driver (proto
   * `RuntimeConfig`). `Unimplemented` makes the kubelet keep its own.
   */
  runtimeConfig(): Promise<RuntimeConfigResponse>;

  /**
   * Records a sandbox's new pod-level resources after the kubelet resized
   * its cgroup (proto `UpdatePodSandboxResources`); best effort. May reject
   * with `Unimplemented`.
   */
  updatePodSandboxResources(podSandboxId: string, update: PodSandboxResourcesUpdate): Promise<void>;
}

/**
 * CRI's `ImageService`: how the kubelet pulls, inspects and garbage-collects
 * images. Failures reject with a {@link CriError}. The kubelet needs every
 * method; `streamImages` only with the CRIListStreaming feature.
 */
export interface ImageService {
  /** The images on the node, or only the one `filter.image` names (proto `ListImages`). */
  listImages(filter?: ImageFilter): Promise<Image[]>;

  /**
   * The same as `listImages`, in non-empty batches (proto `StreamImages`).
   * May reject with `Unimplemented`.
   */
  streamImages(filter?: ImageFilter): AsyncIterable<Image[]>;

  /**
   * One image, looked up by any of its tags, digests or its id (proto
   * `ImageStatus`). An image that is not on the node is no error:
   * `image` is absent from the response.
   *
   * @throws {@link CriError} `InvalidArgument` if `image.image` is empty.
   */
  imageStatus(image: ImageSpec, options?: VerboseOptions): Promise<ImageStatusResponse>;

  /**
   * Pulls an image onto the node (proto `PullImage`). Pulling an image that
   * is present already succeeds and returns the same reference.
   *
   * @param sandboxConfig the sandbox the image is for (some runtimes pull per pod).
   * @returns the image id (`Image.id`, `Container.imageId`).
   * @throws {@link CriError} `InvalidArgument` if `image.image` is empty; `NotFound` if
   *   the registry does not have it; `Unauthenticated` if the registry refuses `auth`;
   *   `Unavailable` if the registry cannot be reached.
   */
  pullImage(image: ImageSpec, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string>;

  /**
   * Removes an image and every tag of it (proto `RemoveImage`). Idempotent:
   * removing an absent image succeeds.
   *
   * @throws {@link CriError} `InvalidArgument` if `image.image` is empty.
   */
  removeImage(image: ImageSpec): Promise<void>;

  /** Usage of the file systems holding images (proto `ImageFsInfo`), for the kubelet's image GC. */
  imageFsInfo(): Promise<ImageFsInfoResponse>;
}
