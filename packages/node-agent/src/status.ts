/**
 * Pure computation of a pod's status from its containers' statuses, with the
 * rules of the kubelet's `status/generate.go` and `kubelet_pods.go getPhase`.
 */
import { type ContainerStatus, Pod, type PodPhase, type PodStatus, setCondition } from '@keelson/api';
import { isKeelsonError, type Store } from '@keelson/core';

/** A pod's spec, as much as the status computation reads. */
export interface PodSpecView {
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  initContainers?: readonly { name: string; restartPolicy?: 'Always' }[];
  containers: readonly { name: string }[];
}

/** What the pod worker knows about a pod, to turn into its status. */
export interface PodStatusInput {
  spec: PodSpecView;
  /** The status in the store (conditions keep their transition times). */
  previous: PodStatus | undefined;
  initContainerStatuses: ContainerStatus[];
  containerStatuses: ContainerStatus[];
  /** The sandbox is up with its network. */
  sandboxReady: boolean;
  hostIP: string | undefined;
  podIP: string | undefined;
  /** RFC 3339 time the agent first handled the pod. */
  startTime: string;
  /** RFC 3339 now, for condition transitions. */
  now: string;
}

/** RFC 3339 at second precision, as `metav1.Time` is written. */
export function rfc3339(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function succeededOnce(status: ContainerStatus): boolean {
  return status.state?.terminated?.exitCode === 0;
}

/** Whether every (non-sidecar) init container has succeeded; sidecars must have started. */
export function initialized(spec: PodSpecView, statuses: readonly ContainerStatus[]): boolean {
  return (spec.initContainers ?? []).every((container) => {
    const status = statuses.find((s) => s.name === container.name);
    if (status === undefined) return false;
    return container.restartPolicy === 'Always' ? status.started === true : succeededOnce(status);
  });
}

/** Whether an init container failed for good (restartPolicy Never). */
function initFailed(spec: PodSpecView, statuses: readonly ContainerStatus[]): boolean {
  if (spec.restartPolicy !== 'Never') return false;
  return statuses.some((s) => {
    const code = s.state?.terminated?.exitCode;
    return code !== undefined && code !== 0;
  });
}

/** The pod phase per the kubelet's `getPhase`. */
export function podPhaseOf(
  spec: PodSpecView,
  init: readonly ContainerStatus[],
  main: readonly ContainerStatus[],
): PodPhase {
  if (!initialized(spec, init)) return initFailed(spec, init) ? 'Failed' : 'Pending';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const container of spec.containers) {
    const status = main.find((s) => s.name === container.name);
    const state = status?.state;
    if (state?.running !== undefined) running++;
    else if (state?.terminated !== undefined) {
      stopped++;
      if (state.terminated.exitCode === 0) succeeded++;
    } else if (status?.lastState?.terminated !== undefined) {
      stopped++;
      if (status.lastState.terminated.exitCode === 0) succeeded++;
    } else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return 'Pending';
  if (spec.restartPolicy === 'Always') return 'Running';
  if (stopped === succeeded) return 'Succeeded';
  if (spec.restartPolicy === 'Never') return 'Failed';
  return 'Running';
}

type PodCondition = NonNullable<PodStatus['conditions']>[number];

function condition(type: string, ok: boolean, reason?: string, message?: string): PodCondition {
  return {
    type,
    status: ok ? 'True' : 'False',
    ...(ok || reason === undefined ? {} : { reason }),
    ...(ok || message === undefined ? {} : { message }),
  };
}

/** The pod's status: phase, the five kubelet conditions, IPs, container statuses. */
export function computePodStatus(input: PodStatusInput): PodStatus {
  const { spec, previous, now } = input;
  const phase = podPhaseOf(spec, input.initContainerStatuses, input.containerStatuses);
  const done = phase === 'Succeeded' || phase === 'Failed';
  const isInit = initialized(spec, input.initContainerStatuses);
  const unready = spec.containers
    .map((c) => c.name)
    .filter((name) => input.containerStatuses.find((s) => s.name === name)?.ready !== true);
  const incomplete = (spec.initContainers ?? [])
    .map((c) => c.name)
    .filter(
      (name) => !succeededOnce(input.initContainerStatuses.find((s) => s.name === name) ?? ({} as ContainerStatus)),
    );
  const notReadyReason = done ? 'PodCompleted' : 'ContainersNotReady';
  const notReadyMessage = done ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  let conditions = previous?.conditions ?? [];
  const scheduled = conditions.find((c) => c.type === 'PodScheduled');
  const updates: PodCondition[] = [
    scheduled?.status === 'True' ? scheduled : condition('PodScheduled', true),
    condition('PodReadyToStartContainers', input.sandboxReady && !done),
    condition(
      'Initialized',
      isInit || (done && incomplete.length === 0),
      done ? 'PodCompleted' : 'ContainersNotInitialized',
      done ? undefined : `containers with incomplete status: [${incomplete.join(' ')}]`,
    ),
    condition('Ready', unready.length === 0 && !done, notReadyReason, notReadyMessage),
    condition('ContainersReady', unready.length === 0 && !done, notReadyReason, notReadyMessage),
  ];
  for (const next of updates) conditions = setCondition(conditions, next, now);
  return {
    phase,
    conditions,
    ...(input.hostIP === undefined ? {} : { hostIP: input.hostIP, hostIPs: [{ ip: input.hostIP }] }),
    ...(input.podIP === undefined || input.podIP === '' ? {} : { podIP: input.podIP, podIPs: [{ ip: input.podIP }] }),
    startTime: previous?.startTime ?? input.startTime,
    ...(input.initContainerStatuses.length === 0 ? {} : { initContainerStatuses: input.initContainerStatuses }),
    containerStatuses: input.containerStatuses,
    ...(previous?.qosClass === undefined ? {} : { qosClass: previous.qosClass }),
  };
}

/** Structural equality of JSON-like values, ignoring key order and absent keys. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => sameJson(item, b[index]));
  }
  const keys = (o: object) => Object.keys(o).filter((k) => Reflect.get(o, k) !== undefined);
  const ak = keys(a);
  const bk = keys(b);
  return (
    ak.length === bk.length && ak.every((k) => Object.hasOwn(b, k) && sameJson(Reflect.get(a, k), Reflect.get(b, k)))
  );
}

/**
 * Writes a pod's status through the status subresource when it differs
 * from `pod.status`; returns the pod as stored (unchanged if the pod is gone).
 */
export async function writePodStatus(store: Store, pod: Pod, status: PodStatus): Promise<Pod> {
  if (sameJson(status, pod.status)) return pod;
  const { name, namespace } = pod.metadata;
  try {
    return await store.patch(
      Pod,
      name,
      (draft) => {
        draft.status = status;
      },
      { namespace, subresource: 'status' },
    );
  } catch (error) {
    if (!isKeelsonError(error, 'NotFound')) throw error;
    return pod;
  }
}
