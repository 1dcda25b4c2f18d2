import { bindPod, Pod } from '@keelson/api';
import { createMemoryLogger } from '@keelson/core';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Harness, startHarness } from './testHarness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.agent.stop();
  h = undefined;
  vi.restoreAllMocks();
});

/** The sample of `name` (e.g. `…_sum`, `…_count`) whose labels include `labels`. */
async function sample(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const base = name.replace(/_(sum|count|bucket)$/, '');
  const metric = registry.getSingleMetric(base);
  if (metric === undefined) throw new Error(`no metric ${base}`);
  const { values } = await metric.get();
  const found = values.find(
    (v) =>
      ((v as { metricName?: string }).metricName ?? base) === name &&
      Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l),
  );
  return found?.value ?? 0;
}

describe('node agent metrics', () => {
  it('observes the pod startup SLI from creation to all containers running, without the image pull', async () => {
    const registry = new Registry();
    h = await startHarness(undefined, { metricsRegistry: registry });
    h.registry.add('web:1.0', { pullMs: 7_000 });
    // created now, bound 3 s later (scheduling latency counts), then a 7 s pull
    await h.store.create(Pod, {
      metadata: { name: 'web', namespace: 'default' },
      spec: { containers: [{ name: 'web', image: 'web:1.0' }] },
    });
    await h.advance(3_000);
    await bindPod(h.store, { metadata: { name: 'web', namespace: 'default' } }, 'node-1');
    await h.advance(0);
    expect(await sample(registry, 'keelson_kubelet_pod_start_sli_duration_seconds_count')).toBe(0);
    await h.advance(7_000);
    expect((await h.pod('web')).status?.phase).toBe('Running');
    expect(await sample(registry, 'keelson_kubelet_pod_start_sli_duration_seconds_count')).toBe(1);
    expect(await sample(registry, 'keelson_kubelet_pod_start_sli_duration_seconds_sum')).toBe(3);
    expect(await sample(registry, 'keelson_kubelet_pod_start_total_duration_seconds_sum')).toBe(10);
    expect(await sample(registry, 'keelson_kubelet_pod_start_duration_seconds_sum')).toBe(7);
    // the SLI's bucket boundaries are the kubelet's: 3 s falls in le=3, not in le=2
    expect(await sample(registry, 'keelson_kubelet_pod_start_sli_duration_seconds_bucket', { le: '3' })).toBe(1);
    expect(await sample(registry, 'keelson_kubelet_pod_start_sli_duration_seconds_bucket', { le: '2' })).toBe(0);
    // observed once: later syncs and restarts do not count again
    await h.advance(60_000);
    expect(await sample(registry, 'keelson_kubelet_pod_start_sli_duration_seconds_count')).toBe(1);
    expect(
      await sample(registry, 'keelson_kubelet_pod_worker_duration_seconds_count', { operation_type: 'create' }),
    ).toBe(1);
    expect(
      await sample(registry, 'keelson_kubelet_pod_worker_duration_seconds_sum', { operation_type: 'create' }),
    ).toBe(7);
  });

  it('counts probe runs by type and result, with their durations, and the running pods and containers', async () => {
    const registry = new Registry();
    h = await startHarness(undefined, { metricsRegistry: registry });
    h.registry.add('web:1.0', { behaviour: { http: (_path, _port, elapsed) => (elapsed < 30_000 ? 200 : 500) } });
    await h.runPod('web', [
      {
        name: 'web',
        image: 'web:1.0',
        ports: [{ name: 'http', containerPort: 8080 }],
        livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
      },
    ]);
    const labels = { probe_type: 'Liveness', container: 'web', pod: 'web', namespace: 'default' };
    await h.advance(29_999);
    expect(await sample(registry, 'keelson_prober_probe_total', { ...labels, result: 'successful' })).toBe(3);
    expect(await sample(registry, 'keelson_prober_probe_total', { ...labels, result: 'failed' })).toBe(0);
    expect(await sample(registry, 'keelson_kubelet_running_pods')).toBe(1);
    expect(await sample(registry, 'keelson_kubelet_running_containers', { container_state: 'running' })).toBe(1);
    await h.advance(20_001);
    expect(await sample(registry, 'keelson_prober_probe_total', { ...labels, result: 'failed' })).toBe(3);
    expect(await sample(registry, 'keelson_prober_probe_duration_seconds_count', labels)).toBeGreaterThanOrEqual(6);
    // the killed container was replaced: one running again
    expect(await sample(registry, 'keelson_kubelet_running_containers', { container_state: 'running' })).toBe(1);
    await h.store.delete(Pod, 'web', { namespace: 'default', gracePeriodSeconds: 0 });
    await h.advance(1_000);
    expect(await sample(registry, 'keelson_kubelet_running_pods')).toBe(0);
    expect(await sample(registry, 'keelson_kubelet_running_containers', { container_state: 'running' })).toBe(0);
    expect(
      await sample(registry, 'keelson_kubelet_pod_worker_duration_seconds_count', { operation_type: 'kill' }),
    ).toBeGreaterThan(0);
  });

  it('logs container starts, kills and failing probes through the given logger, and nothing without one', async () => {
    const logger = createMemoryLogger();
    const { lines } = logger;
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
    const silent = await startHarness();
    silent.registry.add('web:1.0', { behaviour: { http: () => 500 } });
    const probe = { httpGet: { path: '/', port: 80 }, periodSeconds: 10, failureThreshold: 1 };
    await silent.runPod('web', [{ name: 'web', image: 'web:1.0', livenessProbe: probe }]);
    await silent.advance(30_000);
    await silent.agent.stop();
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();

    h = await startHarness(undefined, { logger });
    h.registry.add('web:1.0', { behaviour: { http: () => 500 } });
    await h.runPod('web', [{ name: 'web', image: 'web:1.0', livenessProbe: probe }]);
    await h.advance(15_000);
    const pod = { component: 'node-agent', node: 'node-1', pod: 'default/web' };
    expect(lines).toContainEqual({
      level: 'info',
      fields: { ...pod, reason: 'Started' },
      message: 'Started container web',
    });
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'warn', fields: { ...pod, container: 'web', probe: 'liveness' } }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', fields: { ...pod, reason: 'Killing' } }));
  });
});
