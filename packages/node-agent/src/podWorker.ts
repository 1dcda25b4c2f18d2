import type { Container, Pod } from '@keelson/api';
import type { Clock } from '@keelson/clock';
import type { EventRecorder } from '@keelson/controller';
import type { Store } from '@keelson/core';
import {
  ContainerState,
  type ImageService,
  KubeletContainerReason,
  type PodSandboxConfig,
  type RuntimeService,
} from '@keelson/cri';
import type { ProbeNetwork, Prober } from '@keelson/health';
import { adoptContainers, findPodInRuntime } from './adopt';
import { type Backoff, crashLoopWait } from './backoff';
import { hashContainer } from './containerHash';
import { sandboxConfigOf } from './containers';
import { ensureImage } from './imagePull';
import { runPostStart } from './preStop';
import { runAttempt } from './runAttempt';
import { containerStatusOf, newSlot, probeContainer, type Slot } from './slot';
import { computePodStatus, rfc3339, writePodStatus } from './status';
import { SyncLoop } from './syncLoop';
import { finalDelete, killContainer, killPod } from './termination';

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
  /** Called when the worker is done with its pod (deleted from the store). */
  onDone(uid: string): void;
  /** Reports an unexpected error. */
  onError(error: unknown): void;
}

/**
 * Runs one pod through CRI: sandbox, image pulls, init containers in order,
 * containers, restarts with backoff, probes, status, graceful termination.
 * Syncs are serialized; a sync asked for during one runs right after it.
 */
export class PodWorker {
  private readonly slots = new Map<string, Slot>();
  private sandboxId: string | undefined;
  private sandboxConfig: PodSandboxConfig | undefined;
  private podIP: string | undefined;
  private readonly startTime: string;
  private readonly syncs: SyncLoop;
  private terminal = false;
  private done = false;
  private gone = false;
  /** Set when admission refused the pod: nothing runs. */
  rejected = false;

  constructor(
    private pod: Pod,
    private readonly ctx: PodWorkerContext,
  ) {
    this.startTime = rfc3339(ctx.clock.now());
    // a pod that finished before this agent started is not run again
    this.terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    this.syncs = new SyncLoop(
      ctx.clock,
      () => this.sync(),
      () => this.done,
      (error) => ctx.onError(error),
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
    this.syncs.stop();
    for (const slot of this.slots.values()) slot.probes?.stop();
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.ctx.recorder?.event(this.pod, type, reason, message).catch(() => undefined);
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
    if (!(await this.ensureSandbox())) return;
    await this.refresh();
    const spec = this.pod.spec;
    let initDone = true;
    for (const container of spec.initContainers ?? []) {
      const slot = this.slot(container.name);
      if (container.restartPolicy === 'Always') {
        // a sidecar: started before the next init container, restarted whenever it exits
        if (slot.id === undefined) await this.startContainer(container, slot, true);
        else if (slot.cri?.state === ContainerState.CONTAINER_EXITED) await this.restart(container, slot, true);
        const up = slot.cri?.state === ContainerState.CONTAINER_RUNNING && slot.waiting === undefined;
        if (up && (slot.probes?.started ?? true)) continue;
        initDone = false;
        break;
      }
      if (slot.cri?.state === ContainerState.CONTAINER_EXITED && slot.cri.exitCode === 0) continue;
      initDone = false;
      if (slot.id === undefined) await this.startContainer(container, slot, true);
      else if (slot.cri?.state === ContainerState.CONTAINER_EXITED && spec.restartPolicy !== 'Never') {
        await this.restart(container, slot, true);
      }
      break;
    }
    if (initDone) {
      for (const container of spec.containers) await this.syncContainer(container, this.slot(container.name));
    } else {
      for (const container of spec.containers) {
        const slot = this.slot(container.name);
        if (slot.id === undefined) slot.waiting = { reason: KubeletContainerReason.PodInitializing };
      }
    }
    await this.writeStatus();
  }

  private async syncContainer(container: Container, slot: Slot): Promise<void> {
    if (slot.id === undefined) {
      await this.startContainer(container, slot, false);
      return;
    }
    const running = slot.cri?.state === ContainerState.CONTAINER_RUNNING;
    if (running && slot.hash !== undefined && slot.hash !== hashContainer(container)) {
      // the kubelet restarts a changed container whatever the restart policy, with a fresh backoff
      await this.kill(container, slot, `Container ${container.name} definition changed, will be restarted`);
      await this.startContainer(container, slot, false);
      return;
    }
    if (running && slot.probes?.shouldRestart === true) {
      const kind = slot.probes.result('startup') === 'Failure' ? 'startup' : 'liveness';
      const probe = kind === 'startup' ? container.startupProbe : container.livenessProbe;
      const restarts = this.pod.spec.restartPolicy !== 'Never';
      slot.killedForRestart = true;
      const message = `Container ${container.name} failed ${kind} probe${restarts ? ', will be restarted' : ''}`;
      await this.kill(container, slot, message, probe?.terminationGracePeriodSeconds);
    }
    if (slot.cri?.state !== ContainerState.CONTAINER_EXITED) return;
    const policy = this.pod.spec.restartPolicy;
    const restart =
      policy === 'Always' || (policy === 'OnFailure' && (slot.cri.exitCode !== 0 || slot.killedForRestart));
    if (restart) await this.restart(container, slot, false);
  }

  /** Restarts an exited container unless it is in crash-loop backoff (counted from its finish). */
  private async restart(container: Container, slot: Slot, init: boolean): Promise<void> {
    const cri = slot.cri;
    if (cri === undefined) return;
    const { name, namespace } = this.pod.metadata;
    const wait = crashLoopWait(
      this.ctx.crashBackoff,
      `${this.uid}/${container.name}`,
      Number(cri.finishedAt / 1_000_000n),
      this.ctx.clock.now(),
      `container=${container.name} pod=${name}_${namespace ?? 'default'}(${this.uid})`,
    );
    if (wait !== undefined) {
      const previous = slot.waiting?.message;
      slot.waiting = { reason: KubeletContainerReason.CrashLoopBackOff, message: wait.message };
      if (wait.message !== previous) this.event('Warning', 'BackOff', 'Back-off restarting failed container');
      this.syncAt(wait.retryAt);
      return;
    }
    await this.startContainer(container, slot, init);
  }

  private async ensureSandbox(): Promise<boolean> {
    if (this.sandboxId !== undefined) return true;
    const config = sandboxConfigOf(this.pod);
    try {
      if (await this.adopt(config)) return true;
      const id = await this.ctx.runtime.runPodSandbox(config, this.pod.spec.runtimeClassName ?? '');
      this.sandboxId = id;
      this.sandboxConfig = config;
      const status = await this.ctx.runtime.podSandboxStatus(id);
      this.podIP = status.status.network?.ip;
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
    this.sandboxId = found.sandboxId;
    this.sandboxConfig = config;
    this.podIP = (await this.ctx.runtime.podSandboxStatus(found.sandboxId)).status.network?.ip;
    for (const { container, slot, probed } of adoptContainers(this.pod, found.containers, (name) => this.slot(name))) {
      await this.refreshSlot(slot);
      if (slot.cri?.state === ContainerState.CONTAINER_RUNNING && probed && slot.id !== undefined) {
        this.startProbes(container, slot, slot.id);
      }
    }
    return true;
  }

  private async refreshSlot(slot: Slot): Promise<void> {
    if (slot.id === undefined) return;
    try {
      slot.cri = (await this.ctx.runtime.containerStatus(slot.id)).status;
    } catch {
      slot.cri = undefined;
    }
    if (slot.cri?.state === ContainerState.CONTAINER_EXITED && slot.probes !== undefined) {
      slot.probes.stop();
      slot.probes = undefined;
    }
  }

  private async refresh(): Promise<void> {
    for (const slot of this.slots.values()) await this.refreshSlot(slot);
  }

  private async startContainer(container: Container, slot: Slot, init: boolean): Promise<void> {
    if (slot.waiting === undefined || slot.waiting.reason === KubeletContainerReason.PodInitializing) {
      slot.waiting = { reason: KubeletContainerReason.ContainerCreating };
    }
    const imageID = await ensureImage(this.ctx, {
      key: `${this.uid}/${container.image}`,
      container,
      slot,
      sandboxConfig: this.sandboxConfig,
      event: (type, reason, message) => this.event(type, reason, message),
      retryAt: (at) => this.syncAt(at),
      beforePull: () => this.writeStatus(),
    });
    if (imageID === undefined || this.sandboxId === undefined || this.sandboxConfig === undefined) return;
    const created = await runAttempt(this.ctx, {
      pod: this.pod,
      sandboxId: this.sandboxId,
      sandboxConfig: this.sandboxConfig,
      container,
      slot,
      init,
      imageID,
      event: (type, reason, message) => this.event(type, reason, message),
    });
    if (created === undefined) {
      this.syncAt(this.ctx.clock.now() + 10_000);
      return;
    }
    const id = created;
    await this.refreshSlot(slot);
    if (container.lifecycle?.postStart !== undefined && slot.cri?.state === ContainerState.CONTAINER_RUNNING) {
      const failure = await runPostStart(this.ctx, container, id, this.pod.spec.terminationGracePeriodSeconds);
      if (failure !== undefined) {
        // as the kubelet: a failed postStart kills the container; it restarts per the restart policy
        // generic as the kubelet's, so that the hook's output (secrets) never lands in an Event
        this.event('Warning', 'FailedPostStartHook', 'PostStartHook failed');
        await this.kill(container, slot, 'FailedPostStartHook');
        this.requestSync();
        return;
      }
    }
    const probed = !init || container.restartPolicy === 'Always';
    if (slot.cri?.state === ContainerState.CONTAINER_RUNNING && probed) this.startProbes(container, slot, id);
  }

  /**
   * Kills a running container for a restart ({@link killContainer}: `Killing`,
   * preStop, stop) with the pod's grace period unless `graceSeconds` is given.
   */
  private async kill(container: Container, slot: Slot, message: string, graceSeconds?: number): Promise<void> {
    slot.probes?.stop();
    const grace =
      graceSeconds ?? this.pod.metadata.deletionGracePeriodSeconds ?? this.pod.spec.terminationGracePeriodSeconds;
    await killContainer(
      this.ctx,
      { id: slot.id ?? '', container, graceSeconds: grace, message },
      (type, reason, text) => this.event(type, reason, text),
    );
    await this.refreshSlot(slot);
  }

  private startProbes(container: Container, slot: Slot, id: string): void {
    slot.probes = probeContainer(this.ctx, container, slot, id, this.podIP, () => this.requestSync());
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
      sandboxReady: this.sandboxId !== undefined && !this.terminal,
      hostIP: this.ctx.hostIP,
      podIP: this.podIP,
      startTime: this.startTime,
      now: rfc3339(this.ctx.clock.now()),
    });
    if (status.phase === 'Succeeded' || status.phase === 'Failed') {
      this.terminal = true;
      for (const slot of this.slots.values()) slot.probes?.stop();
      if (this.sandboxId !== undefined) await this.ctx.runtime.stopPodSandbox(this.sandboxId);
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
      this.sandboxId,
      gone,
      (slot) => byName.get(names.get(slot) ?? ''),
      (type, reason, message) => this.event(type, reason, message),
    );
    this.done = true;
    this.stop();
    if (!gone) await finalDelete(this.ctx.store, this.pod);
    this.ctx.onDone(this.uid);
  }
}
