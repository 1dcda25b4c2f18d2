import type { Container } from '@keelson/api';
import type { Clock } from '@keelson/clock';
import { type ImageService, KubeletContainerReason, type PodSandboxConfig } from '@keelson/cri';
import type { Backoff } from './backoff';
import type { Slot } from './slot';

/** What pulling needs from the agent. */
export interface ImagePullContext {
  images: ImageService;
  pullBackoff: Backoff;
  clock: Clock;
}

/** One container's pull. */
export interface ImagePullRequest {
  /** The backoff key: pod uid and image. */
  key: string;
  container: Container;
  /** Its `waiting` is set when the image is not ready. */
  slot: Slot;
  sandboxConfig: PodSandboxConfig | undefined;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** Asks for a sync at this time (end of the backoff). */
  retryAt(at: number): void;
  /** Called before a pull starts (the pod's status shows ContainerCreating meanwhile). */
  beforePull(): Promise<void>;
  /** Called when a pull succeeded (the pod startup tracker's end of pulling). */
  afterPull?(): void;
}

/**
 * The kubelet's image puller: per `imagePullPolicy` (Always, IfNotPresent,
 * Never), with pull backoff (`ErrImagePull` on a failure, `ImagePullBackOff`
 * while the backoff of 10 s doubling to 300 s runs).
 *
 * @returns the image id, or undefined when the container must wait (`slot.waiting` says why).
 */
export async function ensureImage(ctx: ImagePullContext, request: ImagePullRequest): Promise<string | undefined> {
  const { container, slot, key } = request;
  const { images, pullBackoff, clock } = ctx;
  const image = container.image;
  const present = (await images.imageStatus({ image })).image;
  const policy = container.imagePullPolicy;
  if (present !== undefined && policy !== 'Always') return present.id;
  if (present === undefined && policy === 'Never') {
    slot.waiting = {
      reason: KubeletContainerReason.ErrImageNeverPull,
      message: `Container image "${image}" is not present with pull policy of Never`,
    };
    return undefined;
  }
  if (pullBackoff.inBackoffSinceUpdate(key, clock.now())) {
    slot.waiting = { reason: KubeletContainerReason.ImagePullBackOff, message: `Back-off pulling image "${image}"` };
    request.retryAt(pullBackoff.endsAt(key) ?? clock.now());
    return undefined;
  }
  request.event('Normal', 'Pulling', `Pulling image "${image}"`);
  await request.beforePull();
  try {
    const ref = await images.pullImage({ image }, undefined, request.sandboxConfig);
    pullBackoff.reset(key);
    request.afterPull?.();
    request.event('Normal', 'Pulled', `Successfully pulled image "${image}"`);
    return ref;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    pullBackoff.next(key, clock.now());
    slot.waiting = { reason: KubeletContainerReason.ErrImagePull, message };
    request.event('Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
    request.retryAt(pullBackoff.endsAt(key) ?? clock.now());
    return undefined;
  }
}
