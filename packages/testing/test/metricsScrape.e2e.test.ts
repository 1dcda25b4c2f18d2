/**
 * A whole cluster's metrics scraped over real HTTP: createTestCluster registers every
 * component on one registry, a plain `http` server serves it in Prometheus' text format, and
 * the scrape shows node agent, scheduler, controller and autoscaler series after a rollout.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Deployment, Pod } from '@keelson/api';
import type { MetricsSource, PodMetric } from '@keelson/autoscaling';
import { Registry } from 'prom-client';
import { afterEach, expect, it } from 'vitest';
import { createTestCluster, type TestCluster } from '../src/index';
import { webAutoscaled } from './support';

let cluster: TestCluster | undefined;
let server: Server | undefined;
afterEach(async () => {
  await cluster?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus' text exposition format (one sample a line; `#` lines are comments). */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) throw new Error(`not a sample line: ${line}`);
    const [, name = '', body = '', value = ''] = match;
    const labels: Record<string, string> = {};
    for (const [, key = '', raw = ''] of body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name, labels, value: Number(value) });
  }
  return samples;
}

const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
const total = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  find(samples, name, labels).reduce((sum, s) => sum + s.value, 0);

/** Every pod of the selector uses 400m: with 500m requested, 80% against a 50% target scales up. */
const busy = (clusterOf: () => TestCluster): MetricsSource => ({
  async resourceMetrics({ namespace, selector }) {
    const c = clusterOf();
    const pods = await c.list(Pod, { namespace, labelSelector: selector.toString() });
    const now = c.clock.now();
    return new Map<string, PodMetric>(
      pods
        .filter((p) => p.status?.phase === 'Running')
        .map((p) => [p.metadata.name, { value: 400, timestamp: now, windowMs: 15_000 }]),
    );
  },
});

it('serves node agent, scheduler, controller and autoscaler series over HTTP after a Deployment rolls out', async () => {
  const registry = new Registry();
  cluster = await createTestCluster({ nodes: 2, seed: 5, metricsRegistry: registry, metrics: busy(() => c) });
  const c = cluster;
  await c.apply(webAutoscaled({ maxReplicas: 4, probe: 'tcp' }));
  await c.advance('2m');
  expect((await c.get(Deployment, 'web', 'default')).spec.replicas).toBe(4);

  server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then((body) => response.writeHead(200, { 'content-type': registry.contentType }).end(body));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const samples = parseExposition(await response.text());

  const running = (await c.list(Pod)).filter((p) => p.status?.phase === 'Running').length;
  expect(running).toBe(4);
  // node agents: their series add up over the cluster's nodes
  expect(total(samples, 'keelson_kubelet_running_pods')).toBe(running);
  expect(total(samples, 'keelson_kubelet_running_containers', { container_state: 'running' })).toBe(running);
  expect(total(samples, 'keelson_kubelet_pod_start_sli_duration_seconds_count')).toBe(running);
  expect(total(samples, 'keelson_kubelet_pod_worker_duration_seconds_count', { operation_type: 'create' })).toBe(
    running,
  );
  expect(
    total(samples, 'keelson_prober_probe_total', { probe_type: 'Readiness', result: 'successful' }),
  ).toBeGreaterThan(running);
  // scheduler: every pod scheduled, none pending
  expect(total(samples, 'keelson_scheduler_schedule_attempts_total', { result: 'scheduled' })).toBe(running);
  expect(total(samples, 'keelson_scheduler_pending_pods')).toBe(0);
  // controllers: the Deployment and ReplicaSet controllers reconciled without errors
  const reconciles = find(samples, 'keelson_controller_runtime_reconcile_total', { result: 'success' });
  expect(reconciles.map((s) => s.labels.controller)).toEqual(
    expect.arrayContaining(['deployment-controller', 'replicaset-controller', 'horizontal-pod-autoscaler']),
  );
  expect(total(samples, 'keelson_controller_runtime_reconcile_total', { result: 'error' })).toBe(0);
  // autoscaler: one scale-up (2 → 4), then syncs that change nothing; every metric was a Resource one
  const hpa = 'keelson_horizontal_pod_autoscaler_controller';
  expect(total(samples, `${hpa}_reconciliations_total`, { action: 'scale_up', error: 'none' })).toBe(1);
  expect(total(samples, `${hpa}_reconciliations_total`, { action: 'none', error: 'none' })).toBeGreaterThan(0);
  expect(total(samples, `${hpa}_reconciliation_duration_seconds_count`)).toBe(
    total(samples, `${hpa}_reconciliations_total`),
  );
  const computed = { metric_type: 'Resource', error: 'none' };
  expect(total(samples, `${hpa}_metric_computation_total`, { ...computed, action: 'scale_up' })).toBeGreaterThan(0);
  expect(total(samples, `${hpa}_metric_computation_duration_seconds_count`, computed)).toBe(
    total(samples, `${hpa}_metric_computation_total`, computed),
  );
});
