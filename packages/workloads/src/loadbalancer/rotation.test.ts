import type { EndpointSlice, Service } from '@keelson/api';
import { createRandom } from '@keelson/clock';
import { describe, expect, it } from 'vitest';
import { resolveSlicePort, rotationOf, type ServiceEndpoint } from './rotation';
import { leastOutstanding, randomChoice, roundRobin } from './strategies';

type Conditions = { ready?: boolean; terminating?: boolean };

function slice(ports: Array<{ name: string; port: number }>, endpoints: Array<[string, Conditions]>): EndpointSlice {
  return {
    metadata: { name: 's' },
    addressType: 'IPv4',
    ports: ports.map((p) => ({ ...p, protocol: 'TCP' })),
    endpoints: endpoints.map(([address, conditions]) => ({ addresses: [address], conditions })),
  } as unknown as EndpointSlice;
}

const service = {
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    ports: [
      { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
      { name: 'metrics', port: 9100, targetPort: 9100, protocol: 'TCP' },
    ],
  },
} as unknown as Service;

function at(...last: number[]): ServiceEndpoint[] {
  return last.map((n) => ({ address: `10.0.0.${n}`, port: 80, pod: `p${n}`, node: undefined, zone: undefined }));
}

describe('rotationOf', () => {
  it('keeps ready, non-terminating endpoints serving the port, once each, in address order', () => {
    const ports = [{ name: 'http', port: 8080 }];
    const a = slice(ports, [
      ['10.0.0.10', { ready: true }],
      ['10.0.0.9', {}],
      ['10.0.0.3', { ready: false }],
      ['10.0.0.4', { ready: true, terminating: true }],
    ]);
    const moving = slice(ports, [['10.0.0.10', { ready: true }]]);
    const other = slice([{ name: 'metrics', port: 9100 }], [['10.0.0.5', { ready: true }]]);
    const rotation = rotationOf([a, moving, other], { name: 'http' });
    // An unset `ready` counts as ready, as Kubernetes tells consumers to read it.
    expect(rotation.map((e) => `${e.address}:${e.port}`)).toEqual(['10.0.0.9:8080', '10.0.0.10:8080']);
  });

  it("resolves the port option against the Service's ports", () => {
    expect(resolveSlicePort(service, undefined)).toEqual({ name: 'http' });
    expect(resolveSlicePort(service, 9100)).toEqual({ name: 'metrics' });
    expect(resolveSlicePort(service, 'metrics')).toEqual({ name: 'metrics' });
    expect(() => resolveSlicePort(service, 'grpc')).toThrow(
      /option "port".*no port named "grpc".*http \(80\), metrics \(9100\)/,
    );
    expect(() => resolveSlicePort(service, 8080)).toThrow(/option "port".*no port number 8080/);
    expect(resolveSlicePort(undefined, undefined)).toBe('first');
  });
});

describe('strategies', () => {
  it('round-robin keeps its turn when the rotation changes', () => {
    const rr = roundRobin();
    const none = () => 0;
    expect([rr.choose(at(1, 2, 3), none), rr.choose(at(1, 2, 3), none)].map((e) => e.pod)).toEqual(['p1', 'p2']);
    // p2 left: the turn goes on to p3, not back to p1 or twice to anyone.
    expect(rr.choose(at(1, 3), none).pod).toBe('p3');
    expect(rr.choose(at(1, 3, 4), none).pod).toBe('p4');
    expect(rr.choose(at(1, 3, 4), none).pod).toBe('p1');
  });

  it('random draws reproducibly from its seeded source', () => {
    const draw = (seed: number) => {
      const chooser = randomChoice(createRandom(seed, 'lb'));
      return Array.from({ length: 30 }, () => chooser.choose(at(1, 2, 3), () => 0).pod);
    };
    expect(draw(7)).toEqual(draw(7));
    expect(new Set(draw(7))).toEqual(new Set(['p1', 'p2', 'p3']));
  });

  it('least-outstanding picks the fewest in flight, ties in turn', () => {
    const lo = leastOutstanding();
    const counts = new Map([
      ['10.0.0.1:80', 2],
      ['10.0.0.2:80', 1],
      ['10.0.0.3:80', 1],
    ]);
    const inFlight = (id: string) => counts.get(id) ?? 0;
    expect(lo.choose(at(1, 2, 3), inFlight).pod).toBe('p2');
    expect(lo.choose(at(1, 2, 3), inFlight).pod).toBe('p3');
    expect(lo.choose(at(1, 2, 3), inFlight).pod).toBe('p2');
    counts.set('10.0.0.1:80', 0);
    expect(lo.choose(at(1, 2, 3), inFlight).pod).toBe('p1');
  });
});
