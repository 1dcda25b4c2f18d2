import type { KubeObject } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { toTable } from '../index';

const now = Date.parse('2024-05-01T12:00:00Z');

function pod(spec: Record<string, unknown>, status: Record<string, unknown>, metadata: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'default', creationTimestamp: '2024-05-01T11:55:00Z', ...metadata },
    spec: { containers: [{ name: 'web', image: 'nginx:1.25' }], ...spec },
    status,
  } as unknown as KubeObject;
}

function cells(object: KubeObject, wide = false): unknown[] {
  return toTable([object], { apiVersion: 'v1', kind: 'Pod', now, wide }).rows[0]?.cells ?? [];
}

const running = { state: { running: { startedAt: '2024-05-01T11:55:10Z' } }, ready: true, restartCount: 0 };

describe('pod printer', () => {
  it('has the columns of kubectl get pods (-o wide)', () => {
    const table = toTable([], { apiVersion: 'v1', kind: 'Pod', now });
    expect(table.columnDefinitions.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
      ['Age', 0],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ]);
    expect(toTable([], { apiVersion: 'v1', kind: 'Pod', now, wide: false }).columnDefinitions).toHaveLength(5);
  });

  it('prints a running pod, wide', () => {
    const object = pod(
      { nodeName: 'node-1' },
      {
        phase: 'Running',
        podIP: '10.244.0.7',
        podIPs: [{ ip: '10.244.0.7' }],
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [{ name: 'web', image: 'nginx:1.25', ...running }],
      },
    );
    expect(cells(object, true)).toEqual([
      'web-0',
      '1/1',
      'Running',
      '0',
      '5m',
      '10.244.0.7',
      'node-1',
      '<none>',
      '<none>',
    ]);
  });

  it('prints Pending for an unscheduled pod and ContainerCreating while waiting', () => {
    expect(cells(pod({}, { phase: 'Pending' }))).toEqual(['web-0', '0/1', 'Pending', '0', '5m']);
    const creating = pod(
      { nodeName: 'n' },
      {
        phase: 'Pending',
        containerStatuses: [
          { name: 'web', state: { waiting: { reason: 'ContainerCreating' } }, ready: false, restartCount: 0 },
        ],
      },
    );
    expect(cells(creating)[2]).toBe('ContainerCreating');
  });

  it('prints CrashLoopBackOff with restarts and when the last one was', () => {
    const object = pod(
      {},
      {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'web',
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2024-05-01T11:57:00Z' } },
            ready: false,
            restartCount: 5,
          },
        ],
      },
    );
    expect(cells(object)).toEqual(['web-0', '0/1', 'CrashLoopBackOff', '5 (3m ago)', '5m']);
  });

  it('prints Completed for a finished pod, marks the row, and ExitCode/Signal without a reason', () => {
    const done = pod(
      {},
      {
        phase: 'Succeeded',
        containerStatuses: [{ name: 'web', state: { terminated: { exitCode: 0, reason: 'Completed' } }, ready: false }],
      },
    );
    const table = toTable([done], { apiVersion: 'v1', kind: 'Pod', now, wide: false });
    expect(table.rows[0]?.cells[2]).toBe('Completed');
    expect(table.rows[0]?.conditions).toEqual([
      { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
    ]);
    const killed = pod(
      {},
      { phase: 'Failed', containerStatuses: [{ name: 'web', state: { terminated: { exitCode: 137, signal: 9 } } }] },
    );
    expect(cells(killed)[2]).toBe('Signal:9');
    const failed = pod(
      {},
      { phase: 'Failed', containerStatuses: [{ name: 'web', state: { terminated: { exitCode: 2 } } }] },
    );
    expect(cells(failed)[2]).toBe('ExitCode:2');
  });

  it('prints Init:x/y, Init:<reason> and Init:Error while init containers run', () => {
    const spec = {
      initContainers: [
        { name: 'a', image: 'busybox' },
        { name: 'b', image: 'busybox' },
      ],
    };
    const second = pod(spec, {
      phase: 'Pending',
      initContainerStatuses: [
        { name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'b', state: { running: {} } },
      ],
      containerStatuses: [{ name: 'web', state: { waiting: { reason: 'PodInitializing' } } }],
    });
    expect(cells(second)).toEqual(['web-0', '0/1', 'Init:1/2', '0', '5m']);
    const backoff = pod(spec, {
      phase: 'Pending',
      initContainerStatuses: [{ name: 'a', state: { waiting: { reason: 'CrashLoopBackOff' } }, restartCount: 3 }],
    });
    expect(cells(backoff).slice(2, 4)).toEqual(['Init:CrashLoopBackOff', '3']);
    const error = pod(spec, {
      phase: 'Pending',
      initContainerStatuses: [{ name: 'a', state: { terminated: { exitCode: 1, reason: 'Error' } } }],
    });
    expect(cells(error)[2]).toBe('Init:Error');
  });

  it('counts a started sidecar (restartable init container) as a container', () => {
    const object = pod(
      { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] },
      {
        phase: 'Running',
        conditions: [
          { type: 'Initialized', status: 'True' },
          { type: 'Ready', status: 'True' },
        ],
        initContainerStatuses: [{ name: 'proxy', started: true, ready: true, restartCount: 1, state: { running: {} } }],
        containerStatuses: [{ name: 'web', ...running }],
      },
    );
    expect(cells(object).slice(1, 4)).toEqual(['2/2', 'Running', '1']);
  });

  it('prints Terminating once deleted, SchedulingGated, and readiness gates', () => {
    const deleting = pod(
      {},
      { phase: 'Running', containerStatuses: [{ name: 'web', ...running }] },
      {
        deletionTimestamp: '2024-05-01T11:59:00Z',
      },
    );
    expect(cells(deleting)[2]).toBe('Terminating');
    const gated = pod(
      {},
      { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] },
    );
    expect(cells(gated)[2]).toBe('SchedulingGated');
    const gates = pod(
      { readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] },
      {
        phase: 'Running',
        conditions: [{ type: 'example.com/lb', status: 'True' }],
      },
    );
    expect(cells(gates, true)[8]).toBe('1/2');
  });
});
