import type { EndpointSlice, Node, Pod, Service } from '@keelson/api';
import { describe, expect, it } from 'vitest';
import {
  endpointKey,
  endpointPortsFor,
  endpointsEqualBeyondKey,
  podAddresses,
  podToEndpoint,
  shouldPodBeInEndpoints,
} from './podEndpoints';
import { EndpointSliceTracker } from './sliceTracker';

function pod(
  overrides: { spec?: Record<string, unknown>; status?: Record<string, unknown>; meta?: Record<string, unknown> } = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: 'u1', ...overrides.meta },
    spec: {
      containers: [{ name: 'app', image: 'a', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] }],
      ...overrides.spec,
    },
    status: {
      phase: 'Running',
      podIP: '10.0.0.1',
      podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }],
      ...overrides.status,
    },
  } as unknown as Pod;
}

function service(spec: Record<string, unknown>): Service {
  return { metadata: { name: 'web', namespace: 'default', uid: 's' }, spec } as unknown as Service;
}

describe('pod endpoints', () => {
  it('includes pods with an IP that have not finished', () => {
    expect(shouldPodBeInEndpoints(pod())).toBe(true);
    expect(shouldPodBeInEndpoints(pod({ status: { phase: 'Pending', podIP: undefined, podIPs: undefined } }))).toBe(
      false,
    );
    expect(shouldPodBeInEndpoints(pod({ status: { phase: 'Failed' } }))).toBe(false);
    expect(shouldPodBeInEndpoints(pod({ meta: { deletionTimestamp: '2026-01-01T00:00:00Z' } }))).toBe(true);
  });

  it('takes the addresses of the slice family only', () => {
    expect(podAddresses(pod(), 'IPv4')).toEqual(['10.0.0.1']);
    expect(podAddresses(pod(), 'IPv6')).toEqual(['fd00::1']);
  });

  it('resolves a named target port by name and protocol, sidecars included', () => {
    const udp = service({ ports: [{ name: 'dns', protocol: 'UDP', port: 53, targetPort: 'dns' }] });
    const tcp = service({ ports: [{ name: 'dns', protocol: 'TCP', port: 53, targetPort: 'dns' }] });
    expect(endpointPortsFor(udp, pod())).toEqual([{ name: 'dns', protocol: 'UDP', port: 53 }]);
    expect(endpointPortsFor(tcp, pod())).toEqual([]);
    const sidecar = pod({
      spec: {
        containers: [{ name: 'app', image: 'a' }],
        initContainers: [
          {
            name: 'proxy',
            image: 'p',
            restartPolicy: 'Always',
            ports: [{ name: 'dns', containerPort: 5353, protocol: 'TCP' }],
          },
        ],
      },
    });
    expect(endpointPortsFor(tcp, sidecar)).toEqual([{ name: 'dns', protocol: 'TCP', port: 5353 }]);
  });

  it('sets the hostname only for pods that name the Service as their subdomain', () => {
    const node = { metadata: { name: 'n', labels: { 'topology.kubernetes.io/zone': 'z1' } } } as unknown as Node;
    const svc = service({});
    const named = podToEndpoint(
      pod({ spec: { hostname: 'db-0', subdomain: 'web', containers: [] } }),
      node,
      svc,
      'IPv4',
    );
    expect(named.hostname).toBe('db-0');
    expect(named.zone).toBe('z1');
    expect(
      podToEndpoint(pod({ spec: { hostname: 'db-0', containers: [] } }), node, svc, 'IPv4').hostname,
    ).toBeUndefined();
  });

  it('identifies endpoints by address and pod, and compares the rest apart', () => {
    const a = podToEndpoint(pod(), undefined, service({}), 'IPv4');
    const unready = { ...a, conditions: { ...a.conditions, ready: !a.conditions.ready } };
    expect(endpointKey(unready)).toBe(endpointKey(a));
    expect(endpointsEqualBeyondKey(a, unready)).toBe(false);
    const otherVersion = { ...a, targetRef: { ...a.targetRef, resourceVersion: '9' } };
    expect(endpointsEqualBeyondKey(a, otherVersion)).toBe(true);
  });
});

describe('EndpointSliceTracker', () => {
  const slice = (name: string, rv: number) => ({ metadata: { name, resourceVersion: String(rv) } }) as EndpointSlice;

  it('calls the cache stale until it shows our writes and deletions', () => {
    const tracker = new EndpointSliceTracker();
    tracker.wrote('default/web', slice('a', 10));
    tracker.deleted('default/web', 'b');
    expect(tracker.isStale('default/web', [slice('b', 3)])).toBe(true);
    expect(tracker.isStale('default/web', [slice('a', 9)])).toBe(true);
    expect(tracker.isStale('default/web', [slice('a', 10)])).toBe(false);
    // Confirmed expectations are forgotten.
    expect(tracker.isStale('default/web', [])).toBe(false);
  });

  it('forgets a written slice that someone else deleted', () => {
    const tracker = new EndpointSliceTracker();
    tracker.wrote('default/web', slice('a', 10));
    tracker.settle('default/web', []);
    expect(tracker.isStale('default/web', [])).toBe(false);
  });
});
