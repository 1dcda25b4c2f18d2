import { type ContainerRecord, elapsedMs, type RuntimeContext } from './context';
import { isProbeConnectionError, ProbeConnectionError } from './errors';
import { overloadStatus } from './servedLoad';
import { waitOrExit } from './waiting';

/** Where a simulated `httpGet` probe goes. */
export interface HttpProbeTarget {
  /** Request path (default `/`). */
  path?: string;
  port: number;
  /** How long the probe waits for an answer from a hung container, in ms (default 1000, the kubelet's 1 s). */
  timeoutMs?: number;
}

/** Options of a simulated `tcpSocket` probe. */
export interface TcpProbeOptions {
  /** How long the probe waits on a hung container, in ms (default 1000). */
  timeoutMs?: number;
}

const DEFAULT_PROBE_TIMEOUT_MS = 1_000;

/**
 * Whether a probe reaches the container's process: the container exists and
 * runs in a ready sandbox, has finished starting (`startupMs`) and is not
 * hung (a hung one makes the probe wait out its timeout).
 */
async function reach(ctx: RuntimeContext, id: string, timeoutMs: number): Promise<ContainerRecord> {
  const record = ctx.containers.get(id);
  const sandbox = record === undefined ? undefined : ctx.sandboxes.get(record.sandboxId);
  if (record === undefined || sandbox?.state !== 'SANDBOX_READY') {
    throw new ProbeConnectionError('EHOSTUNREACH', `container "${id}" is not on a running pod network`);
  }
  if (record.state !== 'CONTAINER_RUNNING') {
    throw new ProbeConnectionError('ECONNREFUSED', `container "${id}" is ${record.state}: nothing listens`);
  }
  if (record.hung) {
    const how = await waitOrExit(ctx.clock, record, timeoutMs);
    throw how === 'exited'
      ? new ProbeConnectionError('ECONNREFUSED', `container "${id}" exited during the probe`)
      : new ProbeConnectionError('ETIMEDOUT', `container "${id}" did not answer within ${timeoutMs} ms (it hangs)`);
  }
  if (elapsedMs(ctx, record) < (record.behaviour.startupMs ?? 0)) {
    throw new ProbeConnectionError('ECONNREFUSED', `container "${id}" is still starting: nothing listens yet`);
  }
  return record;
}

/** The status code a simulated `httpGet` probe gets; rejects with a {@link ProbeConnectionError} when it gets none. */
export async function probeHttp(ctx: RuntimeContext, id: string, target: HttpProbeTarget): Promise<number> {
  const record = await reach(ctx, id, target.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS);
  const overloaded = overloadStatus(ctx, record, target.path ?? '/');
  if (overloaded !== undefined) return overloaded;
  return record.behaviour.http?.(target.path ?? '/', target.port, elapsedMs(ctx, record)) ?? 200;
}

/** Whether a simulated `tcpSocket` probe connects. */
export async function probeTcp(
  ctx: RuntimeContext,
  id: string,
  port: number,
  options: TcpProbeOptions = {},
): Promise<boolean> {
  try {
    const record = await reach(ctx, id, options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS);
    return record.behaviour.tcp?.(port, elapsedMs(ctx, record)) ?? true;
  } catch (error) {
    if (isProbeConnectionError(error)) return false;
    throw error;
  }
}
