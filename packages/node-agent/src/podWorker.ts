import type { Pod } from '@keelson/api';
import type { Clock } from '@keelson/clock';
import type { EventRecorder } from '@keelson/controller';
import type { Logger, Store } from '@keelson/core';
import { ContainerState, type ImageService, type PodSandboxConfig, type RuntimeService } from '@keelson/cri';
import type { ProbeNetwork, Prober } from '@keelson/health';
import { adoptContainers, findPodInRuntime } from './adopt';
import type { Backoff } from './backoff';
import { type ContainerHost, type PodSandbox, startProbes, syncContainers } from './containerSync';
import { sandboxConfigOf } from './containers';
import type { NodeAgentMetrics, PodSyncOperation, RunningContribution } from './metrics';
import { logPodEvent, runningContribution } from './podObservability';
import type { PodStartupTracker } from './podStartup';
import { containerStatusOf, newSlot, refreshSlot, type Slot } from './slot';
import { computePodStatus, rfc3339, writePodStatus } from './status';
import { SyncLoop } from './syncLoop';
import { finalDelete, killPod } from './termination';
import type { VolumeHost } from './volumes/plugins';
import { PodVolumes } from './volumes/podVolumes';

/** What every pod worker shares. */
export interface PodWorkerContext {
  store: Store;
  runtime: RuntimeService;
  images: ImageService;
  clock: Clock;
  hostIP: string;
  /** Prefix of `containerID` (`mock` gives `mock://<id>`). */
  runtimeType: string;
  prober: Prober;
  network: ProbeNetwork | undefined;
  crashBackoff: Backoff;
  pullBackoff: Backoff;
  recorder: EventRecorder | undefined;
  /** The node's filesystem and CSI drivers, for volumes; undefined: volumes are not set up. */
  volumes: VolumeHost | undefined;
  metrics: NodeAgentMetrics;
  startup: PodStartupTracker;
  /** Bound to the node; the worker adds the pod. */
  logger: Logger;
  /** Called when the worker is done with its pod (deleted from the store). */
  onDone(uid: string): void;
  /** Reports an unexpected error. */
  onError(error: unknown): void;
}

/**
 * Runs one pod through CRI: sandbox, image pulls, init containers in order,
 * containers, restarts with backoff, probes, status, graceful termination.
 * Syncs are serialized ({@link SyncLoop}); the worker holds the sandbox, the
 * per-container slots and the status, and leaves the container steps to
 * `syncContainers` and the kills to `killPod` / `killContainer`.
 */
export class PodWorker {
  private readonly slots = new Map<string, Slot>();
  private sandbox: PodSandbox | undefined;
  private readonly host: ContainerHost;
  /** The pod's volumes; undefined when the agent has no node filesystem. */
  private readonly volumes: PodVolumes | undefined;
  private readonly startTime: string;
  private readonly syncs: SyncLoop;
  private terminal = false;
  private done = false;
  private gone = false;
  private readonly logger: Logger;
  /** The next sync's `operation_type`: `create` first, `update` after a change in the store. */
  private operation: PodSyncOperation = 'create';
  private contribution: RunningContribution = { pods: 0, containers: {} };
  /** Set when admission refused the pod: nothing runs. */
  rejected = false;

  constructor(
    private pod: Pod,
    private readonly ctx: PodWorkerContext,
  ) {
    this.startTime = rfc3339(ctx.clock.now());
    this.logger = ctx.logger.child({ pod: `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}` });
    // a pod that finished before this agent started is not run again
    this.terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    this.syncs = new SyncLoop(
      ctx.clock,
      () => this.timedSync(),
      () => this.done,
      (error) => ctx.onError(error),
    );
    this.host = {
      ctx,
      uid: this.uid,
      pod: () => this.pod,
      sandbox: () => this.sandbox,
      slot: (name) => this.slot(name),
      event: (type, reason, message) => this.event(type, reason, message),
      syncAt: (at) => this.syncAt(at),
      requestSync: () => this.requestSync(),
      writeStatus: () => this.writeStatus(),
      mounts: async (container) => (await this.volumes?.mounts(container)) ?? [],
      logger: this.logger,
    };
    this.volumes =
      ctx.volumes === undefined
        ? undefined
        : new PodVolumes(
            ctx.volumes,
            this.uid,
            (type, reason, message) => this.event(type, reason, message),
            (at) => this.syncAt(at),
          );
  }

  get uid(): string {
    return this.pod.metadata.uid ?? '';
  }

  /** Whether the pod still holds resources on the node (for admission). */
  get active(): boolean {
    return !this.rejected && !this.terminal && !this.done;
  }

  get current(): Pod {
    return this.pod;
  }

  /** The pod changed in the store. */
  update(pod: Pod): void {
    // the informer may deliver a version older than the one our last status write returned
    if (Number(pod.metadata.resourceVersion ?? 0) >= Number(this.pod.metadata.resourceVersion ?? 0)) this.pod = pod;
    if (this.operation === 'sync') this.operation = 'update';
    this.requestSync();
  }

  /** Asks for a sync (now, or right after the running one). */
  requestSync(): void {
    this.syncs.request();
  }

  private syncAt(at: number): void {
    this.syncs.at(at);
  }

  /** Stops timers and probes; leaves the runtime as it is (the agent stops). */
  stop(): void {
    this.countRunning(true);
    this.syncs.stop();
    for (const slot of this.slots.values()) slot.probes?.stop();
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.ctx.recorder?.event(this.pod, type, reason, message).catch(() => undefined);
    logPodEvent(this.logger, type, reason, message);
  }

  /** One sync, observed in `keelson_kubelet_pod_worker_duration_seconds`, then the running gauges. */
  private async timedSync(): Promise<void> {
    const operation = this.gone || this.pod.metadata.deletionTimestamp !== undefined ? 'kill' : this.operation;
    this.operation = 'sync';
    const began = this.ctx.clock.now();
    await this.sync().finally(() => {
      this.ctx.metrics.podSynced(operation, (this.ctx.clock.now() - began) / 1_000);
      this.countRunning();
    });
  }

  /** Updates this pod's share of the running gauges (none once stopped). */
  private countRunning(stopped = false): void {
    const gone = this.done || stopped;
    const next = runningContribution(this.sandbox !== undefined && !this.terminal, gone, this.slots.values());
    this.ctx.metrics.running(this.contribution, next);
    this.contribution = next;
  }

  private slot(name: string): Slot {
    let slot = this.slots.get(name);
    if (slot === undefined) {
      slot = newSlot();
      this.slots.set(name, slot);
    }
    return slot;
  }

  /** The pod left the store: tear everything down without a final delete. */
  markGone(): void {
    this.gone = true;
    this.requestSync();
  }

  private async sync(): Promise<void> {
    if (this.done) return;
    if (this.gone) {
      await this.terminate(true);
      return;
    }
    if (this.pod.metadata.deletionTimestamp !== undefined) {
      await this.terminate(false);
      return;
    }
    if (this.rejected || this.terminal) return;
    if (this.volumes !== undefined && !(await this.volumes.ensure(this.pod))) {
      await this.writeStatus();
      return;
    }
    if (!(await this.ensureSandbox())) return;
    await this.refresh();
    await syncContainers(this.host);
    await this.writeStatus();
  }

  private async ensureSandbox(): Promise<boolean> {
    if (this.sandbox !== undefined) return true;
    const config = sandboxConfigOf(this.pod);
    try {
      if (await this.adopt(config)) return true;
      const id = await this.ctx.runtime.runPodSandbox(config, this.pod.spec.runtimeClassName ?? '');
      // held before its status is read: a failed read must not run a second sandbox on the next sync
      this.sandbox = { id, config, podIP: undefined };
      this.sandbox.podIP = (await this.ctx.runtime.podSandboxStatus(id)).status.network?.ip;
      return true;
    } catch (error) {
      this.event('Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${String(error)}`);
      this.syncAt(this.ctx.clock.now() + 10_000);
      return false;
    }
  }

  /** Takes over the sandbox and containers the runtime already runs for this pod (agent restart). */
  private async adopt(config: PodSandboxConfig): Promise<boolean> {
    const found = await findPodInRuntime(this.ctx.runtime, this.uid);
    if (found === undefined) return false;
    this.sandbox = { id: found.sandboxId, config, podIP: undefined };
    this.sandbox.podIP = (await this.ctx.runtime.podSandboxStatus(found.sandboxId)).status.network?.ip;
    for (const { container, slot, probed } of adoptContainers(this.pod, found.containers, (name) => this.slot(name))) {
      await refreshSlot(this.ctx.runtime, slot);
      if (slot.cri?.state === ContainerState.CONTAINER_RUNNING && probed && slot.id !== undefined) {
        startProbes(this.host, container, slot, slot.id);
      }
    }
    return true;
  }

  private async refresh(): Promise<void> {
    for (const slot of this.slots.values()) await refreshSlot(this.ctx.runtime, slot);
  }

  private async writeStatus(): Promise<void> {
    const spec = this.pod.spec;
    const status = computePodStatus({
      spec,
      previous: this.pod.status,
      initContainerStatuses: (spec.initContainers ?? []).map((c) =>
        containerStatusOf(c, this.slot(c.name), this.ctx.runtimeType),
      ),
      containerStatuses: spec.containers.map((c) => containerStatusOf(c, this.slot(c.name), this.ctx.runtimeType)),
      sandboxReady: this.sandbox !== undefined && !this.terminal,
      hostIP: this.ctx.hostIP,
      podIP: this.sandbox?.podIP,
      startTime: this.startTime,
      now: rfc3339(this.ctx.clock.now()),
    });
    if (status.phase === 'Succeeded' || status.phase === 'Failed') {
      this.terminal = true;
      for (const slot of this.slots.values()) slot.probes?.stop();
      if (this.sandbox !== undefined) await this.ctx.runtime.stopPodSandbox(this.sandbox.id);
      await this.volumes?.tearDown().catch((error: unknown) => this.ctx.onError(error));
    }
    await this.putStatus(status);
  }

  /** Writes `status` if it differs from the stored one. */
  async putStatus(status: NonNullable<Pod['status']>): Promise<void> {
    this.pod = await writePodStatus(this.ctx.store, this.pod, status);
  }

  /**
   * Stops the pod's containers within the grace period that remains, then
   * removes its sandbox, then (unless the pod is gone already) deletes it for good.
   */
  private async terminate(gone: boolean): Promise<void> {
    if (this.done) return;
    await this.refresh();
    const spec = this.pod.spec;
    const byName = new Map([...(spec.initContainers ?? []), ...spec.containers].map((c) => [c.name, c]));
    const names = new Map([...this.slots].map(([name, slot]) => [slot, name]));
    await killPod(
      this.ctx,
      this.pod,
      [...this.slots.values()],
      this.sandbox?.id,
      gone,
      (slot) => byName.get(names.get(slot) ?? ''),
      (type, reason, message) => this.event(type, reason, message),
    );
    await this.volumes?.tearDown().catch((error: unknown) => this.ctx.onError(error));
    this.done = true;
    this.stop();
    if (!gone) await finalDelete(this.ctx.store, this.pod);
    this.ctx.onDone(this.uid);
  }
}
