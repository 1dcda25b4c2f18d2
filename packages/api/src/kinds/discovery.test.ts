import type { InputOf } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { EndpointSlice } from './endpointSlice';
import { Lease } from './lease';
import { formatMicroTime } from './primitives';
import { builtinStore, issuePaths, manifest } from './testStore';

describe('EndpointSlice', () => {
  it('accepts the documentation example, defaulting port protocol and endpoint conditions', async () => {
    const { store, warnings } = await builtinStore();
    const slice = await store.create(
      EndpointSlice,
      manifest<InputOf<typeof EndpointSlice>>(`
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: example-abc
  namespace: default
  labels:
    kubernetes.io/service-name: example
addressType: IPv4
ports:
  - name: http
    port: 80
endpoints:
  - addresses:
      - "10.1.2.3"
    conditions:
      ready: true
    hostname: pod-1
    nodeName: node-1
    zone: us-west2-a
  - addresses: ["10.1.2.4"]
`),
    );
    expect(warnings).toEqual([]);
    expect(slice.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 80 }]);
    expect(slice.endpoints[1]).toEqual({ addresses: ['10.1.2.4'], conditions: {} });
    expect(slice).not.toHaveProperty('spec');
  });

  it('checks addresses against the address type, which is immutable', async () => {
    const { store } = await builtinStore();
    const bad = {
      metadata: { name: 's', namespace: 'default' },
      addressType: 'IPv4' as const,
      endpoints: [{ addresses: ['fe80::1'] }],
    };
    expect(await issuePaths(store.create(EndpointSlice, bad))).toEqual(['endpoints[0].addresses[0]']);
    const slice = await store.create(EndpointSlice, { ...bad, endpoints: [{ addresses: ['10.0.0.1'] }] });
    expect(slice.ports).toEqual([]);
    const changed = store.update({ ...slice, addressType: 'IPv6' as const, endpoints: [] });
    expect(await issuePaths(changed)).toEqual(['addressType']);
  });
});

describe('Lease', () => {
  it('stores times with microseconds', async () => {
    const { store } = await builtinStore();
    const lease = await store.create(
      Lease,
      manifest<InputOf<typeof Lease>>(`
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: node-1
  namespace: kube-node-lease
spec:
  holderIdentity: node-1
  leaseDurationSeconds: 40
  renewTime: "2023-07-04T21:58:48.065888Z"
  acquireTime: "2023-07-04T21:58:48Z"
`),
    );
    expect(lease.spec).toEqual({
      holderIdentity: 'node-1',
      leaseDurationSeconds: 40,
      renewTime: '2023-07-04T21:58:48.065888Z',
      acquireTime: '2023-07-04T21:58:48.000000Z',
    });
    expect(formatMicroTime(Date.UTC(2026, 0, 1, 0, 0, 0, 250))).toBe('2026-01-01T00:00:00.250000Z');
    const empty = await store.create(Lease, { metadata: { name: 'leader', namespace: 'kube-system' }, spec: {} });
    expect(empty.spec).toEqual({});
    const bad = {
      metadata: { name: 'x', namespace: 'kube-system' },
      spec: { renewTime: 'yesterday', leaseDurationSeconds: 0 },
    };
    expect(await issuePaths(store.create(Lease, bad))).toEqual(['spec.leaseDurationSeconds', 'spec.renewTime']);
  });
});
