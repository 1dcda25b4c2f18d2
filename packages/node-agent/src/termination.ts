import { type Container, Pod } from '@keelson/api';
import { isKeelsonError, type Store } from '@keelson/core';
import { ContainerState } from '@keelson/cri';
import { type HookContext, runPreStop } from './preStop';
import type { Slot } from './slot';

/**
 * The grace period left for a pod being deleted, in whole seconds: until its
 * `deletionTimestamp`, at most `deletionGracePeriodSeconds`; 0 when the pod is gone.
 */
export function remainingGraceSeconds(pod: Pod, now: number, gone: boolean): number {
  const deletion = pod.metadata.deletionTimestamp;
  if (gone || deletion === undefined) return 0;
  const remaining = Math.ceil((Date.parse(deletion) - now) / 1000);
  return Math.max(0, Math.min(remaining, pod.metadata.deletionGracePeriodSeconds ?? remaining));
}

/** What {@link killContainer} reports: the kubelet's container events. */
export type RecordEvent = (type: 'Normal' | 'Warning', reason: string, message: string) => void;

/**
 * Kills one running container as the kubelet's `killContainer` does, for
 * every reason a container is killed (pod deletion, a failed liveness or
 * startup probe, a changed definition, a failed postStart hook): the
 * `Killing` event with `message`, then the preStop hook within `graceSeconds`,
 * then the stop signal with what is left of the grace period (at least 2 s
 * after a hook). Resolves when the container exited.
 */
export async function killContainer(
  ctx: HookContext,
  target: {
    id: string;
    container: Container | undefined;
    graceSeconds: number;
    message: string;
    podIP?: string | undefined;
  },
  event: RecordEvent,
): Promise<void> {
  event('Normal', 'Killing', target.message);
  let grace = target.graceSeconds;
  if (target.container !== undefined) {
    const hook = await runPreStop(ctx, target.container, target.id, grace, target.podIP);
    grace = hook.grace;
    // the message stays generic, as the kubelet's, so that a hook's output (secrets) never lands in an Event
    if (hook.failure !== undefined) event('Warning', 'FailedPreStopHook', 'PreStopHook failed');
  }
  await ctx.runtime.stopContainer(target.id, grace);
}

/**
 * Kills a pod as the kubelet does on deletion: readiness keeps probing and
 * liveness stops, every running container is killed ({@link killContainer},
 * "Stopping container <name>") with the remaining grace period, then the
 * sandbox is stopped and removed.
 */
export async function killPod(
  ctx: HookContext,
  pod: Pod,
  slots: readonly Slot[],
  sandboxId: string | undefined,
  gone: boolean,
  containerOf: (slot: Slot) => Container | undefined,
  event: RecordEvent,
): Promise<void> {
  const graceSeconds = remainingGraceSeconds(pod, ctx.clock.now(), gone);
  for (const slot of slots) slot.probes?.terminating();
  const running = slots.filter((s) => s.id !== undefined && s.cri?.state !== ContainerState.CONTAINER_EXITED);
  await Promise.all(
    running.map(async (slot) => {
      const id = slot.id ?? '';
      const container = containerOf(slot);
      const name = container?.name ?? slot.cri?.metadata.name ?? id;
      // a container the runtime no longer knows gets no hook: there is nothing to run it in
      const hooked = slot.cri?.state === undefined ? undefined : container;
      const message = `Stopping container ${name}`;
      await killContainer(ctx, { id, container: hooked, graceSeconds, message, podIP: pod.status?.podIP }, event);
    }),
  );
  for (const slot of slots) {
    slot.probes?.stop();
    slot.probes = undefined;
  }
  if (sandboxId !== undefined) {
    await ctx.runtime.stopPodSandbox(sandboxId);
    await ctx.runtime.removePodSandbox(sandboxId);
  }
}

/** The kubelet's final delete (grace 0, for this uid): the pod leaves the store. */
export async function finalDelete(store: Store, pod: Pod): Promise<void> {
  const { name, namespace, uid } = pod.metadata;
  try {
    await store.delete(Pod, name, {
      namespace,
      gracePeriodSeconds: 0,
      ...(uid === undefined ? {} : { preconditions: { uid } }),
    });
  } catch (error) {
    if (!isKeelsonError(error, 'NotFound') && !isKeelsonError(error, 'Conflict')) throw error;
  }
}
