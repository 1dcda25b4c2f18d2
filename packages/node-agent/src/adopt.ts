import type { Pod, Container as SpecContainer } from '@keelson/api';
import { type Container, KubeletAnnotation, KubeletLabel, PodSandboxState, type RuntimeService } from '@keelson/cri';
import type { Slot } from './slot';

/** A container found in the runtime: the latest attempt of one name. */
export interface FoundContainer {
  id: string;
  attempt: number;
  imageId: string;
  /** The spec hash the kubelet annotated the container with when it created it, if any. */
  hash: string | undefined;
}

/**
 * What the runtime already runs for a pod (after the agent restarted): its
 * ready sandbox, found by the kubelet's pod-uid label, and the latest
 * attempt of each container in it — so the agent adopts them instead of
 * starting the pod again.
 */
export async function findPodInRuntime(
  runtime: RuntimeService,
  uid: string,
): Promise<{ sandboxId: string; containers: Map<string, FoundContainer> } | undefined> {
  const sandboxes = await runtime.listPodSandbox({
    labelSelector: { [KubeletLabel.PodUid]: uid },
    state: PodSandboxState.SANDBOX_READY,
  });
  const sandbox = sandboxes.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0];
  if (sandbox === undefined) return undefined;
  const containers = new Map<string, FoundContainer>();
  const listed: Container[] = await runtime.listContainers({ podSandboxId: sandbox.id });
  for (const container of listed) {
    const previous = containers.get(container.metadata.name);
    if (previous === undefined || previous.attempt < container.metadata.attempt) {
      containers.set(container.metadata.name, {
        id: container.id,
        attempt: container.metadata.attempt,
        imageId: container.imageId,
        hash: container.annotations[KubeletAnnotation.ContainerHash],
      });
    }
  }
  return { sandboxId: sandbox.id, containers };
}

/**
 * Points the pod's slots at the containers found in the runtime, keeping the
 * restart counts and last states the pod's status reported, and the spec hash
 * each was created with — so a spec changed while the agent was away still
 * restarts the container, as the kubelet does.
 *
 * @returns the adopted containers, with whether they are probed (containers and sidecars).
 */
export function adoptContainers(
  pod: Pod,
  found: ReadonlyMap<string, FoundContainer>,
  slotOf: (name: string) => Slot,
): Array<{ container: SpecContainer; slot: Slot; probed: boolean }> {
  const adopted: Array<{ container: SpecContainer; slot: Slot; probed: boolean }> = [];
  const spec = pod.spec;
  for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
    const existing = found.get(container.name);
    if (existing === undefined) continue;
    const main = spec.containers.includes(container);
    const slot = slotOf(container.name);
    Object.assign(slot, { id: existing.id, attempt: existing.attempt, imageID: existing.imageId, hash: existing.hash });
    const reported = pod.status?.[main ? 'containerStatuses' : 'initContainerStatuses']?.find(
      (s) => s.name === container.name,
    );
    slot.restartCount = reported?.restartCount ?? existing.attempt;
    if (reported?.lastState?.terminated !== undefined) slot.last = reported.lastState.terminated;
    adopted.push({ container, slot, probed: main || container.restartPolicy === 'Always' });
  }
  return adopted;
}
