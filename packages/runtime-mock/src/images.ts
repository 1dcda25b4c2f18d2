import { type AuthConfig, CriError, type Image, type ImageFilter, type ImageSpec } from '@keelson/cri';
import type { RuntimeContext } from './context';
import { checkNonEmpty, invalidArgument, runtimeUnavailable } from './errors';
import { isImageId, parseImageReference } from './imageReference';
import { pullFailureError, type RegistryImage } from './MockRegistry';
import { NodeImages } from './nodeImages';
import { sleep } from './waiting';

/** Checks an `ImageSpec` as the image RPCs do; the normalised reference, or undefined for an image id. */
function checkSpec(rpc: string, spec: ImageSpec | undefined): string | undefined {
  checkNonEmpty(rpc, 'image.image', spec?.image);
  if (isImageId(spec.image)) return undefined;
  const parsed = parseImageReference(spec.image);
  if (typeof parsed === 'string') throw invalidArgument(`${rpc}: ${parsed}`);
  return parsed.normalized;
}

/** A node-level scripted failure of `reference` (faults.failPull), consumed by this pull. */
function takeNodeFailure(ctx: RuntimeContext, reference: string): CriError | undefined {
  const failure = ctx.pullFaults.failing.get(reference);
  if (failure === undefined) return undefined;
  if (--failure.remaining <= 0) ctx.pullFaults.failing.delete(reference);
  return pullFailureError(failure.kind, reference);
}

/**
 * `pullImage`: asks the registry (after the node's own scripted failures),
 * waits the pull latency on the clock (the image's `pullMs`, or the node's
 * `slowPull`; nothing when the node has this very image already), then
 * stores the image under the reference. Every attempt is in `pullHistory`.
 */
export async function pullImage(ctx: RuntimeContext, spec: ImageSpec, auth: AuthConfig | undefined): Promise<string> {
  const reference = checkSpec('pullImage', spec);
  if (reference === undefined) {
    const present = ctx.images.find(spec.image);
    if (present !== undefined) return present.id;
    throw new CriError('NotFound', `image id "${spec.image}" is not on the node; pull it by name`);
  }
  const startedMs = ctx.clock.now();
  const fail = (error: CriError): never => {
    ctx.pulls.push({ image: reference, startedMs, finishedMs: ctx.clock.now(), outcome: { error: error.code } });
    throw error;
  };
  const resolved: RegistryImage | CriError = takeNodeFailure(ctx, reference) ?? ctx.registry.resolve(reference, auth);
  if (resolved instanceof CriError) return fail(resolved);
  const present = ctx.images.find(resolved.id) !== undefined;
  const latency = ctx.pullFaults.slow.get(reference) ?? (present ? 0 : resolved.pullMs);
  if (latency > 0) await sleep(ctx.clock, latency);
  if (ctx.down) return fail(runtimeUnavailable());
  ctx.images.store(resolved, reference);
  ctx.pulls.push({ image: reference, startedMs, finishedMs: ctx.clock.now(), outcome: { imageId: resolved.id } });
  return resolved.id;
}

/** `imageStatus`: the image, or no image (not an error) when it is not on the node. */
export function imageStatus(ctx: RuntimeContext, spec: ImageSpec): Image | undefined {
  checkSpec('imageStatus', spec);
  const image = ctx.images.find(spec.image);
  return image === undefined ? undefined : NodeImages.toImage(image);
}

/** `listImages`: every image, or only the one `filter.image` names. */
export function listImages(ctx: RuntimeContext, filter: ImageFilter | undefined): Image[] {
  const wanted = filter?.image?.image;
  if (wanted) {
    const image = ctx.images.find(wanted);
    return image === undefined ? [] : [NodeImages.toImage(image)];
  }
  return ctx.images.list().map((image) => NodeImages.toImage(image));
}

/** `removeImage`: removes the image with all its names; an absent image is fine. */
export function removeImage(ctx: RuntimeContext, spec: ImageSpec): void {
  checkSpec('removeImage', spec);
  ctx.images.remove(spec.image);
}
