import type { Container, Pod } from '@keelson/api';
import { KubeletContainerReason, type Mount, type PodSandboxConfig, type RuntimeService } from '@keelson/cri';
import { hashContainer } from './containerHash';
import { containerConfigOf, terminatedOf } from './containers';
import { containerIDOf, type Slot } from './slot';

/** One attempt of one container. */
export interface AttemptRequest {
  pod: Pod;
  sandboxId: string;
  sandboxConfig: PodSandboxConfig;
  container: Container;
  slot: Slot;
  init: boolean;
  imageID: string;
  /** The container's volume mounts (the kubelet's `makeMounts`). */
  mounts?: Mount[];
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/**
 * Creates and starts the next attempt of a container (attempt 0, or the
 * previous one + 1: the previous container's exit becomes `lastState`, the
 * restart count grows and the old container is removed).
 *
 * @returns the new container id, or undefined when `createContainer` failed
 *   (`slot.waiting` is `CreateContainerError`).
 */
export async function runAttempt(
  ctx: { runtime: RuntimeService; runtimeType: string },
  request: AttemptRequest,
): Promise<string | undefined> {
  const { runtime } = ctx;
  const { pod, container, slot, init, imageID, sandboxId, sandboxConfig, event } = request;
  const attempt = slot.id === undefined ? slot.attempt : slot.attempt + 1;
  const config = containerConfigOf(pod, container, attempt, init, request.mounts);
  let id: string;
  try {
    id = await runtime.createContainer(sandboxId, config, sandboxConfig);
  } catch (error) {
    slot.waiting = { reason: KubeletContainerReason.CreateContainerError, message: String(error) };
    return undefined;
  }
  const previous = slot.id;
  if (previous !== undefined && slot.cri !== undefined) {
    slot.last = terminatedOf(slot.cri, containerIDOf(ctx.runtimeType, previous));
    slot.restartCount++;
    await runtime.removeContainer(previous);
  }
  slot.id = id;
  slot.attempt = attempt;
  slot.imageID = imageID;
  slot.waiting = undefined;
  slot.killedForRestart = false;
  slot.hash = hashContainer(container);
  event('Normal', 'Created', `Created container ${container.name}`);
  try {
    await runtime.startContainer(id);
    event('Normal', 'Started', `Started container ${container.name}`);
  } catch (error) {
    event('Warning', 'Failed', `Error: ${String(error)}`);
  }
  return id;
}
