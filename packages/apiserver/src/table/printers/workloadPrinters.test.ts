import type { KubeObject } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { toTable } from '../index';

const now = Date.parse('2024-05-01T12:00:00Z');
const template = {
  metadata: { labels: { app: 'web' } },
  spec: {
    containers: [
      { name: 'web', image: 'nginx:1.25' },
      { name: 'log', image: 'fluent-bit:3' },
    ],
  },
};

function object(apiVersion: string, kind: string, spec: unknown, status: unknown, metadata: object = {}): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T09:00:00Z', ...metadata },
    spec,
    status,
  } as unknown as KubeObject;
}

function table(o: KubeObject, wide = true) {
  return toTable([o], { apiVersion: o.apiVersion, kind: o.kind, now, wide });
}

function cells(o: KubeObject, wide = true): unknown[] {
  return table(o, wide).rows[0]?.cells ?? [];
}

describe('workload printers', () => {
  it('Deployment: NAME READY UP-TO-DATE AVAILABLE AGE + CONTAINERS IMAGES SELECTOR', () => {
    const d = object(
      'apps/v1',
      'Deployment',
      {
        replicas: 3,
        selector: {
          matchLabels: { app: 'web' },
          matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }],
        },
        template,
      },
      { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    );
    expect(table(d).columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Ready',
      'Up-to-date',
      'Available',
      'Age',
      'Containers',
      'Images',
      'Selector',
    ]);
    expect(cells(d)).toEqual(['web', '2/3', 3, 2, '3h', 'web,log', 'nginx:1.25,fluent-bit:3', 'app=web,tier in (a,b)']);
    expect(cells(object('apps/v1', 'Deployment', { replicas: 1, template }, {}), false)).toEqual([
      'web',
      '0/1',
      0,
      0,
      '3h',
    ]);
  });

  it('ReplicaSet: NAME DESIRED CURRENT READY AGE', () => {
    const rs = object(
      'apps/v1',
      'ReplicaSet',
      { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d9f' } }, template },
      { replicas: 2, readyReplicas: 1 },
    );
    expect(cells(rs)).toEqual([
      'web',
      2,
      2,
      1,
      '3h',
      'web,log',
      'nginx:1.25,fluent-bit:3',
      'app=web,pod-template-hash=7d9f',
    ]);
  });

  it('StatefulSet: NAME READY AGE', () => {
    const ss = object('apps/v1', 'StatefulSet', { replicas: 3, template }, { readyReplicas: 3 });
    expect(cells(ss, false)).toEqual(['web', '3/3', '3h']);
  });

  it('ControllerRevision: NAME CONTROLLER REVISION AGE', () => {
    const owner = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u1', controller: true };
    const revision = { ...object('apps/v1', 'ControllerRevision', undefined, undefined), revision: 2 } as KubeObject;
    const owned = { ...revision, metadata: { ...revision.metadata, name: 'web-7b9f', ownerReferences: [owner] } };
    expect(table(owned as KubeObject).columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Controller',
      'Revision',
      'Age',
    ]);
    expect(cells(owned as KubeObject)).toEqual(['web-7b9f', 'statefulset.apps/web', 2, '3h']);
    expect(cells(revision)).toEqual(['web', '<none>', 2, '3h']);
  });

  it('DaemonSet: DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE', () => {
    const ds = object(
      'apps/v1',
      'DaemonSet',
      {
        selector: { matchLabels: { app: 'web' } },
        template: { spec: { ...template.spec, nodeSelector: { 'kubernetes.io/os': 'linux' } } },
      },
      {
        desiredNumberScheduled: 3,
        currentNumberScheduled: 3,
        numberReady: 2,
        updatedNumberScheduled: 3,
        numberAvailable: 2,
      },
    );
    expect(cells(ds, false)).toEqual(['web', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '3h']);
  });

  it('Job: STATUS COMPLETIONS DURATION', () => {
    const complete = object(
      'batch/v1',
      'Job',
      { completions: 3, template },
      {
        succeeded: 3,
        startTime: '2024-05-01T09:00:00Z',
        completionTime: '2024-05-01T09:02:30Z',
        conditions: [{ type: 'Complete', status: 'True' }],
      },
    );
    expect(cells(complete, false)).toEqual(['web', 'Complete', '3/3', '2m30s', '3h']);
    const running = object('batch/v1', 'Job', { parallelism: 2, template }, { startTime: '2024-05-01T11:59:15Z' });
    expect(cells(running, false)).toEqual(['web', 'Running', '0/1 of 2', '45s', '3h']);
    const failed = object('batch/v1', 'Job', { template }, { conditions: [{ type: 'Failed', status: 'True' }] });
    expect(cells(failed, false).slice(1, 4)).toEqual(['Failed', '0/1', '']);
    const suspended = object('batch/v1', 'Job', { template }, { conditions: [{ type: 'Suspended', status: 'True' }] });
    expect(cells(suspended, false)[1]).toBe('Suspended');
  });

  it('CronJob: SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE', () => {
    const cj = object(
      'batch/v1',
      'CronJob',
      { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template } } },
      { active: [{ name: 'web-28580' }], lastScheduleTime: '2024-05-01T11:55:00Z' },
    );
    expect(cells(cj)).toEqual([
      'web',
      '*/5 * * * *',
      '<none>',
      'False',
      1,
      '5m',
      '3h',
      'web,log',
      'nginx:1.25,fluent-bit:3',
      '<none>',
    ]);
    const never = object(
      'batch/v1',
      'CronJob',
      { schedule: '@daily', timeZone: 'Etc/UTC', jobTemplate: { spec: { template } } },
      {},
    );
    expect(cells(never, false)).toEqual(['web', '@daily', 'Etc/UTC', '<unset>', 0, '<none>', '3h']);
  });
});
