import type { KubeObject } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { toTable } from '../index';

const now = Date.parse('2024-05-01T12:00:00Z');

function object(apiVersion: string, kind: string, fields: Record<string, unknown>, metadata: object = {}): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: { name: 'x', creationTimestamp: '2024-05-01T11:59:30Z', ...metadata },
    ...fields,
  } as unknown as KubeObject;
}

function table(o: KubeObject, wide = false) {
  return toTable([o], { apiVersion: o.apiVersion, kind: o.kind, now, wide });
}

describe('storage printers', () => {
  it('StorageClass: NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE, (default) marked', () => {
    const sc = object(
      'storage.k8s.io/v1',
      'StorageClass',
      { provisioner: 'csi.example.dev', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' },
      { name: 'fast', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    );
    const t = table(sc);
    expect(t.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Provisioner',
      'ReclaimPolicy',
      'VolumeBindingMode',
      'AllowVolumeExpansion',
      'Age',
    ]);
    expect(t.rows[0]?.cells).toEqual([
      'fast (default)',
      'csi.example.dev',
      'Retain',
      'WaitForFirstConsumer',
      false,
      '30s',
    ]);
    const plain = object('storage.k8s.io/v1', 'StorageClass', { provisioner: 'p', allowVolumeExpansion: true });
    expect(table(plain).rows[0]?.cells).toEqual(['x', 'p', 'Delete', 'Immediate', true, '30s']);
  });

  it('PersistentVolume: capacity, modes in order, policy, status, claim, class, reason; volume mode when wide', () => {
    const pv = object('v1', 'PersistentVolume', {
      spec: {
        capacity: { storage: '10Gi' },
        accessModes: ['ReadWriteMany', 'ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: 'fast',
        volumeMode: 'Filesystem',
        claimRef: { namespace: 'default', name: 'data' },
      },
      status: { phase: 'Bound' },
    });
    const t = table(pv);
    expect(t.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Capacity',
      'Access Modes',
      'Reclaim Policy',
      'Status',
      'Claim',
      'StorageClass',
      'VolumeAttributesClass',
      'Reason',
      'Age',
    ]);
    expect(t.rows[0]?.cells).toEqual([
      'x',
      '10Gi',
      'RWO,RWX',
      'Retain',
      'Bound',
      'default/data',
      'fast',
      '<unset>',
      '',
      '30s',
    ]);
    expect(table(pv, true).rows[0]?.cells.at(-1)).toBe('Filesystem');
    const deleting = object(
      'v1',
      'PersistentVolume',
      { spec: {}, status: { phase: 'Released' } },
      { deletionTimestamp: '2024-05-01T12:00:00Z' },
    );
    expect(table(deleting).rows[0]?.cells).toEqual(['x', '0', '', '', 'Terminating', '', '', '<unset>', '', '30s']);
  });

  it('PersistentVolumeClaim: status, volume, and the bound volume capacity and modes', () => {
    const pending = object('v1', 'PersistentVolumeClaim', {
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'fast' },
      status: { phase: 'Pending' },
    });
    const t = table(pending);
    expect(t.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Status',
      'Volume',
      'Capacity',
      'Access Modes',
      'StorageClass',
      'VolumeAttributesClass',
      'Age',
    ]);
    expect(t.rows[0]?.cells).toEqual(['x', 'Pending', '', '', '', 'fast', '<unset>', '30s']);
    const bound = object('v1', 'PersistentVolumeClaim', {
      spec: { volumeName: 'pv-1', volumeMode: 'Block', resources: { requests: { storage: '1Gi' } } },
      status: { phase: 'Bound', capacity: { storage: '2Gi' }, accessModes: ['ReadWriteOncePod'] },
    });
    expect(table(bound, true).rows[0]?.cells).toEqual([
      'x',
      'Bound',
      'pv-1',
      '2Gi',
      'RWOP',
      '',
      '<unset>',
      '30s',
      'Block',
    ]);
  });
});
