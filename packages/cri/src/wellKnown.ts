import type { LabelSelector, StringMap } from './types';

/** The CRI API version a runtime reports as `VersionResponse.runtimeApiVersion`. */
export const CRI_API_VERSION = 'v1';

/** The kubelet runtime API version the kubelet sends in `VersionRequest` and runtimes echo as `version`. */
export const KUBELET_RUNTIME_API_VERSION = '0.1.0';

/**
 * Label keys the kubelet puts on every sandbox (pod name, namespace, uid, on
 * top of the pod's own labels) and every container (the same plus the
 * container name), so that it can map what `listPodSandbox` and
 * `listContainers` return back to pods without its own bookkeeping
 * (kubernetes `pkg/kubelet/types/labels.go`).
 */
export const KubeletLabel = {
  PodName: 'io.kubernetes.pod.name',
  PodNamespace: 'io.kubernetes.pod.namespace',
  PodUid: 'io.kubernetes.pod.uid',
  ContainerName: 'io.kubernetes.container.name',
} as const;
/** One of {@link KubeletLabel}'s values. */
export type KubeletLabel = (typeof KubeletLabel)[keyof typeof KubeletLabel];

/**
 * Annotation keys the kubelet puts on containers to remember what the pod spec
 * said when it created them: the hash it compares to decide on a restart, the
 * restart count, where to read the termination message, the preStop hook and
 * ports (JSON), the container type, and the grace periods
 * (kubernetes `pkg/kubelet/kuberuntime/labels.go`).
 */
export const KubeletAnnotation = {
  ContainerHash: 'io.kubernetes.container.hash',
  ContainerHashWithoutResources: 'io.kubernetes.container.hashWithoutResources',
  ContainerRestartCount: 'io.kubernetes.container.restartCount',
  ContainerTerminationMessagePath: 'io.kubernetes.container.terminationMessagePath',
  ContainerTerminationMessagePolicy: 'io.kubernetes.container.terminationMessagePolicy',
  ContainerPreStopHandler: 'io.kubernetes.container.preStopHandler',
  ContainerPorts: 'io.kubernetes.container.ports',
  ContainerType: 'io.kubernetes.container.type',
  PodDeletionGracePeriod: 'io.kubernetes.pod.deletionGracePeriod',
  PodTerminationGracePeriod: 'io.kubernetes.pod.terminationGracePeriod',
} as const;
/** One of {@link KubeletAnnotation}'s values. */
export type KubeletAnnotation = (typeof KubeletAnnotation)[keyof typeof KubeletAnnotation];

/** Values of the {@link KubeletAnnotation.ContainerType} annotation. */
export const KubeletContainerType = {
  Init: 'init',
  Container: 'container',
  Ephemeral: 'ephemeral',
} as const;
/** One of {@link KubeletContainerType}'s values. */
export type KubeletContainerType = (typeof KubeletContainerType)[keyof typeof KubeletContainerType];

/**
 * `ContainerStatus.reason` of an exited container, as runtimes report it
 * (containerd, CRI-O) and the kubelet copies into the pod's
 * `state.terminated.reason`. A runtime that exits with code 0 says
 * `Completed`, any other code `Error`; `OOMKilled` takes precedence when the
 * cgroup OOM killer ended the process; `StartError` (with exit code 128 in
 * containerd) when the process could not be started at all.
 */
export const ContainerExitReason = {
  Completed: 'Completed',
  Error: 'Error',
  OOMKilled: 'OOMKilled',
  StartError: 'StartError',
} as const;
/** One of {@link ContainerExitReason}'s values. */
export type ContainerExitReason = (typeof ContainerExitReason)[keyof typeof ContainerExitReason];

/**
 * Reasons the kubelet itself (not the runtime) writes into a pod's container
 * statuses while it drives CRI: waiting reasons before and between attempts,
 * and the errors of each step. Listed here so that Keelson's node agent uses
 * Kubernetes' exact strings.
 */
export const KubeletContainerReason = {
  /** Waiting: the sandbox or the container is being set up. */
  ContainerCreating: 'ContainerCreating',
  /** Waiting: an app container while init containers still run. */
  PodInitializing: 'PodInitializing',
  /** Waiting: the container keeps exiting and the kubelet backs off before the next attempt. */
  CrashLoopBackOff: 'CrashLoopBackOff',
  /** Waiting: `pullImage` failed. */
  ErrImagePull: 'ErrImagePull',
  /** Waiting: `pullImage` failed and the kubelet backs off before retrying. */
  ImagePullBackOff: 'ImagePullBackOff',
  /** Waiting: the image is absent and the pull policy is Never. */
  ErrImageNeverPull: 'ErrImageNeverPull',
  /** Waiting: the image reference does not parse. */
  InvalidImageName: 'InvalidImageName',
  /** Waiting: `imageStatus` failed. */
  ImageInspectError: 'ImageInspectError',
  /** Waiting: the registry could not be reached. */
  RegistryUnavailable: 'RegistryUnavailable',
  /** Waiting: the container config could not be built (missing ConfigMap or Secret, say). */
  CreateContainerConfigError: 'CreateContainerConfigError',
  /** Waiting: `createContainer` failed. */
  CreateContainerError: 'CreateContainerError',
  /** Waiting: a pre-start hook (e.g. the CPU manager's) failed. */
  PreStartHookError: 'PreStartHookError',
  /** The postStart hook failed; the kubelet kills the container. */
  PostStartHookError: 'PostStartHookError',
  /** Waiting: `startContainer` failed. */
  RunContainerError: 'RunContainerError',
  /** Terminated (exit code 137): the container vanished while the pod was being terminated. */
  ContainerStatusUnknown: 'ContainerStatusUnknown',
} as const;
/** One of {@link KubeletContainerReason}'s values. */
export type KubeletContainerReason = (typeof KubeletContainerReason)[keyof typeof KubeletContainerReason];

/**
 * The `RuntimeCondition` types the kubelet requires to be true: `RuntimeReady`
 * (basic containers, e.g. with host network, can run) and `NetworkReady` (the
 * pod network is up). Any other type is informative.
 */
export const RuntimeConditionType = {
  RuntimeReady: 'RuntimeReady',
  NetworkReady: 'NetworkReady',
} as const;
/** One of {@link RuntimeConditionType}'s values. */
export type RuntimeConditionType = (typeof RuntimeConditionType)[keyof typeof RuntimeConditionType];

/**
 * Whether `labels` satisfy a CRI filter's `labelSelector`: every selector key
 * present with exactly that value. An absent or empty selector matches
 * everything. This is the only selector semantics CRI filters have (no set
 * or existence operators).
 */
export function matchesLabelSelector(labels: StringMap, selector: LabelSelector | undefined): boolean {
  if (selector === undefined) return true;
  for (const key of Object.keys(selector)) {
    if (!Object.hasOwn(labels, key) || labels[key] !== selector[key]) return false;
  }
  return true;
}
