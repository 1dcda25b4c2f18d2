/**
 * The autoscaler on a whole test cluster, on virtual time: a load spike
 * scales a Deployment out at the rate Kubernetes allows, and it scales back
 * in once the 5-minute stabilization window has passed.
 */
import { Deployment, Event, getCondition, HorizontalPodAutoscaler, Pod } from '@keelson/api';
import type { MetricsSource, PodMetric } from '@keelson/autoscaling';
import { afterEach, expect, it } from 'vitest';
import { createTestCluster, type TestCluster } from '../src/index';
import { webAutoscaled } from './support';

let cluster: TestCluster | undefined;
afterEach(() => cluster?.close());

const MINUTE = 60_000;

/**
 * A load model: the Service's demand (millicores) at each moment, shared
 * evenly by the ready pods, plus 10m of base usage each — so scaling out
 * really lowers each pod's usage.
 */
function loadModel(clusterOf: () => TestCluster, demand: (ms: number) => number): MetricsSource {
  return {
    async resourceMetrics({ namespace, selector }) {
      const c = clusterOf();
      const now = c.clock.now();
      const pods = (await c.list(Pod, { namespace, labelSelector: selector.toString() })).filter(
        (p) =>
          !p.metadata.deletionTimestamp &&
          p.status?.phase === 'Running' &&
          getCondition(p.status?.conditions, 'Ready')?.status === 'True',
      );
      const share = pods.length === 0 ? 0 : demand(now) / pods.length;
      return new Map<string, PodMetric>(
        pods.map((p) => [p.metadata.name, { value: Math.round(share + 10), timestamp: now, windowMs: 15_000 }]),
      );
    },
  };
}

it('scales out on a load spike at Kubernetes rate (2 → 4 → 8 → 10), holds for the stabilization window, then scales in', async () => {
  let start = 0;
  const spikeAt = () => start + 2 * MINUTE;
  const dropAt = () => start + 20 * MINUTE;
  const metrics = loadModel(
    () => cluster as TestCluster,
    (now) => (now >= spikeAt() && now < dropAt() ? 3000 : 400),
  );
  cluster = await createTestCluster({
    nodes: 4,
    seed: 3,
    metrics,
    images: { 'web:1': { behaviour: { startupMs: 3_000 } } },
  });
  const c = cluster;
  start = c.clock.now();
  await c.apply(webAutoscaled({ maxReplicas: 10 }));
  // Every change of the Deployment's replicas, with its time.
  const changes: { at: number; replicas: number }[] = [];
  for (let second = 0; second < 30 * 60; second++) {
    const replicas = (await c.get(Deployment, 'web', 'default')).spec.replicas;
    if (changes.at(-1)?.replicas !== replicas) changes.push({ at: c.clock.now() - start, replicas });
    await c.advance('1s');
  }

  expect(changes.map((ch) => ch.replicas)).toEqual([2, 4, 8, 10, 2]);
  const [, four, eight, ten, down] = changes;
  // The spike is seen at the first sync after it; each step waits a sync period (15 s) or more.
  // Syncs come every 15 s from the autoscaler's creation, so one falls at the spike (2:00):
  // 13 wanted, max(2 × 2, 4) = 4 allowed; then 8; then 10, the maximum.
  expect([four?.at, eight?.at, ten?.at]).toEqual([2 * MINUTE, 2 * MINUTE + 15_000, 2 * MINUTE + 30_000]);
  // After the drop at 20 min, the highest recommendation of the last 5 minutes holds the size: the
  // last high one came from the sync at 19:45, so the scale-in comes at 24:45.
  expect(down?.at).toBe(20 * MINUTE - 15_000 + 300_000);

  const hpa = await c.get(HorizontalPodAutoscaler, 'web', 'default');
  expect(hpa.status).toMatchObject({ currentReplicas: 2, desiredReplicas: 2 });
  expect(getCondition(hpa.status?.conditions, 'ScalingActive')).toMatchObject({
    status: 'True',
    reason: 'ValidMetricFound',
  });
  expect(hpa.status?.currentMetrics?.[0]?.resource?.current.averageUtilization).toBeLessThan(50);
  const rescales = (await c.list(Event)).filter((e) => e.reason === 'SuccessfulRescale').map((e) => e.message);
  expect(rescales).toContain('New size: 4; reason: cpu resource utilization (percentage of request) above target');
  expect(rescales).toContain('New size: 2; reason: All metrics below target');
});

it('never scales down while a metric is missing, and says why in ScalingActive', async () => {
  const low = loadModel(
    () => cluster as TestCluster,
    () => 100,
  );
  const metrics: MetricsSource = {
    ...low,
    async podMetrics() {
      throw new Error('the custom metrics API is unavailable');
    },
  };
  cluster = await createTestCluster({ nodes: 2, seed: 5, metrics });
  const c = cluster;
  await c.apply(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 4
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: web, resources: { requests: { cpu: 500m } } }] }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 1
  maxReplicas: 10
  metrics:
    - { type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 50 } } }
    - { type: Pods, pods: { metric: { name: qps }, target: { type: AverageValue, averageValue: '100' } } }
`);
  await c.advance('10m');
  expect((await c.get(Deployment, 'web', 'default')).spec.replicas).toBe(4);
  const hpa = await c.get(HorizontalPodAutoscaler, 'web', 'default');
  expect(getCondition(hpa.status?.conditions, 'ScalingActive')).toMatchObject({
    status: 'False',
    reason: 'FailedGetPodsMetric',
    message: 'the HPA was unable to compute the replica count: the custom metrics API is unavailable',
  });
  // The CPU metric alone is still reported: 100m shared by 4 pods + 10m each = 35m of 500m.
  expect(hpa.status?.currentMetrics?.[0]?.resource?.current.averageUtilization).toBe(7);
});

it('the metrics server reads CPU and memory from the runtimes, and the built-in autoscaler scales on it', async () => {
  cluster = await createTestCluster({
    nodes: 2,
    seed: 8,
    images: { 'busy:1': { behaviour: { cpuNanoCores: 400e6, memoryBytes: 64 * 1024 * 1024 } } },
  });
  const c = cluster;
  await c.apply(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: busy }
spec:
  replicas: 1
  selector: { matchLabels: { app: busy } }
  template:
    metadata: { labels: { app: busy } }
    spec: { containers: [{ name: busy, image: 'busy:1', resources: { requests: { cpu: 500m } } }] }
`);
  await c.advance('1m');
  const [pod] = c.metrics.pods('default');
  expect(pod?.containers).toEqual([{ name: 'busy', cpu: 400, memory: 64 * 1024 * 1024 }]);
  expect(pod?.windowMs).toBe(15_000);
  const nodes = c.metrics.nodes();
  expect(nodes.map((n) => n.cpu).reduce((a, b) => a + b, 0)).toBe(400);

  // 400m of 500m is 80 %, over a 50 % target: the autoscaler scales out, at most to maxReplicas.
  await c.apply(`
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: busy }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: busy }
  maxReplicas: 3
  metrics: [{ type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 50 } } }]
`);
  await c.waitFor(async () => (await c.get(Deployment, 'busy', 'default')).spec.replicas === 3, { timeout: '3m' });
  await c.advance('1m');
  const hpa = await c.get(HorizontalPodAutoscaler, 'busy', 'default');
  expect(getCondition(hpa.status?.conditions, 'ScalingLimited')).toMatchObject({
    status: 'True',
    reason: 'TooManyReplicas',
  });
  expect(hpa.status?.currentMetrics?.[0]?.resource?.current).toMatchObject({
    averageUtilization: 80,
    averageValue: '400m',
  });
});
