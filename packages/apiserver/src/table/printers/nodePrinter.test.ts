import type { KubeObject } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { toTable } from '../index';

const now = Date.parse('2024-05-03T12:00:00Z');

function node(labels: Record<string, string>, spec: Record<string, unknown>, conditions: unknown[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', creationTimestamp: '2024-05-01T08:00:00Z', labels },
    spec,
    status: {
      conditions,
      addresses: [
        { type: 'InternalIP', address: '10.0.0.11' },
        { type: 'Hostname', address: 'node-1' },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.32.0',
        osImage: 'Ubuntu 24.04 LTS',
        kernelVersion: '6.8.0-31-generic',
        containerRuntimeVersion: 'containerd://1.7.13',
      },
    },
  } as unknown as KubeObject;
}

function cells(object: KubeObject): unknown[] {
  return toTable([object], { apiVersion: 'v1', kind: 'Node', now }).rows[0]?.cells ?? [];
}

describe('node printer', () => {
  it('prints a ready control-plane node, wide', () => {
    const object = node({ 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/hostname': 'node-1' }, {}, [
      { type: 'MemoryPressure', status: 'False' },
      { type: 'Ready', status: 'True' },
    ]);
    expect(toTable([object], { apiVersion: 'v1', kind: 'Node', now }).columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Status',
      'Roles',
      'Age',
      'Version',
      'Internal-IP',
      'External-IP',
      'OS-Image',
      'Kernel-Version',
      'Container-Runtime',
    ]);
    expect(cells(object)).toEqual([
      'node-1',
      'Ready',
      'control-plane',
      '2d4h',
      'v1.32.0',
      '10.0.0.11',
      '<none>',
      'Ubuntu 24.04 LTS',
      '6.8.0-31-generic',
      'containerd://1.7.13',
    ]);
  });

  it('prints NotReady,SchedulingDisabled for a cordoned unready node, roles sorted or <none>', () => {
    const cordoned = node(
      { 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/infra': '' },
      { unschedulable: true },
      [{ type: 'Ready', status: 'Unknown' }],
    );
    expect(cells(cordoned).slice(1, 3)).toEqual(['NotReady,SchedulingDisabled', 'infra,worker']);
    expect(cells(node({}, {}, [])).slice(1, 3)).toEqual(['Unknown', '<none>']);
  });
});
