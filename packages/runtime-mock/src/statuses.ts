import type { Container, ContainerStatus, PodSandbox, PodSandboxStatus } from '@keelson/cri';
import { type ContainerRecord, copy, type RuntimeContext, type SandboxRecord } from './context';

// The CRI views of the mock's records. Each call builds fresh objects, so a
// caller may keep or change what it got.

/** The full CRI status of a container. */
export function containerStatusOf(record: ContainerRecord): ContainerStatus {
  const { config } = record;
  const security = config.linux?.securityContext;
  return {
    id: record.id,
    metadata: copy(record.metadata),
    state: record.state,
    createdAt: record.createdAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    exitCode: record.exitCode,
    image: copy(record.image),
    imageRef: record.imageRef,
    reason: record.reason,
    message: record.message,
    labels: { ...config.labels },
    annotations: { ...config.annotations },
    mounts: copy(config.mounts ?? []),
    logPath: record.logPath,
    ...(record.resources === undefined ? {} : { resources: { linux: copy(record.resources) } }),
    imageId: record.imageId,
    user: {
      linux: {
        uid: security?.runAsUser ?? 0,
        gid: security?.runAsGroup ?? 0,
        supplementalGroups: [...(security?.supplementalGroups ?? [])],
      },
    },
    ...(config.stopSignal === undefined ? {} : { stopSignal: config.stopSignal }),
  };
}

/** A container as `listContainers` lists it. */
export function containerOf(record: ContainerRecord): Container {
  return {
    id: record.id,
    podSandboxId: record.sandboxId,
    metadata: copy(record.metadata),
    image: copy(record.image),
    imageRef: record.imageRef,
    state: record.state,
    createdAt: record.createdAt,
    labels: { ...record.config.labels },
    annotations: { ...record.config.annotations },
    imageId: record.imageId,
  };
}

/** The full CRI status of a sandbox. */
export function sandboxStatusOf(record: SandboxRecord): PodSandboxStatus {
  const namespaceOptions = record.config.linux?.securityContext?.namespaceOptions;
  return {
    id: record.id,
    metadata: copy(record.metadata),
    state: record.state,
    createdAt: record.createdAt,
    ...(hasOwnNetwork(record) ? { network: { ip: record.ip, additionalIps: [] } } : {}),
    linux: { namespaces: namespaceOptions === undefined ? {} : { options: copy(namespaceOptions) } },
    labels: { ...record.config.labels },
    annotations: { ...record.config.annotations },
    runtimeHandler: record.runtimeHandler,
  };
}

/** A sandbox as `listPodSandbox` lists it. */
export function sandboxOf(record: SandboxRecord): PodSandbox {
  return {
    id: record.id,
    metadata: copy(record.metadata),
    state: record.state,
    createdAt: record.createdAt,
    labels: { ...record.config.labels },
    annotations: { ...record.config.annotations },
    runtimeHandler: record.runtimeHandler,
  };
}

/** Whether the sandbox has a network namespace of its own (and so a pod IP), not the node's. */
export function hasOwnNetwork(record: SandboxRecord): boolean {
  return record.config.linux?.securityContext?.namespaceOptions?.network !== 'NODE';
}

/** Statuses of a sandbox's containers, in creation order. */
export function sandboxContainerStatuses(ctx: RuntimeContext, sandbox: SandboxRecord): ContainerStatus[] {
  const statuses: ContainerStatus[] = [];
  for (const id of sandbox.containers) {
    const record = ctx.containers.get(id);
    if (record !== undefined) statuses.push(containerStatusOf(record));
  }
  return statuses;
}
