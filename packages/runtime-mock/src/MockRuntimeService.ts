import {
  type Container,
  type ContainerConfig,
  type ContainerEventResponse,
  type ContainerEventsOptions,
  type ContainerFilter,
  type ContainerResourcesUpdate,
  type ContainerStats,
  type ContainerStatsFilter,
  type ContainerStatusResponse,
  CRI_API_VERSION,
  type ExecSyncResponse,
  KUBELET_RUNTIME_API_VERSION,
  type MetricDescriptor,
  type PodSandbox,
  type PodSandboxConfig,
  type PodSandboxFilter,
  type PodSandboxMetrics,
  type PodSandboxStats,
  type PodSandboxStatsFilter,
  type PodSandboxStatusResponse,
  type RestorePodResponse,
  type RuntimeConfig,
  type RuntimeConfigResponse,
  type RuntimeService,
  type StatusResponse,
  type VersionResponse,
} from '@keelson/cri';
import * as containers from './containers';
import { nowNanos, type RuntimeContext } from './context';
import { checkSeconds, runtimeUnavailable, unimplemented } from './errors';
import { execSync } from './exec';
import * as lifecycle from './lifecycle';
import * as sandboxes from './sandboxes';
import { containerStatsOf, sandboxStatsOf } from './stats';
import { containerOf, containerStatusOf, sandboxContainerStatuses, sandboxOf, sandboxStatusOf } from './statuses';

/** A list RPC's answer as one batch of a stream (none when empty: CRI streams send only non-empty batches). */
export async function* batchOf<T>(load: () => Promise<T[]>): AsyncGenerator<T[]> {
  const items = await load();
  if (items.length > 0) yield items;
}

/**
 * The {@link RuntimeService} half of {@link MockRuntime}: sandboxes,
 * containers, exec, stats, status and container events over the mock's
 * in-memory state. While the runtime is down (`faults.runtimeDown()`) every
 * RPC but `status` rejects with `Unavailable`. Streaming exec, attach, port
 * forwarding, checkpoints and CRI metrics reject with `Unimplemented`, which
 * CRI allows.
 */
export class MockRuntimeService implements RuntimeService {
  /** @internal use `createMockRuntime`. */
  constructor(protected readonly ctx: RuntimeContext) {}

  /** Rejects every RPC while the runtime is down. */
  protected guard(): void {
    if (this.ctx.down) throw runtimeUnavailable();
  }

  async version(_apiVersion?: string): Promise<VersionResponse> {
    this.guard();
    return {
      version: KUBELET_RUNTIME_API_VERSION,
      runtimeName: this.ctx.runtimeName,
      runtimeVersion: this.ctx.runtimeVersion,
      runtimeApiVersion: CRI_API_VERSION,
    };
  }

  async runPodSandbox(config: PodSandboxConfig, runtimeHandler?: string): Promise<string> {
    this.guard();
    return sandboxes.runPodSandbox(this.ctx, config, runtimeHandler ?? '');
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    this.guard();
    sandboxes.stopPodSandbox(this.ctx, podSandboxId);
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    this.guard();
    sandboxes.removePodSandbox(this.ctx, podSandboxId);
  }

  async podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatusResponse> {
    this.guard();
    const record = sandboxes.getSandbox(this.ctx, podSandboxId);
    return {
      status: sandboxStatusOf(record),
      info: {},
      containersStatuses: sandboxContainerStatuses(this.ctx, record),
      timestamp: nowNanos(this.ctx.clock),
    };
  }

  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    this.guard();
    return sandboxes.filterSandboxes(this.ctx, filter).map(sandboxOf);
  }

  streamPodSandboxes(filter?: PodSandboxFilter): AsyncIterable<PodSandbox[]> {
    return batchOf(() => this.listPodSandbox(filter));
  }

  async createContainer(
    podSandboxId: string,
    config: ContainerConfig,
    sandboxConfig: PodSandboxConfig,
  ): Promise<string> {
    this.guard();
    return containers.createContainer(this.ctx, podSandboxId, config, sandboxConfig);
  }

  async startContainer(containerId: string): Promise<void> {
    this.guard();
    lifecycle.startContainer(this.ctx, containerId);
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    this.guard();
    checkSeconds('stopContainer', 'timeoutSeconds', timeoutSeconds);
    const record = this.ctx.containers.get(containerId);
    if (record !== undefined) await lifecycle.stopContainer(this.ctx, record, timeoutSeconds);
  }

  async removeContainer(containerId: string): Promise<void> {
    this.guard();
    containers.removeContainer(this.ctx, containerId);
  }

  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    this.guard();
    return containers.filterContainers(this.ctx, filter).map(containerOf);
  }

  streamContainers(filter?: ContainerFilter): AsyncIterable<Container[]> {
    return batchOf(() => this.listContainers(filter));
  }

  async containerStatus(containerId: string): Promise<ContainerStatusResponse> {
    this.guard();
    return { status: containerStatusOf(containers.getContainer(this.ctx, containerId)), info: {} };
  }

  async updateContainerResources(containerId: string, update: ContainerResourcesUpdate): Promise<void> {
    this.guard();
    containers.updateContainerResources(this.ctx, containerId, update);
  }

  async reopenContainerLog(containerId: string): Promise<void> {
    this.guard();
    containers.reopenContainerLog(this.ctx, containerId);
  }

  async execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResponse> {
    this.guard();
    return execSync(this.ctx, containerId, cmd, timeoutSeconds);
  }

  async exec(): Promise<string> {
    this.guard();
    throw unimplemented('Exec (streaming exec; use execSync)');
  }

  async attach(): Promise<string> {
    this.guard();
    throw unimplemented('Attach');
  }

  async portForward(): Promise<string> {
    this.guard();
    throw unimplemented('PortForward');
  }

  async containerStats(containerId: string): Promise<ContainerStats> {
    this.guard();
    return containerStatsOf(this.ctx, containers.getContainer(this.ctx, containerId));
  }

  async listContainerStats(filter?: ContainerStatsFilter): Promise<ContainerStats[]> {
    this.guard();
    return containers.filterContainers(this.ctx, filter).map((record) => containerStatsOf(this.ctx, record));
  }

  streamContainerStats(filter?: ContainerStatsFilter): AsyncIterable<ContainerStats[]> {
    return batchOf(() => this.listContainerStats(filter));
  }

  async podSandboxStats(podSandboxId: string): Promise<PodSandboxStats> {
    this.guard();
    return sandboxStatsOf(this.ctx, sandboxes.getSandbox(this.ctx, podSandboxId));
  }

  async listPodSandboxStats(filter?: PodSandboxStatsFilter): Promise<PodSandboxStats[]> {
    this.guard();
    return sandboxes.filterSandboxes(this.ctx, filter).map((record) => sandboxStatsOf(this.ctx, record));
  }

  streamPodSandboxStats(filter?: PodSandboxStatsFilter): AsyncIterable<PodSandboxStats[]> {
    return batchOf(() => this.listPodSandboxStats(filter));
  }

  async updateRuntimeConfig(config: RuntimeConfig): Promise<void> {
    this.guard();
    const cidr = config?.networkConfig?.podCidr;
    if (cidr) this.ctx.network.setCidr(cidr);
  }

  /** Answers even while the runtime is down, then with `RuntimeReady` and `NetworkReady` false. */
  async status(): Promise<StatusResponse> {
    const down = this.ctx.down;
    const condition = (type: string) => ({
      type,
      status: !down,
      reason: down ? 'RuntimeDown' : '',
      message: down ? 'the mock runtime is down (faults.runtimeDown)' : '',
    });
    return {
      status: { conditions: [condition('RuntimeReady'), condition('NetworkReady')] },
      info: {},
      runtimeHandlers: this.ctx.runtimeHandlers.map((name) => ({
        name,
        features: { recursiveReadOnlyMounts: false, userNamespaces: false },
      })),
      features: { supplementalGroupsPolicy: true, userNamespacesHostNetwork: false, mountOptions: false },
    };
  }

  async checkpointContainer(): Promise<void> {
    this.guard();
    throw unimplemented('CheckpointContainer');
  }

  async checkpointPod(): Promise<void> {
    this.guard();
    throw unimplemented('CheckpointPod');
  }

  async restorePod(): Promise<RestorePodResponse> {
    this.guard();
    throw unimplemented('RestorePod');
  }

  getContainerEvents(options?: ContainerEventsOptions): AsyncIterable<ContainerEventResponse> {
    return this.ctx.events.stream(options, () => this.guard());
  }

  async listMetricDescriptors(): Promise<MetricDescriptor[]> {
    this.guard();
    throw unimplemented('ListMetricDescriptors');
  }

  async listPodSandboxMetrics(): Promise<PodSandboxMetrics[]> {
    this.guard();
    throw unimplemented('ListPodSandboxMetrics');
  }

  streamPodSandboxMetrics(): AsyncIterable<PodSandboxMetrics[]> {
    return batchOf(() => this.listPodSandboxMetrics());
  }

  async runtimeConfig(): Promise<RuntimeConfigResponse> {
    this.guard();
    return { linux: { cgroupDriver: 'SYSTEMD' } };
  }

  /** Best effort, as CRI allows: checks the sandbox exists and keeps nothing. */
  async updatePodSandboxResources(podSandboxId: string): Promise<void> {
    this.guard();
    sandboxes.getSandbox(this.ctx, podSandboxId);
  }
}
