import type { EndpointSlice, Service } from '@keelson/api';
import { describe, expect, it } from 'vitest';
import { type EndpointGroup, planEndpointSlices } from './planEndpointSlices';
import type { Endpoint, EndpointPort } from './podEndpoints';

const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default', uid: 'svc-uid', labels: { tier: 'front' } },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }] },
} as unknown as Service;

const ports: EndpointPort[] = [{ name: 'http', protocol: 'TCP', port: 8080 }];
const labels = {
  tier: 'front',
  'kubernetes.io/service-name': 'web',
  'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
};

function endpoint(i: number, ready = true): Endpoint {
  return {
    addresses: [`10.0.${i >> 8}.${i & 255}`],
    conditions: { ready, serving: ready, terminating: false },
    targetRef: { kind: 'Pod', namespace: 'default', name: `p-${i}`, uid: `uid-${i}` },
    nodeName: 'node-1',
  };
}

function range(from: number, to: number, ready = true): Endpoint[] {
  return Array.from({ length: to - from }, (_, k) => endpoint(from + k, ready));
}

function slice(name: string, endpoints: Endpoint[], owner = 'svc-uid', slicePorts = ports): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name,
      namespace: 'default',
      uid: `${name}-uid`,
      resourceVersion: '7',
      labels,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: owner, controller: true }],
    },
    addressType: 'IPv4',
    ports: slicePorts,
    endpoints,
  } as unknown as EndpointSlice;
}

function plan(existing: EndpointSlice[], desired: EndpointGroup[], max = 100) {
  return planEndpointSlices({ service, addressType: 'IPv4', existing, desired, maxEndpointsPerSlice: max });
}

describe('planEndpointSlices', () => {
  it('plans nothing when the slices already show the desired endpoints', () => {
    const existing = [slice('a', range(0, 100)), slice('b', range(100, 150))];
    expect(plan(existing, [{ ports, endpoints: range(0, 150) }])).toEqual({ create: [], update: [], delete: [] });
  });

  it('updates a changed endpoint in place, in the slice that holds it', () => {
    const existing = [slice('a', range(0, 3)), slice('b', range(3, 6))];
    const desired = [...range(0, 4), endpoint(4, false), endpoint(5)];
    const result = plan(existing, [{ ports, endpoints: desired }]);
    expect(result.create).toEqual([]);
    expect(result.delete).toEqual([]);
    expect(result.update.map((s) => s.metadata.name)).toEqual(['b']);
    expect(result.update[0]?.metadata.resourceVersion).toBe('7');
    expect(result.update[0]?.endpoints.map((e) => e.conditions.ready)).toEqual([true, false, true]);
  });

  it('puts new endpoints first into the slices that change anyway, fullest first', () => {
    const existing = [slice('a', range(0, 100)), slice('b', range(100, 150))];
    // Ten endpoints leave slice a and ten new ones arrive in the same sync.
    const desired = [...range(10, 150), ...range(200, 210)];
    const result = plan(existing, [{ ports, endpoints: desired }]);
    expect(result.create).toEqual([]);
    expect(result.delete).toEqual([]);
    expect(result.update.map((s) => [s.metadata.name, s.endpoints.length])).toEqual([['a', 100]]);
  });

  it('fills the unchanged slice that ends closest to full before creating one', () => {
    const existing = [slice('a', range(0, 50)), slice('b', range(50, 145)), slice('c', range(145, 215))];
    const result = plan(existing, [{ ports, endpoints: [...range(0, 215), ...range(300, 305)] }]);
    expect(result.create).toEqual([]);
    expect(result.update.map((s) => [s.metadata.name, s.endpoints.length])).toEqual([['b', 100]]);
  });

  it('creates new slices of at most the maximum when nothing has room', () => {
    const result = plan([], [{ ports, endpoints: range(0, 250) }]);
    expect(result.create.map((s) => s.endpoints.length)).toEqual([100, 100, 50]);
    expect(result.create[0]?.metadata).toEqual({
      generateName: 'web-',
      namespace: 'default',
      labels,
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true },
      ],
    });
  });

  it('reuses a slice about to be deleted for one about to be created', () => {
    // The port set changed: the old slice's group is gone, a new group appears.
    const existing = [slice('old', range(0, 3))];
    const newPorts: EndpointPort[] = [{ name: 'http', protocol: 'TCP', port: 9090 }];
    const result = plan(existing, [{ ports: newPorts, endpoints: range(0, 3) }]);
    expect(result.create).toEqual([]);
    expect(result.delete).toEqual([]);
    expect(result.update).toHaveLength(1);
    expect(result.update[0]?.metadata.name).toBe('old');
    expect(result.update[0]?.ports).toEqual(newPorts);
  });

  it("deletes another Service's slices of the same name instead of reusing them", () => {
    const stranger = slice('stranger', range(0, 2), 'older-uid');
    const result = plan([stranger], [{ ports, endpoints: range(0, 2) }]);
    expect(result.delete.map((s) => s.metadata.name)).toEqual(['stranger']);
    expect(result.create.map((s) => s.endpoints.length)).toEqual([2]);
  });

  it('keeps a single empty placeholder when there are no endpoints', () => {
    const emptied = plan([slice('a', range(0, 2)), slice('b', range(2, 4))], []);
    expect(emptied.create).toEqual([]);
    expect(emptied.delete.map((s) => s.metadata.name)).toEqual(['b']);
    expect(emptied.update.map((s) => [s.metadata.name, s.endpoints, s.ports])).toEqual([['a', [], []]]);
    const placeholder = slice('a', [], 'svc-uid', []);
    expect(plan([placeholder], [])).toEqual({ create: [], update: [], delete: [] });
    expect(plan([], []).create.map((s) => [s.endpoints, s.ports])).toEqual([[[], []]]);
  });

  it('deletes slices of another address type outright', () => {
    const v6 = { ...slice('v6', []), addressType: 'IPv6' } as EndpointSlice;
    const result = plan([v6, slice('a', range(0, 1))], [{ ports, endpoints: range(0, 1) }]);
    expect(result).toEqual({ create: [], update: [], delete: [v6] });
  });
});
