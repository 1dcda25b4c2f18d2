import { Node, Pod } from '@keelson/api';
import { createMemoryLogger, type Store } from '@keelson/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { schedulerCluster } from './schedulerCluster';

afterEach(() => vi.restoreAllMocks());

async function addPod(store: Store, name: string, cpu: string) {
  await store.create(Pod, {
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'app:1', resources: { requests: { cpu } } }] },
  });
}

async function oneNode(store: Store) {
  await store.create(Node, {
    metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } },
    spec: {},
    status: { capacity: { cpu: '2', memory: '16Gi', pods: '110' } },
  });
}

describe('scheduler logs', () => {
  it('logs each bind and each pod that does not fit, bound to component scheduler', async () => {
    const logger = createMemoryLogger();
    const { store, scheduler, settle } = await schedulerCluster({ logger });
    await oneNode(store);
    await scheduler.start();
    await addPod(store, 'small', '1');
    await addPod(store, 'big', '4');
    await settle();
    expect(logger.lines).toContainEqual({
      level: 'info',
      message: 'Successfully bound pod to node',
      fields: { component: 'scheduler', pod: 'default/small', node: 'n1' },
    });
    const waiting = logger.lines.find((l) => l.message === 'Unable to schedule pod; no fit; waiting');
    expect(waiting).toEqual({
      level: 'info',
      message: 'Unable to schedule pod; no fit; waiting',
      fields: {
        component: 'scheduler',
        pod: 'default/big',
        reason: 'Unschedulable',
        error: expect.stringContaining('Insufficient cpu'),
      },
    });
  });

  it('prints nothing without a logger', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
    const { store, scheduler, settle } = await schedulerCluster();
    await oneNode(store);
    await scheduler.start();
    await addPod(store, 'small', '1');
    await addPod(store, 'big', '4');
    await settle();
    expect(scheduler.stats).toMatchObject({ scheduled: 1, unschedulable: 1 });
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});
