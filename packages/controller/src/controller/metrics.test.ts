import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { harness, memoryLogger, settle, Widget, widget } from '../../test/harness';
import { createManager } from '../manager/createManager';
import { createWorkQueue } from '../queue/index';
import { defineController } from './defineController';

async function value(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  // A histogram's _sum and _count are values of the metric without the suffix.
  const metric = registry.getSingleMetric(name) ?? registry.getSingleMetric(name.replace(/_(sum|count)$/, ''));
  if (metric === undefined) return undefined;
  const { values } = await metric.get();
  const match = values.find((v) => {
    const metricName = (v as { metricName?: string }).metricName;
    return (
      (metricName === undefined || metricName === name) && Object.entries(labels).every(([k, l]) => v.labels[k] === l)
    );
  });
  return match?.value;
}

describe('controller metrics', () => {
  it('counts adds, reconciles and depth per controller', async () => {
    const { clock, store } = await harness();
    for (const name of ['a', 'b', 'c']) await store.create(Widget, widget(name));
    const registry = new Registry();
    const manager = createManager({ store, metricsRegistry: registry });
    manager.add(
      defineController({
        name: 'counter',
        for: Widget,
        async reconcile(_request, { clock: c }) {
          await new Promise<void>((resolve) => c.setTimeout(resolve, 2_000));
        },
      }),
    );
    await manager.start();
    await settle(clock);
    await clock.advance(10_000);
    await settle(clock);
    const queue = { name: 'counter' };
    const controller = { controller: 'counter' };
    expect(await value(registry, 'keelson_workqueue_adds_total', queue)).toBe(3);
    expect(await value(registry, 'keelson_workqueue_depth', queue)).toBe(0);
    expect(await value(registry, 'keelson_workqueue_retries_total', queue)).toBe(0);
    expect(
      await value(registry, 'keelson_controller_runtime_reconcile_total', { ...controller, result: 'success' }),
    ).toBe(3);
    expect(await value(registry, 'keelson_controller_runtime_reconcile_errors_total', controller)).toBe(0);
    // Each reconcile took 2 virtual seconds, one worker: the work duration sum is 6 s exactly.
    expect(await value(registry, 'keelson_workqueue_work_duration_seconds_sum', queue)).toBe(6);
    expect(await value(registry, 'keelson_controller_runtime_reconcile_time_seconds_count', controller)).toBe(3);
    await manager.stop();
  });

  it('counts a failing reconcile as an error and a retry', async () => {
    const { clock, store } = await harness();
    await store.create(Widget, widget('a'));
    const registry = new Registry();
    let runs = 0;
    const manager = createManager({ store, metricsRegistry: registry, logger: memoryLogger() });
    manager.add(
      defineController({
        name: 'flaky',
        for: Widget,
        reconcile() {
          runs++;
          if (runs === 1) throw new Error('boom');
        },
      }),
    );
    await manager.start();
    await settle(clock);
    await clock.advance(1_000);
    await settle(clock);
    expect(runs).toBe(2);
    expect(await value(registry, 'keelson_workqueue_retries_total', { name: 'flaky' })).toBe(1);
    expect(await value(registry, 'keelson_controller_runtime_reconcile_errors_total', { controller: 'flaky' })).toBe(1);
    expect(
      await value(registry, 'keelson_controller_runtime_reconcile_total', { controller: 'flaky', result: 'error' }),
    ).toBe(1);
    expect(
      await value(registry, 'keelson_controller_runtime_reconcile_total', { controller: 'flaky', result: 'success' }),
    ).toBe(1);
    await manager.stop();
  });

  it('registers nothing without a registry, and measures queue time on the clock', async () => {
    const { clock } = await harness();
    const registry = new Registry();
    createWorkQueue<string>({ clock, name: 'plain' }).add('x');
    expect(registry.getMetricsAsArray()).toHaveLength(0);
    const queue = createWorkQueue<string>({ clock, name: 'timed', metricsRegistry: registry });
    queue.add('x');
    queue.add('y');
    expect(await value(registry, 'keelson_workqueue_depth', { name: 'timed' })).toBe(2);
    await clock.advance(1_500);
    await queue.get();
    expect(await value(registry, 'keelson_workqueue_depth', { name: 'timed' })).toBe(1);
    expect(await value(registry, 'keelson_workqueue_queue_duration_seconds_sum', { name: 'timed' })).toBe(1.5);
  });
});
