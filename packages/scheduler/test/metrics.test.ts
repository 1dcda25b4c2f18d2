import { Node, Pod } from '@keelson/api';
import type { Store } from '@keelson/core';
import { Registry, register } from 'prom-client';
import { describe, expect, it } from 'vitest';
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

  it('registers nothing in the global registry without a registry', async () => {
    const { scheduler, settle } = await schedulerCluster();
    await scheduler.start();
    await settle();
    expect(register.getSingleMetric('keelson_scheduler_schedule_attempts_total')).toBeUndefined();
  });
});
