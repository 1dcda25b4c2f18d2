/**
 * Conversions between the pod spec, CRI configs and container statuses
 * (pure): the kubelet's labels on sandboxes and containers, and CRI states
 * as `ContainerStatus` entries.
 */
import { type Container, type ContainerStatus, type Pod, parseQuantity } from '@keelson/api';
import {
  type ContainerConfig,
  type ContainerStatus as CriContainerStatus,
  KubeletAnnotation,
  KubeletContainerType,
  KubeletLabel,
  type Mount,
  type PodSandboxConfig,
} from '@keelson/cri';
import { hashContainer } from './containerHash';
import { rfc3339 } from './status';

/** A container's terminated state, as the pod status shows it. */
export type TerminatedState = NonNullable<NonNullable<ContainerStatus['state']>['terminated']>;

/** The sandbox config the kubelet runs a pod with: metadata and the kubelet's labels. */
export function sandboxConfigOf(pod: Pod, attempt = 0): PodSandboxConfig {
  const { name, namespace, uid } = pod.metadata;
  return {
    metadata: { name, namespace: namespace ?? 'default', uid: uid ?? '', attempt },
    hostname: name,
    labels: {
      ...pod.metadata.labels,
      [KubeletLabel.PodName]: name,
      [KubeletLabel.PodNamespace]: namespace ?? 'default',
      [KubeletLabel.PodUid]: uid ?? '',
    },
    annotations: { ...pod.metadata.annotations },
  };
}

/** The CRI config of one attempt of a container. */
export function containerConfigOf(
  pod: Pod,
  container: Container,
  attempt: number,
  init: boolean,
  mounts: readonly Mount[] = [],
): ContainerConfig {
  const { name, namespace, uid } = pod.metadata;
  const memory = container.resources?.limits?.memory;
  const memoryLimitInBytes = memory === undefined ? undefined : Number(parseQuantity(memory).value());
  return {
    metadata: { name: container.name, attempt },
    image: { image: container.image },
    ...(container.command === undefined ? {} : { command: [...container.command] }),
    ...(container.args === undefined ? {} : { args: [...container.args] }),
    envs: (container.env ?? []).map((env) => ({ key: env.name, value: env.value ?? '' })),
    ...(mounts.length === 0 ? {} : { mounts: mounts.map((m) => ({ ...m })) }),
    labels: {
      [KubeletLabel.PodName]: name,
      [KubeletLabel.PodNamespace]: namespace ?? 'default',
      [KubeletLabel.PodUid]: uid ?? '',
      [KubeletLabel.ContainerName]: container.name,
    },
    annotations: {
      [KubeletAnnotation.ContainerHash]: hashContainer(container),
      [KubeletAnnotation.ContainerRestartCount]: String(attempt),
      [KubeletAnnotation.ContainerType]: init ? KubeletContainerType.Init : KubeletContainerType.Container,
      [KubeletAnnotation.ContainerTerminationMessagePath]: container.terminationMessagePath,
      [KubeletAnnotation.PodTerminationGracePeriod]: String(pod.spec.terminationGracePeriodSeconds),
    },
    ...(memoryLimitInBytes === undefined ? {} : { linux: { resources: { memoryLimitInBytes } } }),
  };
}

/** Nanoseconds since the epoch as RFC 3339. */
export function nanosToTime(nanos: bigint): string {
  return rfc3339(Number(nanos / 1_000_000n));
}

/** A CRI exited container as a terminated state. */
export function terminatedOf(status: CriContainerStatus, containerID: string): TerminatedState {
  return {
    exitCode: status.exitCode,
    reason: status.reason === '' ? (status.exitCode === 0 ? 'Completed' : 'Error') : status.reason,
    ...(status.message === '' ? {} : { message: status.message }),
    startedAt: nanosToTime(status.startedAt),
    finishedAt: nanosToTime(status.finishedAt),
    containerID,
  };
}

/** Named ports of a container, for probes with `port: 'http'`. */
export function namedPorts(container: Container): Record<string, number> {
  const ports: Record<string, number> = {};
  for (const port of container.ports ?? []) if (port.name !== undefined) ports[port.name] = port.containerPort;
  return ports;
}
