import { errorMessage, joinHostPort, resolveHost } from './resolveProbe';
import type { GrpcHealthChecker, ProbeHandler } from './types';

/** Options of {@link createGrpcHandler}. */
export interface GrpcHandlerOptions {
  /** Calls `grpc.health.v1.Health/Check`; Keelson ships no gRPC client of its own. */
  checker: GrpcHealthChecker;
}

/**
 * The `grpc` handler: asks the injected checker for the service's status at
 * the target's host (Kubernetes: the pod IP; a `grpc` probe names no host).
 * `SERVING` is `Success`; any other status, or a rejection (unreachable,
 * `Unimplemented`, deadline), is `Failure`.
 */
export function createGrpcHandler(options: GrpcHandlerOptions): ProbeHandler {
  const { checker } = options;
  return async (probe, target, signal) => {
    const action = probe.grpc;
    if (action === undefined) return { result: 'Unknown', message: 'not a grpc probe' };
    const host = resolveHost(undefined, target);
    const address = joinHostPort(host, action.port);
    const timeoutMs = probe.timeoutSeconds * 1_000;
    const where = {
      host,
      port: action.port,
      timeoutMs,
      signal,
      ...(target.containerId === undefined ? {} : { containerId: target.containerId }),
    };
    try {
      const status = await checker(where, action.service);
      if (status === 'SERVING') return { result: 'Success', message: 'service healthy' };
      return { result: 'Failure', message: `service unhealthy (responded with "${status}")` };
    } catch (error) {
      return { result: 'Failure', message: `error: health rpc probe to ${address} failed: ${errorMessage(error)}` };
    }
  };
}
