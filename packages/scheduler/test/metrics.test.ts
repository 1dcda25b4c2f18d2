import { Node, Pod } from '@keelson/api';
import type { Store } from '@keelson/core';
import { Registry, register } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { PluginFactory } from '../src/framework/types';
import { schedulerCluster } from './schedulerCluster';

async function value(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return undefined;
  const { values } = await metric.get();
  return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

async function addPod(store: Store, name: string, cpu: string) {
  await store.create(Pod, {
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'app:1', resources: { requests: { cpu } } }] },
  });
}

describe('scheduler metrics', () => {
  it('counts attempts by result and profile and reports pending pods by queue', async () => {
    const registry = new Registry();
    const { store, scheduler, settle } = await schedulerCluster({ metricsRegistry: registry });
    await store.create(Node, {
      metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } },
      spec: {},
      status: { capacity: { cpu: '2', memory: '16Gi', pods: '110' } },
    });
    await scheduler.start();
    for (const name of ['a', 'b']) await addPod(store, name, '1');
    await addPod(store, 'big', '4');
    await settle();
    const profile = 'default-scheduler';
    expect(await value(registry, 'keelson_scheduler_schedule_attempts_total', { result: 'scheduled', profile })).toBe(
      2,
    );
    expect(
      await value(registry, 'keelson_scheduler_schedule_attempts_total', { result: 'unschedulable', profile }),
    ).toBe(1);
    expect(await value(registry, 'keelson_scheduler_pending_pods', { queue: 'unschedulable' })).toBe(1);
    const durations = await registry.getSingleMetric('keelson_scheduler_scheduling_attempt_duration_seconds')?.get();
    const count = durations?.values.find(
      (v) => (v as { metricName?: string }).metricName?.endsWith('_count') && v.labels.result === 'scheduled',
    );
    expect(count?.value).toBe(2);
    expect(await value(registry, 'keelson_scheduler_pending_pods', { queue: 'active' })).toBe(0);
  });

  it('counts pods a PreEnqueue plugin holds in the gated queue, apart from unschedulable ones', async () => {
    const registry = new Registry();
    const hold: PluginFactory = () => ({
      name: 'Hold',
      preEnqueue: (pod) =>
        pod.metadata.labels?.held === 'yes' ? { code: 'UnschedulableAndUnresolvable', reasons: ['held'] } : undefined,
    });
    const { store, scheduler, settle } = await schedulerCluster({
      metricsRegistry: registry,
      registry: { Hold: hold },
      profiles: [{ plugins: { preEnqueue: { enabled: [{ name: 'Hold' }] } } }],
    });
    await scheduler.start();
    await store.create(Pod, {
      metadata: { name: 'held', namespace: 'default', labels: { held: 'yes' } },
      spec: { containers: [{ name: 'c', image: 'app:1' }] },
    });
    await settle();
    expect(await value(registry, 'keelson_scheduler_pending_pods', { queue: 'gated' })).toBe(1);
    expect(await value(registry, 'keelson_scheduler_pending_pods', { queue: 'unschedulable' })).toBe(0);
    expect(scheduler.queueLength()).toEqual({ active: 0, backoff: 0, unschedulable: 0, gated: 1 });
    const held = await store.get(Pod, 'held', { namespace: 'default' });
    await store.update({ ...held, metadata: { ...held.metadata, labels: { held: 'no' } } });
    await settle();
    expect(await value(registry, 'keelson_scheduler_pending_pods', { queue: 'gated' })).toBe(0);
    expect(await value(registry, 'keelson_scheduler_pending_pods', { queue: 'unschedulable' })).toBe(1);
  });

  it('registers nothing in the global registry without a registry', async () => {
    const { scheduler, settle } = await schedulerCluster();
    await scheduler.start();
    await settle();
    expect(register.getSingleMetric('keelson_scheduler_schedule_attempts_total')).toBeUndefined();
  });
});
