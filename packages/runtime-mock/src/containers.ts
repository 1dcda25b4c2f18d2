import {
  type ContainerConfig,
  type ContainerFilter,
  type ContainerResourcesUpdate,
  CriError,
  matchesLabelSelector,
  type PodSandboxConfig,
} from '@keelson/cri';
import { openLog, retainLog } from './containerLogs';
import { type ContainerRecord, copy, newId, nowNanos, type RuntimeContext } from './context';
import { checkNonEmpty, containerNotFound, failedPrecondition, invalidArgument, sandboxNotFound } from './errors';
import { emitContainerEvent } from './events';
import { containerTree } from './fs/containerView';
import { isImageId, parseImageReference } from './imageReference';
import { killContainer, rescheduleOom } from './lifecycle';
import type { NodeImage } from './nodeImages';

function joinLogPath(directory: string | undefined, file: string | undefined): string {
  if (!directory || !file) return '';
  return `${directory.replace(/\/+$/, '')}/${file.replace(/^\/+/, '')}`;
}

/** The node image a container config names, or the CRI error `createContainer` answers with. */
function imageFor(ctx: RuntimeContext, ref: string): { image: NodeImage; name: string } {
  const parsed = isImageId(ref) ? undefined : parseImageReference(ref);
  if (typeof parsed === 'string') throw invalidArgument(`createContainer: image "${ref}": ${parsed}`);
  const image = ctx.images.find(ref);
  if (image === undefined) {
    throw new CriError('NotFound', `image "${ref}" is not present on the node; pull it first with pullImage`);
  }
  // Statuses name the image as containerd does: the normalised tag the container asked for, else its first tag.
  const name = parsed?.tag !== undefined ? parsed.normalized : (image.repoTags[0] ?? image.id);
  return { image, name };
}

/** `createContainer`: a new `CONTAINER_CREATED` container in a ready sandbox. */
export function createContainer(
  ctx: RuntimeContext,
  podSandboxId: string,
  config: ContainerConfig,
  _sandboxConfig: PodSandboxConfig,
): string {
  checkNonEmpty('createContainer', 'podSandboxId', podSandboxId);
  checkNonEmpty('createContainer', 'config.metadata.name', config?.metadata?.name);
  checkNonEmpty('createContainer', 'config.image.image', config.image?.image);
  const attempt = config.metadata.attempt ?? 0;
  if (!Number.isInteger(attempt) || attempt < 0) {
    throw invalidArgument(`createContainer: config.metadata.attempt must be a whole number >= 0, got ${attempt}`);
  }
  const sandbox = ctx.sandboxes.get(podSandboxId);
  if (sandbox === undefined) throw sandboxNotFound(podSandboxId);
  if (sandbox.state !== 'SANDBOX_READY') {
    throw failedPrecondition(`pod sandbox "${podSandboxId}" is not ready (stopped); run a new sandbox`);
  }
  const { image, name } = imageFor(ctx, config.image.image);
  for (const id of sandbox.containers) {
    const other = ctx.containers.get(id);
    if (other?.metadata.name === config.metadata.name && other.metadata.attempt === attempt) {
      throw new CriError(
        'AlreadyExists',
        `pod sandbox "${podSandboxId}" already has container "${config.metadata.name}" attempt ${attempt} ("${id}"); remove it or use the next attempt`,
      );
    }
  }
  const kept = copy(config);
  const record: ContainerRecord = {
    id: newId(ctx),
    sandboxId: podSandboxId,
    metadata: { name: config.metadata.name, attempt },
    config: kept,
    image: { ...kept.image, image: name },
    imageRef: image.repoDigests[0] ?? image.id,
    imageId: image.id,
    behaviour: image.behaviour,
    logPath: joinLogPath(sandbox.config.logDirectory, kept.logPath),
    createdAt: nowNanos(ctx.clock),
    resources: kept.linux?.resources,
    state: 'CONTAINER_CREATED',
    startedMs: Number.NaN,
    startedAt: 0n,
    finishedAt: 0n,
    exitCode: 0,
    reason: '',
    message: '',
    hung: false,
    timers: new Set(),
    oomTimers: new Set(),
    onExit: [],
    cpu: { steps: 0, total: 0 },
    cpuAtExit: 0n,
    logCursor: [],
    files: containerTree(ctx.host, kept.mounts ?? []),
  };
  ctx.containers.set(record.id, record);
  openLog(ctx, record);
  sandbox.containers.add(record.id);
  emitContainerEvent(ctx, record, 'CONTAINER_CREATED_EVENT');
  return record.id;
}

/** `removeContainer`: kills it if it runs, then forgets it. Unknown ids are fine. */
export function removeContainer(ctx: RuntimeContext, id: string): void {
  const record = ctx.containers.get(id);
  if (record === undefined) return;
  killContainer(ctx, record);
  retainLog(ctx, id);
  ctx.containers.delete(id);
  ctx.sandboxes.get(record.sandboxId)?.containers.delete(id);
  emitContainerEvent(ctx, record, 'CONTAINER_DELETED_EVENT');
}

/** The container `id` or `NotFound`. */
export function getContainer(ctx: RuntimeContext, id: string): ContainerRecord {
  const record = ctx.containers.get(id);
  if (record === undefined) throw containerNotFound(id);
  return record;
}

/** Where a filter's matches can be: one container, one sandbox's, or all (the kubelet mostly asks by id or sandbox). */
function* candidates(ctx: RuntimeContext, filter: ContainerFilter | undefined): Iterable<ContainerRecord> {
  if (filter?.id) {
    const record = ctx.containers.get(filter.id);
    if (record !== undefined) yield record;
    return;
  }
  if (!filter?.podSandboxId) {
    yield* ctx.containers.values();
    return;
  }
  for (const id of ctx.sandboxes.get(filter.podSandboxId)?.containers ?? []) {
    const record = ctx.containers.get(id);
    if (record !== undefined) yield record;
  }
}

/** The containers matching a `listContainers` filter, in creation order. */
export function filterContainers(ctx: RuntimeContext, filter: ContainerFilter | undefined): ContainerRecord[] {
  const out: ContainerRecord[] = [];
  for (const record of candidates(ctx, filter)) {
    if (filter?.id && record.id !== filter.id) continue;
    if (filter?.podSandboxId && record.sandboxId !== filter.podSandboxId) continue;
    if (filter?.state !== undefined && record.state !== filter.state) continue;
    if (!matchesLabelSelector(record.config.labels ?? {}, filter?.labelSelector)) continue;
    out.push(record);
  }
  return out;
}

/** `updateContainerResources`: new cgroup settings, all at once; a running container's OOM is re-armed for the new limit. */
export function updateContainerResources(ctx: RuntimeContext, id: string, update: ContainerResourcesUpdate): void {
  const record = getContainer(ctx, id);
  const linux = update?.linux;
  if (linux === undefined) return;
  const limit = linux.memoryLimitInBytes;
  if (limit !== undefined && (!Number.isFinite(limit) || limit < 0)) {
    throw invalidArgument(`updateContainerResources: memoryLimitInBytes must be >= 0, got ${limit}`);
  }
  record.resources = { ...record.resources, ...copy(linux) };
  rescheduleOom(ctx, record);
}

/** `reopenContainerLog`: nothing to reopen in memory, but the same errors as a real runtime. */
export function reopenContainerLog(ctx: RuntimeContext, id: string): void {
  const record = getContainer(ctx, id);
  if (record.state !== 'CONTAINER_RUNNING') {
    throw failedPrecondition(`container "${id}" is ${record.state}; only a running container's log can be reopened`);
  }
}
