import type { Probe as ApiProbe } from '@keelson/api';
import { VirtualClock } from '@keelson/clock';
import { isKeelsonError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { createProber } from './createProber';
import { resolvePort, resolveProbe } from './resolveProbe';
import type { Probe, ProbeKind } from './types';

function invalidField(probe: Probe, kind: ProbeKind): string {
  try {
    resolveProbe(probe, kind);
  } catch (error) {
    if (isKeelsonError(error, 'Invalid')) return error.message;
    throw error;
  }
  throw new Error('expected an InvalidError');
}

describe('resolveProbe', () => {
  it("applies Kubernetes' defaults, with 0 meaning unset as in Go", () => {
    expect(resolveProbe({ httpGet: { port: 8080 } }, 'readiness')).toEqual({
      handler: 'httpGet',
      httpGet: { path: '/', port: 8080, scheme: 'HTTP', httpHeaders: [] },
      initialDelaySeconds: 0,
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    const zeros = { tcpSocket: { port: 80 }, timeoutSeconds: 0, periodSeconds: 0, failureThreshold: 0 };
    expect(resolveProbe(zeros, 'liveness')).toMatchObject({
      timeoutSeconds: 1,
      periodSeconds: 10,
      failureThreshold: 3,
    });
    expect(resolveProbe({ grpc: { port: 9090 } }, 'startup').grpc).toEqual({ port: 9090, service: '' });
  });

  it('accepts a Probe from @keelson/api as it is', () => {
    const stored: ApiProbe = {
      httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
      initialDelaySeconds: 0,
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    };
    const probe: Probe = stored;
    expect(resolveProbe(probe, 'liveness').httpGet?.port).toBe('http');
  });

  it('refuses bad probes with an InvalidError naming the field', () => {
    expect(invalidField({ httpGet: { port: 80 }, successThreshold: 2 }, 'liveness')).toMatch(
      /^livenessProbe\.successThreshold: must be 1/,
    );
    expect(invalidField({ exec: { command: ['true'] }, successThreshold: 2 }, 'startup')).toMatch(
      /^startupProbe\.successThreshold/,
    );
    expect(invalidField({ httpGet: { port: 80 }, periodSeconds: -1 }, 'readiness')).toMatch(
      /^readinessProbe\.periodSeconds: must be a whole number/,
    );
    expect(invalidField({ httpGet: { port: 80 }, timeoutSeconds: 1.5 }, 'readiness')).toMatch(
      /^readinessProbe\.timeoutSeconds/,
    );
    expect(invalidField({ httpGet: { port: 80 }, initialDelaySeconds: -5 }, 'liveness')).toMatch(
      /^livenessProbe\.initialDelaySeconds/,
    );
    expect(invalidField({}, 'liveness')).toMatch(/^livenessProbe: must specify a handler type/);
    expect(invalidField({ httpGet: { port: 80 }, tcpSocket: { port: 80 } }, 'liveness')).toMatch(
      /^livenessProbe\.tcpSocket: may not specify more than 1 handler type/,
    );
    expect(invalidField({ exec: { command: [] } }, 'liveness')).toMatch(/^livenessProbe\.exec\.command: Required/);
    expect(invalidField({ tcpSocket: { port: 70_000 } }, 'readiness')).toMatch(/^readinessProbe\.tcpSocket\.port/);
    expect(invalidField({ httpGet: { port: 'Not A Name' } }, 'readiness')).toMatch(/^readinessProbe\.httpGet\.port/);
    expect(invalidField({ grpc: { port: 0 } }, 'readiness')).toMatch(/^readinessProbe\.grpc\.port/);
    expect(invalidField({ httpGet: { port: 80, httpHeaders: [{ name: 'a b', value: '' }] } }, 'readiness')).toMatch(
      /^readinessProbe\.httpGet\.httpHeaders\[0\]\.name/,
    );
    expect(invalidField({ httpGet: { port: 80 }, terminationGracePeriodSeconds: 5 }, 'readiness')).toMatch(
      /^readinessProbe\.terminationGracePeriodSeconds/,
    );
  });

  it('lets the engine refuse bad probes before any timer is set', () => {
    const clock = new VirtualClock();
    const prober = createProber({ clock });
    expect(() =>
      prober.probeContainer({
        containerId: 'c1',
        readinessProbe: { tcpSocket: { port: 80 } },
        livenessProbe: { httpGet: { port: 80 }, successThreshold: 2 },
      }),
    ).toThrow(/livenessProbe\.successThreshold/);
    expect(() => prober.probeContainer({ containerId: 'c1', livenessProbe: { exec: { command: ['true'] } } })).toThrow(
      /livenessProbe\.exec: no exec handler is configured; pass a runtime/,
    );
    expect(() => prober.probeContainer({ containerId: 'c1', readinessProbe: { grpc: { port: 9090 } } })).toThrow(
      /grpcChecker/,
    );
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('resolvePort', () => {
  it('reads numbers, named ports and numeric strings', () => {
    expect(resolvePort(8080, {})).toBe(8080);
    expect(resolvePort('http', { ports: { http: 8081 } })).toBe(8081);
    expect(resolvePort('9090', {})).toBe(9090);
    expect(resolvePort('metrics', { ports: { http: 8081 } })).toEqual({
      error: `port "metrics" not found among the container's named ports`,
    });
  });
});
