import { getCondition, Node, Pod } from '@keelson/api';
import { isKeelsonError, type Store } from '@keelson/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SCHEDULING_GATES, schedulingGates } from '../src/plugins/schedulingGates';
import { DEFAULT_PLUGINS } from '../src/profile/defaults';
import { makePod } from './harness';
import { schedulerCluster } from './schedulerCluster';

async function gauge(registry: Registry, queue: string): Promise<number | undefined> {
  const metric = registry.getSingleMetric('keelson_scheduler_pending_pods');
  const values = (await metric?.get())?.values ?? [];
  return values.find((v) => v.labels.queue === queue)?.value;
}

async function addNode(store: Store, name: string) {
  await store.create(Node, {
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' } },
  });
}

const get = (store: Store, name: string) => store.get(Pod, name, { namespace: 'default' });

function setGates(store: Store, name: string, gates: string[]) {
  return store.patch(
    Pod,
    name,
    (draft) => {
      draft.spec.schedulingGates = gates.map((gate) => ({ name: gate }));
    },
    { namespace: 'default' },
  );
}

async function gatedCluster() {
  const registry = new Registry();
  const cluster = await schedulerCluster({ metricsRegistry: registry });
  await addNode(cluster.store, 'n1');
  await cluster.scheduler.start();
  await cluster.store.create(Pod, {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      containers: [{ name: 'c', image: 'app:1' }],
      schedulingGates: [{ name: 'example.com/quota' }, { name: 'example.com/volumes' }],
    },
  });
  await cluster.settle();
  return { ...cluster, registry };
}

describe('SchedulingGates', () => {
  it('is the first plugin of the default profile and names the gates it waits for', () => {
    expect(DEFAULT_PLUGINS[0]?.name).toBe(SCHEDULING_GATES);
    const plugin = schedulingGates(undefined, {} as never);
    const pod = makePod('p', { schedulingGates: [{ name: 'example.com/a' }, { name: 'b' }] });
    expect(plugin.preEnqueue?.(pod)).toMatchObject({
      code: 'UnschedulableAndUnresolvable',
      reasons: ['waiting for scheduling gates: [example.com/a b]'],
    });
    expect(plugin.preEnqueue?.(makePod('open'))).toBeUndefined();
    expect(plugin.preEnqueue?.(makePod('emptied', { schedulingGates: [] }))).toBeUndefined();
  });

  it('holds a gated pod Pending, never attempted, SchedulingGated and counted as gated — even past the unschedulable flush', async () => {
    const { store, scheduler, settle, clock, registry } = await gatedCluster();
    await clock.advance(10 * 60_000);
    await settle();
    const pod = await get(store, 'web');
    expect(pod.spec.nodeName).toBeUndefined();
    expect(pod.status?.phase).toBe('Pending');
    expect(getCondition(pod.status?.conditions, 'PodScheduled')).toMatchObject({
      status: 'False',
      reason: 'SchedulingGated',
      message: 'Scheduling is blocked due to non-empty scheduling gates',
    });
    expect(scheduler.stats.attempts).toBe(0);
    expect(scheduler.queueLength()).toEqual({ active: 0, backoff: 0, unschedulable: 0, gated: 1 });
    expect(await gauge(registry, 'gated')).toBe(1);
    expect(await gauge(registry, 'unschedulable')).toBe(0);
  });

  it('keeps the pod gated while a gate remains and schedules it once the last one is removed', async () => {
    const { store, scheduler, settle, registry } = await gatedCluster();
    await setGates(store, 'web', ['example.com/volumes']);
    await settle();
    expect((await get(store, 'web')).spec.nodeName).toBeUndefined();
    expect(scheduler.stats.attempts).toBe(0);
    expect(await gauge(registry, 'gated')).toBe(1);

    await setGates(store, 'web', []);
    await settle();
    const pod = await get(store, 'web');
    expect(pod.spec.nodeName).toBe('n1');
    expect(getCondition(pod.status?.conditions, 'PodScheduled')).toMatchObject({ status: 'True' });
    expect(scheduler.stats).toMatchObject({ attempts: 1, scheduled: 1 });
    expect(await gauge(registry, 'gated')).toBe(0);
    expect(await gauge(registry, 'active')).toBe(0);
  });

  it('sends a pod whose last gate is removed but that fits nowhere to the unschedulable pool', async () => {
    const { store, settle, registry } = await gatedCluster();
    await store.create(Pod, {
      metadata: { name: 'big', namespace: 'default' },
      spec: {
        containers: [{ name: 'c', image: 'app:1', resources: { requests: { cpu: '64' } } }],
        schedulingGates: [{ name: 'example.com/quota' }],
      },
    });
    await settle();
    expect(await gauge(registry, 'gated')).toBe(2);
    await setGates(store, 'big', []);
    await settle();
    expect(await gauge(registry, 'gated')).toBe(1);
    expect(await gauge(registry, 'unschedulable')).toBe(1);
    const big = await get(store, 'big');
    expect(getCondition(big.status?.conditions, 'PodScheduled')).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
    });
  });

  it('refuses adding a gate by update and leaves the pod as stored; the scheduler keeps working', async () => {
    const { store, scheduler, settle, registry } = await gatedCluster();
    const before = await get(store, 'web');
    const error = await setGates(store, 'web', ['example.com/quota', 'example.com/volumes', 'example.com/late']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isKeelsonError(error, 'Validation')).toBe(true);
    expect(String(error)).toContain(
      "spec.schedulingGates[2].name: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/late'",
    );
    expect((await get(store, 'web')).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    await store.create(Pod, {
      metadata: { name: 'open', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'app:1' }] },
    });
    await settle();
    expect((await get(store, 'open')).spec.nodeName).toBe('n1');
    const late = await setGates(store, 'open', ['example.com/late']).catch((e: unknown) => e);
    expect(isKeelsonError(late, 'Validation')).toBe(true);
    expect(scheduler.queueLength().gated).toBe(1);
    expect(await gauge(registry, 'gated')).toBe(1);
  });
});
