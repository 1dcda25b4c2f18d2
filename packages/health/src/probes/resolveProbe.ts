import { InvalidError } from '@keelson/core';
import type { Probe, ProbeHandlerName, ProbeKind, ProbePort, ProbeTarget, ResolvedProbe } from './types';

const HANDLERS: readonly ProbeHandlerName[] = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const MAX_INT32 = 2_147_483_647;

/** `livenessProbe`, `readinessProbe` or `startupProbe`: the container field, so messages read like the API's. */
export function probeField(kind: ProbeKind): string {
  return `${kind}Probe`;
}

function invalid(field: string, problem: string): InvalidError {
  return new InvalidError(`${field}: ${problem}`);
}

/** A whole number of seconds or a count; absent or 0 (Go's "unset") means `fallback`, as Kubernetes defaults it. */
function count(field: string, value: unknown, fallback: number, zeroIsUnset: boolean): number {
  if (value === undefined || (zeroIsUnset && value === 0)) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_INT32) {
    throw invalid(field, `must be a whole number greater than or equal to 0, got ${String(value)}`);
  }
  return value;
}

const PORT_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function port(field: string, value: unknown, allowName: boolean): ProbePort {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 1 && value <= 65535) return value;
    throw invalid(field, `must be between 1 and 65535, inclusive, got ${value}`);
  }
  if (allowName && typeof value === 'string') {
    const named = value.length <= 15 && PORT_NAME.test(value) && !value.includes('--') && /[a-z]/.test(value);
    if (named || /^[0-9]+$/.test(value)) return value;
    throw invalid(field, `must be a port number or an IANA service name (e.g. "http"), got ${JSON.stringify(value)}`);
  }
  throw invalid(field, allowName ? 'must be a port number or a port name' : 'must be a port number');
}

function optionalString(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  return value;
}

function resolveAction(field: string, probe: Probe, handler: ProbeHandlerName): Partial<ResolvedProbe> {
  const at = `${field}.${handler}`;
  switch (handler) {
    case 'exec': {
      const command = probe.exec?.command;
      if (!Array.isArray(command) || command.length === 0) throw invalid(`${at}.command`, 'Required value');
      if (!command.every((part) => typeof part === 'string')) throw invalid(`${at}.command`, 'must be strings');
      return { exec: { command: [...command] } };
    }
    case 'httpGet': {
      const action = probe.httpGet ?? { port: 0 };
      const scheme = action.scheme ?? 'HTTP';
      if (scheme !== 'HTTP' && scheme !== 'HTTPS') throw invalid(`${at}.scheme`, 'must be "HTTP" or "HTTPS"');
      const headers = action.httpHeaders ?? [];
      headers.forEach((header, i) => {
        if (typeof header?.name !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header.name)) {
          throw invalid(`${at}.httpHeaders[${i}].name`, 'must be a valid HTTP header name');
        }
        if (typeof header.value !== 'string') throw invalid(`${at}.httpHeaders[${i}].value`, 'must be a string');
      });
      const host = optionalString(`${at}.host`, action.host);
      return {
        httpGet: {
          path: optionalString(`${at}.path`, action.path) || '/',
          port: port(`${at}.port`, action.port, true),
          ...(host ? { host } : {}),
          scheme,
          httpHeaders: headers.map(({ name, value }) => ({ name, value })),
        },
      };
    }
    case 'tcpSocket': {
      const action = probe.tcpSocket ?? { port: 0 };
      const host = optionalString(`${at}.host`, action.host);
      return { tcpSocket: { port: port(`${at}.port`, action.port, true), ...(host ? { host } : {}) } };
    }
    case 'grpc': {
      const action = probe.grpc ?? { port: 0 };
      return {
        grpc: {
          port: port(`${at}.port`, action.port, false) as number,
          service: optionalString(`${at}.service`, action.service) ?? '',
        },
      };
    }
  }
}

/**
 * Validates a probe and applies Kubernetes' defaults, the way the API server
 * does for a container's `livenessProbe`, `readinessProbe` or
 * `startupProbe`. Call it to fail fast on bad input; every engine entry point
 * calls it too.
 *
 * @throws InvalidError naming the field, e.g. `livenessProbe.successThreshold: must be 1`.
 */
export function resolveProbe(probe: Probe, kind: ProbeKind): ResolvedProbe {
  const field = probeField(kind);
  if (typeof probe !== 'object' || probe === null) throw invalid(field, 'must be an object');
  const handlers = HANDLERS.filter((name) => probe[name] !== undefined);
  const [handler, extra] = handlers;
  if (handler === undefined) throw invalid(field, 'must specify a handler type (exec, httpGet, tcpSocket or grpc)');
  if (extra !== undefined) throw invalid(`${field}.${extra}`, 'may not specify more than 1 handler type');

  const successThreshold = count(`${field}.successThreshold`, probe.successThreshold, 1, true);
  if (kind !== 'readiness' && successThreshold !== 1) {
    throw invalid(`${field}.successThreshold`, `must be 1 for ${kind} probes, got ${successThreshold}`);
  }
  const grace = probe.terminationGracePeriodSeconds;
  if (grace !== undefined) {
    if (kind === 'readiness')
      throw invalid(`${field}.terminationGracePeriodSeconds`, 'must not be set for readinessProbes');
    if (!Number.isInteger(grace) || grace < 1) {
      throw invalid(`${field}.terminationGracePeriodSeconds`, `must be a whole number greater than 0, got ${grace}`);
    }
  }
  return {
    handler,
    ...resolveAction(field, probe, handler),
    initialDelaySeconds: count(`${field}.initialDelaySeconds`, probe.initialDelaySeconds, 0, false),
    timeoutSeconds: count(`${field}.timeoutSeconds`, probe.timeoutSeconds, 1, true),
    periodSeconds: count(`${field}.periodSeconds`, probe.periodSeconds, 10, true),
    successThreshold,
    failureThreshold: count(`${field}.failureThreshold`, probe.failureThreshold, 3, true),
    ...(grace === undefined ? {} : { terminationGracePeriodSeconds: grace }),
  };
}

/**
 * The port number a probe's `port` means for `target`: a number as is, a
 * name looked up in `target.ports` (then, as the kubelet does, read as a
 * number), or an explanation of why it cannot be resolved.
 */
export function resolvePort(port: ProbePort, target: ProbeTarget): number | { error: string } {
  if (typeof port === 'number') return port;
  const named = target.ports?.[port];
  const value = named ?? (/^[0-9]+$/.test(port) ? Number(port) : undefined);
  if (value === undefined) return { error: `port "${port}" not found among the container's named ports` };
  if (!Number.isInteger(value) || value < 1 || value > 65535) return { error: `invalid port number: ${value}` };
  return value;
}

/** Where `httpGet`, `tcpSocket` and `grpc` probes go when neither the probe nor the target names a host. */
export const DEFAULT_PROBE_HOST = '127.0.0.1';

/** The host a probe's action goes to: its own `host`, else the target's, else {@link DEFAULT_PROBE_HOST}. */
export function resolveHost(actionHost: string | undefined, target: ProbeTarget): string {
  return actionHost || target.host || DEFAULT_PROBE_HOST;
}

/** `host:port`, with an IPv6 host in brackets (Go's `net.JoinHostPort`). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A thrown value as a one-line message. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
