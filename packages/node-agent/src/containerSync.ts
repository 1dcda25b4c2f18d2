/**
 * How a pod worker brings its pod's containers to the spec, as the kubelet's
 * `computePodActions` / `SyncPod` do: init containers one at a time (sidecars
 * started and kept running), then the app containers; a container whose
 * definition changed or whose liveness or startup probe failed is killed,
 * and an exited one restarts per the restart policy and crash-loop backoff.
 */
import type { Container, Pod } from '@keelson/api';
import type { Logger } from '@keelson/core';
import { ContainerState, KubeletContainerReason, type Mount, type PodSandboxConfig } from '@keelson/cri';
import { crashLoopWait } from './backoff';
import { hashContainer } from './containerHash';
import { ensureImage } from './imagePull';
import type { PodWorkerContext } from './podWorker';
import { runPostStart } from './preStop';
import { runAttempt } from './runAttempt';
import { probeContainer, refreshSlot, type Slot } from './slot';
import { killContainer, type RecordEvent } from './termination';

/** The pod's sandbox as its worker holds it. */
export interface PodSandbox {
  id: string;
  config: PodSandboxConfig;
  podIP: string | undefined;
}

/** What the container steps use of their pod worker. */
export interface ContainerHost {
  readonly ctx: PodWorkerContext;
  readonly uid: string;
  pod(): Pod;
  sandbox(): PodSandbox | undefined;
  slot(name: string): Slot;
  event: RecordEvent;
  syncAt(at: number): void;
  requestSync(): void;
  writeStatus(): Promise<void>;
  /** The container's CRI mounts. */
  mounts(container: Container): Promise<Mount[]>;
  /** The pod's logger. */
  readonly logger: Logger;
}

/** One sync of the pod's containers: the next init container, or every app container once they are done. */
export async function syncContainers(host: ContainerHost): Promise<void> {
  const spec = host.pod().spec;
  let initDone = true;
  for (const container of spec.initContainers ?? []) {
    const slot = host.slot(container.name);
    if (container.restartPolicy === 'Always') {
      // a sidecar: started before the next init container, restarted whenever it exits
      if (slot.id === undefined) await startContainer(host, container, slot, true);
      else if (slot.cri?.state === ContainerState.CONTAINER_EXITED) await restartContainer(host, container, slot, true);
      const up = slot.cri?.state === ContainerState.CONTAINER_RUNNING && slot.waiting === undefined;
      if (up && (slot.probes?.started ?? true)) continue;
      initDone = false;
      break;
    }
    if (slot.cri?.state === ContainerState.CONTAINER_EXITED && slot.cri.exitCode === 0) continue;
    initDone = false;
    if (slot.id === undefined) await startContainer(host, container, slot, true);
    else if (slot.cri?.state === ContainerState.CONTAINER_EXITED && spec.restartPolicy !== 'Never') {
      await restartContainer(host, container, slot, true);
    }
    break;
  }
  if (initDone) {
    for (const container of spec.containers) await syncContainer(host, container, host.slot(container.name));
  } else {
    for (const container of spec.containers) {
      const slot = host.slot(container.name);
      if (slot.id === undefined) slot.waiting = { reason: KubeletContainerReason.PodInitializing };
    }
  }
}

async function syncContainer(host: ContainerHost, container: Container, slot: Slot): Promise<void> {
  if (slot.id === undefined) {
    await startContainer(host, container, slot, false);
    return;
  }
  const running = slot.cri?.state === ContainerState.CONTAINER_RUNNING;
  if (running && slot.hash !== undefined && slot.hash !== hashContainer(container)) {
    // the kubelet restarts a changed container whatever the restart policy, with a fresh backoff
    await killForRestart(host, container, slot, `Container ${container.name} definition changed, will be restarted`);
    await startContainer(host, container, slot, false);
    return;
  }
  if (running && slot.probes?.shouldRestart === true) {
    const kind = slot.probes.result('startup') === 'Failure' ? 'startup' : 'liveness';
    const probe = kind === 'startup' ? container.startupProbe : container.livenessProbe;
    const restarts = host.pod().spec.restartPolicy !== 'Never';
    slot.killedForRestart = true;
    const message = `Container ${container.name} failed ${kind} probe${restarts ? ', will be restarted' : ''}`;
    await killForRestart(host, container, slot, message, probe?.terminationGracePeriodSeconds);
  }
  if (slot.cri?.state !== ContainerState.CONTAINER_EXITED) return;
  const policy = host.pod().spec.restartPolicy;
  const restart = policy === 'Always' || (policy === 'OnFailure' && (slot.cri.exitCode !== 0 || slot.killedForRestart));
  if (restart) await restartContainer(host, container, slot, false);
}

/** Restarts an exited container unless it is in crash-loop backoff (counted from its finish). */
async function restartContainer(host: ContainerHost, container: Container, slot: Slot, init: boolean): Promise<void> {
  const cri = slot.cri;
  if (cri === undefined) return;
  const { name, namespace } = host.pod().metadata;
  const wait = crashLoopWait(
    host.ctx.crashBackoff,
    `${host.uid}/${container.name}`,
    Number(cri.finishedAt / 1_000_000n),
    host.ctx.clock.now(),
    `container=${container.name} pod=${name}_${namespace ?? 'default'}(${host.uid})`,
  );
  if (wait !== undefined) {
    const previous = slot.waiting?.message;
    slot.waiting = { reason: KubeletContainerReason.CrashLoopBackOff, message: wait.message };
    if (wait.message !== previous) host.event('Warning', 'BackOff', 'Back-off restarting failed container');
    host.syncAt(wait.retryAt);
    return;
  }
  await startContainer(host, container, slot, init);
}

/** Pulls the image if needed, creates and starts the container, runs its postStart hook, starts its probes. */
async function startContainer(host: ContainerHost, container: Container, slot: Slot, init: boolean): Promise<void> {
  const { ctx } = host;
  if (slot.waiting === undefined || slot.waiting.reason === KubeletContainerReason.PodInitializing) {
    slot.waiting = { reason: KubeletContainerReason.ContainerCreating };
  }
  const imageID = await ensureImage(ctx, {
    key: `${host.uid}/${container.image}`,
    container,
    slot,
    sandboxConfig: host.sandbox()?.config,
    event: host.event,
    retryAt: (at) => host.syncAt(at),
    beforePull: () => {
      ctx.startup.pullStarted(host.uid);
      return host.writeStatus();
    },
    afterPull: () => ctx.startup.pullFinished(host.uid),
  });
  const sandbox = host.sandbox();
  if (imageID === undefined || sandbox === undefined) return;
  let mounts: Mount[];
  try {
    mounts = await host.mounts(container);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    slot.waiting = { reason: KubeletContainerReason.CreateContainerConfigError, message };
    host.event('Warning', 'Failed', `Error: ${message}`);
    host.syncAt(ctx.clock.now() + 10_000);
    return;
  }
  const pod = host.pod();
  const id = await runAttempt(ctx, {
    pod,
    sandboxId: sandbox.id,
    sandboxConfig: sandbox.config,
    container,
    slot,
    init,
    imageID,
    mounts,
    event: host.event,
  });
  if (id === undefined) {
    host.syncAt(ctx.clock.now() + 10_000);
    return;
  }
  await refreshSlot(ctx.runtime, slot);
  if (container.lifecycle?.postStart !== undefined && slot.cri?.state === ContainerState.CONTAINER_RUNNING) {
    const failure = await runPostStart(
      ctx,
      container,
      id,
      pod.spec.terminationGracePeriodSeconds,
      host.sandbox()?.podIP,
    );
    if (failure !== undefined) {
      // as the kubelet: a failed postStart kills the container; it restarts per the restart policy.
      // The message is generic, as the kubelet's, so that the hook's output (secrets) never lands in an Event
      host.event('Warning', 'FailedPostStartHook', 'PostStartHook failed');
      await killForRestart(host, container, slot, 'FailedPostStartHook');
      host.requestSync();
      return;
    }
  }
  const probed = !init || container.restartPolicy === 'Always';
  if (slot.cri?.state === ContainerState.CONTAINER_RUNNING && probed) startProbes(host, container, slot, id);
}

/**
 * Kills a running container for a restart ({@link killContainer}: `Killing`,
 * preStop, stop) with the pod's grace period unless `graceSeconds` is given.
 */
async function killForRestart(
  host: ContainerHost,
  container: Container,
  slot: Slot,
  message: string,
  graceSeconds?: number,
): Promise<void> {
  slot.probes?.stop();
  const { metadata, spec } = host.pod();
  const grace = graceSeconds ?? metadata.deletionGracePeriodSeconds ?? spec.terminationGracePeriodSeconds;
  const podIP = host.sandbox()?.podIP;
  await killContainer(host.ctx, { id: slot.id ?? '', container, graceSeconds: grace, message, podIP }, host.event);
  await refreshSlot(host.ctx.runtime, slot);
}

/** Starts a running container's probes; a probe result change asks for a sync. */
export function startProbes(host: ContainerHost, container: Container, slot: Slot, id: string): void {
  const podIP = host.sandbox()?.podIP;
  slot.probes = probeContainer(host.ctx, container, slot, id, podIP, {
    onTransition: ({ kind, result, message }) => {
      if (result === 'Failure')
        host.logger.warn({ container: container.name, probe: kind }, `${kind} probe failed: ${message ?? ''}`);
      host.requestSync();
    },
    onRun: (run) => {
      host.ctx.metrics.probed(host.pod(), container.name, run);
      if (run.observed === 'Failure')
        host.logger.debug({ container: container.name, probe: run.kind }, `probe failed: ${run.message ?? ''}`);
    },
  });
}
