/** The pod worker's per-container record and how it shows in the pod's status. */
import type { Container, ContainerStatus } from '@keelson/api';
import {
  ContainerState,
  type ContainerStatus as CriContainerStatus,
  KubeletContainerReason,
  type RuntimeService,
} from '@keelson/cri';
import type { ContainerProbes, ProbeNetwork, ProbeRun, Prober, ProbeTransition } from '@keelson/health';
import { namedPorts, type TerminatedState, terminatedOf } from './containers';
import { rfc3339 } from './status';

/** What a pod worker knows about one container of its pod. */
export interface Slot {
  id: string | undefined;
  attempt: number;
  restartCount: number;
  last: TerminatedState | undefined;
  cri: CriContainerStatus | undefined;
  waiting: { reason: string; message?: string } | undefined;
  probes: ContainerProbes | undefined;
  imageID: string;
  killedForRestart: boolean;
  /** {@link hashContainer} of the spec the current attempt was created from (for adopted ones, the hash annotated on the container; unknown when it has none). */
  hash: string | undefined;
}

/** A container not created yet. */
export const newSlot = (): Slot => ({
  id: undefined,
  attempt: 0,
  restartCount: 0,
  last: undefined,
  cri: undefined,
  waiting: undefined,
  probes: undefined,
  imageID: '',
  killedForRestart: false,
  hash: undefined,
});

/** A CRI container id as the pod status writes it: `<runtime>://<id>`. */
export function containerIDOf(runtimeType: string, id: string): string {
  return `${runtimeType}://${id}`;
}

/** The container's status entry: waiting reason, running or terminated state, restarts, readiness. */
export function containerStatusOf(container: Container, slot: Slot, runtimeType: string): ContainerStatus {
  const cri = slot.cri;
  const running = cri?.state === ContainerState.CONTAINER_RUNNING;
  let state: ContainerStatus['state'];
  if (slot.waiting !== undefined) state = { waiting: { ...slot.waiting } };
  else if (running) state = { running: { startedAt: rfc3339(Number(cri.startedAt / 1_000_000n)) } };
  else if (cri?.state === ContainerState.CONTAINER_EXITED && slot.id !== undefined) {
    state = { terminated: terminatedOf(cri, containerIDOf(runtimeType, slot.id)) };
  } else state = { waiting: { reason: KubeletContainerReason.ContainerCreating } };
  return {
    name: container.name,
    state,
    lastState:
      slot.waiting !== undefined && cri?.state === ContainerState.CONTAINER_EXITED && slot.id !== undefined
        ? { terminated: terminatedOf(cri, containerIDOf(runtimeType, slot.id)) }
        : slot.last === undefined
          ? {}
          : { terminated: slot.last },
    ready: running && (slot.probes?.ready ?? true),
    restartCount: slot.restartCount,
    image: container.image,
    imageID: slot.imageID,
    ...(slot.id === undefined || slot.waiting?.reason === KubeletContainerReason.CrashLoopBackOff
      ? {}
      : { containerID: containerIDOf(runtimeType, slot.id) }),
    started: running && (slot.probes?.started ?? true),
  };
}

/**
 * Starts the probes of a running container (none when it has no probe):
 * over the simulated network when given, else to the pod IP.
 */
export function probeContainer(
  ctx: { prober: Prober; network: ProbeNetwork | undefined },
  container: Container,
  slot: Slot,
  id: string,
  podIP: string | undefined,
  on: { onTransition: (transition: ProbeTransition) => void; onRun: (run: ProbeRun) => void },
): ContainerProbes | undefined {
  const { livenessProbe, readinessProbe, startupProbe } = container;
  if (livenessProbe === undefined && readinessProbe === undefined && startupProbe === undefined) return undefined;
  return ctx.prober.probeContainer({
    containerId: id,
    startedAt: Number((slot.cri?.startedAt ?? 0n) / 1_000_000n),
    target: {
      ...(podIP === undefined || podIP === '' ? {} : { host: podIP }),
      ports: namedPorts(container),
      ...(ctx.network === undefined ? {} : { network: ctx.network }),
    },
    ...(livenessProbe === undefined ? {} : { livenessProbe }),
    ...(readinessProbe === undefined ? {} : { readinessProbe }),
    ...(startupProbe === undefined ? {} : { startupProbe }),
    onTransition: on.onTransition,
    onRun: on.onRun,
  });
}

/** Reads the slot's container status from the runtime (none when it is gone); an exited container's probes end. */
export async function refreshSlot(runtime: RuntimeService, slot: Slot): Promise<void> {
  if (slot.id === undefined) return;
  try {
    slot.cri = (await runtime.containerStatus(slot.id)).status;
  } catch {
    slot.cri = undefined;
  }
  if (slot.cri?.state === ContainerState.CONTAINER_EXITED && slot.probes !== undefined) {
    slot.probes.stop();
    slot.probes = undefined;
  }
}
