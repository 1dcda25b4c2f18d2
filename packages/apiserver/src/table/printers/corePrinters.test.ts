import type { KubeObject } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { toTable } from '../index';

const now = Date.parse('2024-05-01T12:00:00Z');

function object(apiVersion: string, kind: string, fields: Record<string, unknown>, metadata: object = {}): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: { name: 'x', namespace: 'default', creationTimestamp: '2024-05-01T11:59:30Z', ...metadata },
    ...fields,
  } as unknown as KubeObject;
}

function table(o: KubeObject, wide = true) {
  return toTable([o], { apiVersion: o.apiVersion, kind: o.kind, now, wide });
}

function cells(o: KubeObject, wide = true): unknown[] {
  return table(o, wide).rows[0]?.cells ?? [];
}

describe('core printers', () => {
  it('Namespace, ConfigMap, Secret, ServiceAccount, Lease', () => {
    expect(cells(object('v1', 'Namespace', { status: { phase: 'Active' } }, { name: 'default' }))).toEqual([
      'default',
      'Active',
      '30s',
    ]);
    expect(cells(object('v1', 'ConfigMap', { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }))).toEqual([
      'x',
      3,
      '30s',
    ]);
    expect(
      cells(object('v1', 'Secret', { type: 'kubernetes.io/tls', data: { 'tls.crt': 'Y3J0', 'tls.key': 'a2V5' } })),
    ).toEqual(['x', 'kubernetes.io/tls', 2, '30s']);
    expect(cells(object('v1', 'ServiceAccount', {}))).toEqual(['x', 0, '30s']);
    expect(
      cells(object('coordination.k8s.io/v1', 'Lease', { spec: { holderIdentity: 'node-1' } }, { name: 'node-1' })),
    ).toEqual(['node-1', 'node-1', '30s']);
  });

  it('PodDisruptionBudget: MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS', () => {
    const pdb = object('policy/v1', 'PodDisruptionBudget', {
      spec: { minAvailable: 2 },
      status: { disruptionsAllowed: 1 },
    });
    expect(cells(pdb)).toEqual(['x', '2', 'N/A', 1, '30s']);
    const percent = object('policy/v1', 'PodDisruptionBudget', { spec: { maxUnavailable: '25%' }, status: {} });
    expect(cells(percent)).toEqual(['x', 'N/A', '25%', 0, '30s']);
  });

  it('HorizontalPodAutoscaler: REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE', () => {
    const hpa = object('autoscaling/v2', 'HorizontalPodAutoscaler', {
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '512Mi' } } },
          { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
        ],
      },
      status: {
        currentReplicas: 3,
        currentMetrics: [
          { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 73, averageValue: '365m' } } },
        ],
      },
    });
    expect(table(hpa).columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Reference',
      'Targets',
      'MinPods',
      'MaxPods',
      'Replicas',
      'Age',
    ]);
    expect(cells(hpa)).toEqual([
      'x',
      'Deployment/web',
      'cpu: 73%/50%, memory: <unknown>/512Mi + 1 more...',
      '2',
      10,
      3,
      '30s',
    ]);
    const bare = object('autoscaling/v2', 'HorizontalPodAutoscaler', {
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3 },
    });
    expect(cells(bare).slice(2, 6)).toEqual(['<none>', '<unset>', 3, 0]);
  });

  it('Event: LAST SEEN TYPE REASON OBJECT MESSAGE, and the wide columns in Kubernetes order', () => {
    const event = object(
      'v1',
      'Event',
      {
        involvedObject: { kind: 'Pod', name: 'web-0', namespace: 'default', fieldPath: 'spec.containers{web}' },
        reason: 'Pulled',
        message: 'Successfully pulled image "nginx:1.25" ',
        type: 'Normal',
        source: { component: 'kubelet', host: 'node-1' },
        firstTimestamp: '2024-05-01T11:50:00Z',
        lastTimestamp: '2024-05-01T11:58:00Z',
        count: 4,
      },
      { name: 'web-0.17c8' },
    );
    expect(table(event, false).columnDefinitions.map((c) => c.name)).toEqual([
      'Last Seen',
      'Type',
      'Reason',
      'Object',
      'Message',
    ]);
    expect(cells(event, false)).toEqual([
      '2m',
      'Normal',
      'Pulled',
      'pod/web-0',
      'Successfully pulled image "nginx:1.25"',
    ]);
    expect(cells(event, true)).toEqual([
      '2m',
      'Normal',
      'Pulled',
      'pod/web-0',
      'spec.containers{web}',
      'kubelet, node-1',
      'Successfully pulled image "nginx:1.25"',
      '10m',
      4,
      'web-0.17c8',
    ]);
    const reported = object('v1', 'Event', {
      involvedObject: { kind: 'Node', name: 'node-1' },
      eventTime: '2024-05-01T11:59:00.000000Z',
      reportingComponent: 'scheduler',
      reportingInstance: '',
      reason: 'Scheduled',
    });
    expect(cells(reported, true).slice(0, 9)).toEqual([
      '60s',
      '',
      'Scheduled',
      'node/node-1',
      '',
      'scheduler',
      '',
      '60s',
      1,
    ]);
  });
});
