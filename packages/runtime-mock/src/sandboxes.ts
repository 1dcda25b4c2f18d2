import { CriError, matchesLabelSelector, type PodSandboxConfig, type PodSandboxFilter } from '@keelson/cri';
import { dropSandboxLogs } from './containerLogs';
import { removeContainer } from './containers';
import { copy, newId, nowNanos, type RuntimeContext, type SandboxRecord } from './context';
import { checkNonEmpty, invalidArgument, sandboxNotFound } from './errors';
import { killContainer } from './lifecycle';
import { hasOwnNetwork } from './statuses';

/** `runPodSandbox`: a new `SANDBOX_READY` sandbox with a pod IP (unless it uses the node's network). */
export function runPodSandbox(ctx: RuntimeContext, config: PodSandboxConfig, runtimeHandler = ''): string {
  const metadata = config?.metadata;
  checkNonEmpty('runPodSandbox', 'config.metadata.name', metadata?.name);
  checkNonEmpty('runPodSandbox', 'config.metadata.uid', metadata.uid);
  checkNonEmpty('runPodSandbox', 'config.metadata.namespace', metadata.namespace);
  const attempt = metadata.attempt ?? 0;
  if (!Number.isInteger(attempt) || attempt < 0) {
    throw invalidArgument(`runPodSandbox: config.metadata.attempt must be a whole number >= 0, got ${attempt}`);
  }
  if (runtimeHandler !== '' && !ctx.runtimeHandlers.includes(runtimeHandler)) {
    throw new CriError(
      'NotFound',
      `runtime handler "${runtimeHandler}" is not configured; the mock has ${JSON.stringify(['', ...ctx.runtimeHandlers])}`,
    );
  }
  for (const other of ctx.sandboxes.values()) {
    const m = other.metadata;
    if (
      m.name === metadata.name &&
      m.uid === metadata.uid &&
      m.namespace === metadata.namespace &&
      m.attempt === attempt
    ) {
      throw new CriError(
        'AlreadyExists',
        `pod sandbox "${other.id}" already exists for ${metadata.namespace}/${metadata.name} (uid ${metadata.uid}) attempt ${attempt}; remove it or use the next attempt`,
      );
    }
  }
  const kept = copy(config);
  const record: SandboxRecord = {
    id: newId(ctx),
    metadata: { name: metadata.name, uid: metadata.uid, namespace: metadata.namespace, attempt },
    config: kept,
    runtimeHandler,
    createdAt: nowNanos(ctx.clock),
    state: 'SANDBOX_READY',
    ip: '',
    containers: new Set(),
  };
  if (hasOwnNetwork(record)) record.ip = ctx.network.allocate();
  ctx.sandboxes.set(record.id, record);
  return record.id;
}

/** `stopPodSandbox`: kills its running containers, releases its IP, `SANDBOX_NOTREADY`. Idempotent. */
export function stopPodSandbox(ctx: RuntimeContext, id: string): void {
  const record = ctx.sandboxes.get(id);
  if (record === undefined) return;
  for (const containerId of record.containers) {
    const container = ctx.containers.get(containerId);
    if (container !== undefined) killContainer(ctx, container);
  }
  if (record.state === 'SANDBOX_READY' && record.ip !== '') ctx.network.release(record.ip);
  record.state = 'SANDBOX_NOTREADY';
}

/** `removePodSandbox`: stops it, removes its containers, forgets it. Idempotent. */
export function removePodSandbox(ctx: RuntimeContext, id: string): void {
  const record = ctx.sandboxes.get(id);
  if (record === undefined) return;
  stopPodSandbox(ctx, id);
  for (const containerId of [...record.containers]) removeContainer(ctx, containerId);
  dropSandboxLogs(ctx, id);
  ctx.sandboxes.delete(id);
}

/** The sandbox `id` or `NotFound`. */
export function getSandbox(ctx: RuntimeContext, id: string): SandboxRecord {
  const record = ctx.sandboxes.get(id);
  if (record === undefined) throw sandboxNotFound(id);
  return record;
}

/** The sandboxes matching a `listPodSandbox` filter, in creation order. */
export function filterSandboxes(ctx: RuntimeContext, filter: PodSandboxFilter | undefined): SandboxRecord[] {
  const out: SandboxRecord[] = [];
  const single = filter?.id ? ctx.sandboxes.get(filter.id) : undefined;
  for (const record of filter?.id ? (single === undefined ? [] : [single]) : ctx.sandboxes.values()) {
    if (filter?.id && record.id !== filter.id) continue;
    if (filter?.state !== undefined && record.state !== filter.state) continue;
    if (!matchesLabelSelector(record.config.labels ?? {}, filter?.labelSelector)) continue;
    out.push(record);
  }
  return out;
}
