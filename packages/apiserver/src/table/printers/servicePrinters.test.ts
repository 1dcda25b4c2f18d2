import type { KubeObject } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { toTable } from '../index';

const now = Date.parse('2024-05-01T12:00:00Z');

function object(apiVersion: string, kind: string, fields: Record<string, unknown>): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-04-30T12:00:00Z' },
    ...fields,
  } as unknown as KubeObject;
}

function cells(o: KubeObject, wide = true): unknown[] {
  return toTable([o], { apiVersion: o.apiVersion, kind: o.kind, now, wide }).rows[0]?.cells ?? [];
}

describe('service printers', () => {
  it('Service ClusterIP: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE SELECTOR', () => {
    const service = object('v1', 'Service', {
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.96.0.10',
        clusterIPs: ['10.96.0.10'],
        selector: { app: 'web' },
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
          { name: 'dns', port: 53, protocol: 'UDP' },
        ],
      },
    });
    expect(cells(service)).toEqual(['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP,53/UDP', '24h', 'app=web']);
  });

  it('Service NodePort, LoadBalancer pending and assigned, ExternalName, headless', () => {
    const nodePort = object('v1', 'Service', {
      spec: { type: 'NodePort', clusterIP: '10.96.1.1', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] },
    });
    expect(cells(nodePort, false).slice(1, 5)).toEqual(['NodePort', '10.96.1.1', '<none>', '80:30080/TCP']);
    const pending = object('v1', 'Service', {
      spec: { type: 'LoadBalancer', clusterIP: '10.96.1.2', ports: [{ port: 443, nodePort: 31443 }] },
    });
    expect(cells(pending, false)[3]).toBe('<pending>');
    const assigned = object('v1', 'Service', {
      spec: { type: 'LoadBalancer', clusterIP: '10.96.1.2', ports: [{ port: 443 }] },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }, { hostname: 'lb.example.com' }] } },
    });
    expect(cells(assigned, true)[3]).toBe('203.0.113.10,lb.example.com');
    expect(cells(assigned, false)[3]).toBe('203.0.113.10,...');
    const external = object('v1', 'Service', { spec: { type: 'ExternalName', externalName: 'db.example.com' } });
    expect(cells(external, false).slice(1, 5)).toEqual(['ExternalName', '<none>', 'db.example.com', '<none>']);
    const headless = object('v1', 'Service', {
      spec: { clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 5432, protocol: 'TCP' }] },
    });
    expect(cells(headless, false).slice(1, 5)).toEqual(['ClusterIP', 'None', '<none>', '5432/TCP']);
  });

  it('Endpoints: addresses with ports, three then "+ N more..."', () => {
    const endpoints = object('v1', 'Endpoints', {
      subsets: [
        {
          addresses: [{ ip: '10.244.0.5' }, { ip: '10.244.0.6' }, { ip: '10.244.1.7' }, { ip: '10.244.2.8' }],
          ports: [{ port: 8080 }],
        },
      ],
    });
    expect(cells(endpoints)).toEqual(['web', '10.244.0.5:8080,10.244.0.6:8080,10.244.1.7:8080 + 1 more...', '24h']);
    expect(cells(object('v1', 'Endpoints', {}))[1]).toBe('<none>');
  });

  it('EndpointSlice: ADDRESSTYPE PORTS ENDPOINTS AGE', () => {
    const slice = object('discovery.k8s.io/v1', 'EndpointSlice', {
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [{ addresses: ['10.244.0.5'] }, { addresses: ['10.244.0.6'] }],
    });
    expect(cells(slice)).toEqual(['web', 'IPv4', '8080', '10.244.0.5,10.244.0.6', '24h']);
    expect(cells(object('discovery.k8s.io/v1', 'EndpointSlice', { addressType: 'IPv4' })).slice(2, 4)).toEqual([
      '<unset>',
      '<unset>',
    ]);
  });
});
