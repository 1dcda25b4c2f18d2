import { Event, getCondition, Node, Pod } from '@keelson/api';
import { createRandom } from '@keelson/clock';
import type { Store } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { createScheduler, type Scheduler } from '../src/scheduler/scheduler';
import { schedulerCluster } from './schedulerCluster';

const cluster = schedulerCluster;

async function addNode(store: Store, name: string, cpu = '4', extra: Record<string, unknown> = {}) {
  await store.create(Node, {
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: extra,
    status: { capacity: { cpu, memory: '16Gi', pods: '110' } },
  });
}

async function addPod(store: Store, name: string, cpu: string, spec: Record<string, unknown> = {}) {
  return store.create(Pod, {
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'app:1', resources: { requests: { cpu } } }], ...spec },
  });
}

async function nodeOf(store: Store, name: string) {
  return (await store.get(Pod, name, { namespace: 'default' })).spec.nodeName;
}

describe('createScheduler', () => {
  it('binds pending pods, counting each placed pod before its bind lands', async () => {
    const { store, scheduler, settle } = await cluster();
    await addNode(store, 'n1', '2');
    await addNode(store, 'n2', '2');
    await scheduler.start();
    for (const name of ['a', 'b', 'c', 'd']) await addPod(store, name, '1');
    await settle();
    const placements = await Promise.all(['a', 'b', 'c', 'd'].map((n) => nodeOf(store, n)));
    expect(placements.filter((n) => n === 'n1')).toHaveLength(2);
    expect(placements.filter((n) => n === 'n2')).toHaveLength(2);
    expect(scheduler.stats.scheduled).toBe(4);
    const events = (await store.list(Event, { namespace: 'default' })).items.filter((e) => e.reason === 'Scheduled');
    expect(events.map((e) => e.message).sort()).toContain(`Successfully assigned default/a to ${placements[0]}`);
  });

  it('marks an unschedulable pod PodScheduled=False with the summary, and places it once a node joins', async () => {
    const { store, scheduler, settle, clock } = await cluster();
    await addNode(store, 'small', '1');
    await scheduler.start();
    await addPod(store, 'big', '2'); // more than the node has at all: preemption cannot help
    await settle();
    const pending = await store.get(Pod, 'big', { namespace: 'default' });
    const condition = getCondition(pending.status?.conditions, 'PodScheduled');
    expect(condition?.status).toBe('False');
    expect(condition?.reason).toBe('Unschedulable');
    expect(condition?.message).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..',
    );
    const failed = (await store.list(Event, { namespace: 'default' })).items.find(
      (e) => e.reason === 'FailedScheduling',
    );
    expect(failed?.type).toBe('Warning');
    expect(failed?.message).toBe(condition?.message);
    expect(scheduler.queueLength().unschedulable).toBe(1);

    await clock.advance(2000);
    await addNode(store, 'large', '8');
    await settle();
    await clock.advance(2000);
    await settle();
    expect(await nodeOf(store, 'big')).toBe('large');
    const bound = await store.get(Pod, 'big', { namespace: 'default' });
    expect(getCondition(bound.status?.conditions, 'PodScheduled')?.status).toBe('True');
  });

  it('preempts lower-priority pods: nominates the node, deletes victims gracefully, binds after they go', async () => {
    const { store, scheduler, settle, clock } = await cluster();
    await addNode(store, 'only', '2');
    await scheduler.start();
    await addPod(store, 'low', '2', { priority: 1 });
    await settle();
    expect(await nodeOf(store, 'low')).toBe('only');
    await addPod(store, 'urgent', '2', { priority: 1000 });
    await settle();
    const urgent = await store.get(Pod, 'urgent', { namespace: 'default' });
    expect(urgent.status?.nominatedNodeName).toBe('only');
    expect(urgent.spec.nodeName).toBeUndefined();
    const victim = await store.get(Pod, 'low', { namespace: 'default' });
    expect(victim.metadata.deletionTimestamp).toBeDefined(); // graceful: the kubelet finishes it
    expect(scheduler.stats.preemptions).toBe(1);
    const preempted = (await store.list(Event, { namespace: 'default' })).items.find((e) => e.reason === 'Preempted');
    expect(preempted?.message).toBe(`Preempted by pod ${urgent.metadata.uid} on node only`);

    // The node agent would now kill the container and finish the delete.
    await store.delete(Pod, 'low', { namespace: 'default', gracePeriodSeconds: 0 });
    await settle();
    await clock.advance(2000);
    await settle();
    expect(await nodeOf(store, 'urgent')).toBe('only');
  });

  it('only schedules pods of its profiles', async () => {
    const { store, scheduler, settle } = await cluster({ profiles: [{ schedulerName: 'batch' }] });
    await addNode(store, 'n1');
    await scheduler.start();
    await addPod(store, 'mine', '1', { schedulerName: 'batch' });
    await addPod(store, 'theirs', '1');
    await settle();
    expect(await nodeOf(store, 'mine')).toBe('n1');
    expect(await nodeOf(store, 'theirs')).toBeUndefined();
  });

  it('places the same pods on the same nodes for the same seed', async () => {
    const run = async () => {
      const { store, scheduler, settle } = await cluster();
      for (let i = 0; i < 6; i++) await addNode(store, `n${i}`);
      await scheduler.start();
      for (let i = 0; i < 12; i++) await addPod(store, `p${i}`, '100m');
      await settle();
      await scheduler.stop();
      return Promise.all(Array.from({ length: 12 }, (_, i) => nodeOf(store, `p${i}`)));
    };
    expect(await run()).toEqual(await run());
  });

  it('refuses bad options with a clear error', async () => {
    const { store } = await cluster();
    expect(() => createScheduler({ store: {} as Store })).toThrow('options.store must be a store');
    expect(() => createScheduler({ store, profiles: [] })).toThrow('profiles must list at least one profile');
    expect(() => createScheduler({ store, profiles: [{}, {}] })).toThrow('two profiles are named "default-scheduler"');
    const fifo = () => ({ name: 'Fifo', less: () => false });
    expect(() =>
      createScheduler({
        store,
        registry: { Fifo: fifo },
        profiles: [
          {},
          {
            schedulerName: 'batch',
            plugins: { queueSort: { enabled: [{ name: 'Fifo' }], disabled: [{ name: '*' }] } },
          },
        ],
      }),
    ).toThrow(
      'every profile must use the same queueSort plugin (default-scheduler uses PrioritySort, batch uses Fifo)',
    );
    expect(() => createScheduler({ store, registry: { NodeName: () => ({ name: 'x' }) } })).toThrow(
      'a plugin named "NodeName" already exists',
    );
  });
});

describe('createScheduler with leader election', () => {
  it('schedules only while holding the lease; another replica takes over when the leader stops', async () => {
    const { store, clock, scheduler: plain } = await cluster();
    await plain.stop(); // only the elected replicas below schedule
    await addNode(store, 'n1', '8');
    const replicas = ['a', 'b'].map((identity) =>
      createScheduler({
        store,
        clock,
        random: createRandom(1, identity),
        recorder: false,
        leaderElection: { identity },
      }),
    );
    const [a, b] = replicas as [Scheduler, Scheduler];
    await a.start();
    await clock.advance(0);
    await b.start();
    await clock.advance(0);
    expect(a.isLeader()).toBe(true);
    expect(b.isLeader()).toBe(false);
    await addPod(store, 'first', '1');
    for (let i = 0; i < 10; i++) await clock.advance(0);
    expect(await nodeOf(store, 'first')).toBe('n1');
    expect([a.stats.scheduled, b.stats.scheduled]).toEqual([1, 0]);

    await a.stop(); // the leader goes away without releasing the lease
    await addPod(store, 'second', '1');
    await clock.advance(5_000);
    expect(await nodeOf(store, 'second')).toBeUndefined(); // b waits for the lease to expire
    await clock.advance(15_000);
    for (let i = 0; i < 10; i++) await clock.advance(0);
    expect(b.isLeader()).toBe(true);
    expect(await nodeOf(store, 'second')).toBe('n1');
    expect(b.stats.scheduled).toBe(1);
    await b.stop();
  });

  it('needs an identity', async () => {
    const { store } = await cluster();
    expect(() => createScheduler({ store, leaderElection: { identity: '' } })).toThrow(
      'leaderElection.identity must name this scheduler',
    );
  });
});
