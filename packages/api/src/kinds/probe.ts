/**
 * `Probe`: how the kubelet checks a container (liveness, readiness, startup),
 * with Kubernetes' defaults for timing and thresholds.
 */
import { reuseOutputs } from '@keelson/core';
import { z } from 'zod';
import { int32, int64, portNumber, portNumberOrName } from './primitives';

/**
 * A positive setting that Kubernetes defaults when it is unset or 0 (Go's
 * zero value means "not given"), so `timeoutSeconds: 0` reads as 1.
 */
function positiveOr(fallback: number) {
  return int32
    .min(0, { error: 'must be greater than or equal to 0' })
    .optional()
    .transform((value) => value || fallback);
}

/** `exec`: run a command in the container; exit status 0 is healthy. */
export const execActionSchema = z.object({ command: z.array(z.string()).exactOptional() });

/** `httpGet`: a GET on the pod's IP; any status from 200 to 399 is healthy. */
export const httpGetActionSchema = z.object({
  path: z.string().default('/'),
  port: portNumberOrName,
  host: z.string().exactOptional(),
  scheme: z.enum(['HTTP', 'HTTPS']).default('HTTP'),
  httpHeaders: z.array(z.object({ name: z.string().min(1), value: z.string() })).exactOptional(),
});

/** `tcpSocket`: healthy when the port accepts a connection. */
export const tcpSocketActionSchema = z.object({ port: portNumberOrName, host: z.string().exactOptional() });

/** `grpc`: the gRPC health checking protocol. */
export const grpcActionSchema = z.object({ port: portNumber, service: z.string().exactOptional() });

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;

/**
 * A probe: exactly one handler, then when and how often it runs.
 * Defaults: `initialDelaySeconds` 0, `timeoutSeconds` 1, `periodSeconds` 10,
 * `successThreshold` 1, `failureThreshold` 3.
 *
 * @example
 * ```ts
 * probeSchema.parse({ httpGet: { port: 8080 } });
 * // { httpGet: { path: '/', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 0, timeoutSeconds: 1,
 * //   periodSeconds: 10, successThreshold: 1, failureThreshold: 3 }
 * ```
 */
export const probeSchema = reuseOutputs(
  z
    .object({
      exec: execActionSchema.exactOptional(),
      httpGet: httpGetActionSchema.exactOptional(),
      tcpSocket: tcpSocketActionSchema.exactOptional(),
      grpc: grpcActionSchema.exactOptional(),
      initialDelaySeconds: int32.min(0, { error: 'must be greater than or equal to 0' }).default(0),
      timeoutSeconds: positiveOr(1),
      periodSeconds: positiveOr(10),
      successThreshold: positiveOr(1),
      failureThreshold: positiveOr(3),
      terminationGracePeriodSeconds: int64.min(1, { error: 'must be greater than 0' }).exactOptional(),
    })
    .superRefine((probe, ctx) => {
      const handlers = HANDLERS.filter((handler) => probe[handler] !== undefined);
      if (handlers.length === 0) ctx.addIssue({ code: 'custom', message: 'must specify a handler type' });
      for (const extra of handlers.slice(1)) {
        ctx.addIssue({ code: 'custom', path: [extra], message: 'may not specify more than 1 handler type' });
      }
    }),
);

/** A probe as stored, defaults applied. */
export type Probe = z.output<typeof probeSchema>;
