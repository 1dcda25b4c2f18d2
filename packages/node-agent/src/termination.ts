import { type Container, Pod } from '@keelson/api';
import type { Clock } from '@keelson/clock';
import { isKeelsonError, type Store } from '@keelson/core';
import { ContainerState, type RuntimeService } from '@keelson/cri';
import { runPreStop } from './preStop';
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

/**
 * Kills a pod as the kubelet does on deletion: readiness keeps probing and
 * liveness stops, every running container gets `stopContainer` with the
 * remaining grace period (the runtime kills it at the end), then the
 * sandbox is stopped and removed.
 */
export async function killPod(
  ctx: { runtime: RuntimeService; clock: Clock },
  pod: Pod,
  slots: readonly Slot[],
  sandboxId: string | undefined,
  gone: boolean,
  onKilling: (message: string) => void,
  containerOf: (slot: Slot) => Container | undefined = () => undefined,
  onHookFailed: (message: string) => void = () => undefined,
): Promise<void> {
  const grace = remainingGraceSeconds(pod, ctx.clock.now(), gone);
  for (const slot of slots) slot.probes?.terminating();
  const running = slots.filter((s) => s.id !== undefined && s.cri?.state !== ContainerState.CONTAINER_EXITED);
  await Promise.all(
    running.map(async (slot) => {
      const container = containerOf(slot);
      // the kubelet's killContainer: the Killing event first, then the preStop hook, then the stop
      onKilling(`Stopping container ${container?.name ?? slot.cri?.metadata.name ?? slot.id}`);
      let stopGrace = grace;
      if (container !== undefined && slot.cri?.state !== undefined) {
        const hook = await runPreStop(ctx, container, slot.id ?? '', grace);
        stopGrace = hook.grace;
        // the message stays generic, as the kubelet's, so that a hook's output (secrets) never lands in an Event
        if (hook.failure !== undefined) onHookFailed('PreStopHook failed');
      }
      await ctx.runtime.stopContainer(slot.id ?? '', stopGrace);
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
