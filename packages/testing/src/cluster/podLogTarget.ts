/**
 * Which container's log a pod log request reads: the container chosen as
 * the API server chooses it, then the container instance as the kubelet
 * does from the container's status (the current one, or with `previous` the
 * one before it).
 */
import { type ContainerStatus, Pod } from '@keelson/api';
import { InvalidError, NotFoundError, type Store } from '@keelson/core';
import type { PodLogRequest } from './podLogs';

const names = (containers: readonly { name: string }[] | undefined) => (containers ?? []).map((c) => c.name).join(' ');

/** The container the request names, or the pod's only one; the API server's errors otherwise. */
function containerName(pod: Pod, request: PodLogRequest): string {
  const { containers, initContainers } = pod.spec;
  const choices = `choose one of: [${names(containers)}]${
    (initContainers ?? []).length > 0 ? ` or one of the init containers: [${names(initContainers)}]` : ''
  }`;
  if (request.container === undefined || request.container === '') {
    const only = containers.length === 1 ? containers[0] : undefined;
    if (only !== undefined) return only.name;
    throw new InvalidError(`a container name must be specified for pod ${pod.metadata.name}, ${choices}`);
  }
  const all = [...containers, ...(initContainers ?? [])];
  if (!all.some((c) => c.name === request.container)) {
    throw new NotFoundError(`container ${request.container} is not valid for pod ${pod.metadata.name}, ${choices}`);
  }
  return request.container;
}

/** The runtime's id in a status's `containerID` (`mock://<id>`), or '' for none. */
function runtimeId(containerID: string | undefined): string {
  if (!containerID) return '';
  const at = containerID.indexOf('://');
  return at < 0 ? containerID : containerID.slice(at + 3);
}

/** The container instance whose log the kubelet shows for this status, or its error (a 400 in Kubernetes). */
function instanceOf(status: ContainerStatus, pod: string, previous: boolean): string {
  const name = status.name;
  const last = runtimeId(status.lastState?.terminated?.containerID);
  const { running, terminated, waiting } = status.state ?? {};
  const terminatedError = () => new InvalidError(`container "${name}" in pod "${pod}" is terminated`);
  if (previous) {
    if (last === '') throw new InvalidError(`previous terminated container "${name}" in pod "${pod}" not found`);
    return last;
  }
  if (running !== undefined) return runtimeId(status.containerID);
  if (terminated !== undefined) {
    const id = runtimeId(terminated.containerID) || last;
    if (id === '') throw terminatedError();
    return id;
  }
  if (status.lastState?.terminated !== undefined) {
    if (last === '') throw terminatedError();
    return last;
  }
  if (waiting !== undefined) {
    const reason = waiting.reason ?? '';
    const why =
      reason === 'ErrImagePull'
        ? "image can't be pulled"
        : reason === 'ImagePullBackOff'
          ? 'trying and failing to pull image'
          : reason;
    throw new InvalidError(`container "${name}" in pod "${pod}" is waiting to start: ${why}`);
  }
  throw new InvalidError(`container "${name}" in pod "${pod}" is waiting to start - no logs yet`);
}

/** Where a request's log is: the pod's node and the runtime's container id; undefined for a pod not yet scheduled. */
export interface LogTarget {
  nodeName: string;
  containerId: string;
  /** `container "web" in pod "default/web-0"`, for messages. */
  describe: string;
}

/**
 * Finds the pod, its container and the instance to read.
 *
 * @throws NotFoundError for no such pod or container; InvalidError for
 *   several containers and none named, or a log that does not exist yet
 *   (or, with `previous`, any more).
 */
export async function locateLog(store: Store, request: PodLogRequest): Promise<LogTarget | undefined> {
  const pod = await store.get(Pod, request.pod, { namespace: request.namespace });
  const name = containerName(pod, request);
  // As the API server: a pod without a node has no log yet, and that reads as an empty one.
  const nodeName = pod.spec.nodeName;
  if (!nodeName) return undefined;
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const status = statuses.find((s) => s.name === name);
  if (status === undefined) {
    throw new InvalidError(`container "${name}" in pod "${request.pod}" is waiting to start - no logs yet`);
  }
  const containerId = instanceOf(status, request.pod, request.previous === true);
  if (containerId === '') {
    throw new InvalidError(`container "${name}" in pod "${request.pod}" is waiting to start - no logs yet`);
  }
  return { nodeName, containerId, describe: `container "${name}" in pod "${request.namespace}/${request.pod}"` };
}
