/**
 * A load model on a whole test cluster, on virtual time: a Service's
 * requests spread over its ready pods turn into container CPU on the mock
 * runtimes, the metrics server reads it, and the autoscaler scales the
 * Deployment exactly as Kubernetes' algorithm says — with no metrics source
 * of the test's own.
 */
import { Deployment, getCondition, HorizontalPodAutoscaler, Pod } from '@keelson/api';
import { InvalidError } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCluster, stepLoad, type TestCluster } from '../src/index';
import { webAutoscaled } from './support';

let cluster: TestCluster | undefined;
afterEach(() => cluster?.close());

const S = 1_000;
const SCRAPE = 15 * S;
const REQUEST = 500; // millicores
const COST = 5; // millicores per request/s
const TARGET = 50; // % of the request

const web = (behavior = '') =>
  webAutoscaled({
    maxReplicas: 10,
    requestMillicores: REQUEST,
    targetUtilization: TARGET,
    service: true,
    hpaSpec: behavior,
  });

/**
 * Kubernetes' answer for a load of `rps`: utilization = trunc(total × 100 / requests),
 * desired = ceil(current × utilization / target) unless within the 0.1 tolerance, at most
 * max(2 × current, 4) per sync, within min and max — iterated until stable.
 */
function kubernetesSteps(current: number, rps: number, limits = { min: 2, max: 10 }): number[] {
  const steps: number[] = [];
  let n = current;
  for (;;) {
    const utilization = Math.trunc((rps * COST * 100) / (n * REQUEST));
    const ratio = utilization / TARGET;
    if (Math.abs(1 - ratio) <= 0.1) return steps;
    const wanted = Math.ceil(ratio * n);
    const next = Math.max(limits.min, Math.min(wanted, Math.max(2 * n, 4), limits.max));
    if (next === n) return steps;
    steps.push(next);
    n = next;
  }
}

/** Starts a cluster with the Deployment, Service and autoscaler; returns the autoscaler's creation time. */
async function start(behavior = ''): Promise<{ c: TestCluster; hpaAt: number }> {
  cluster = await createTestCluster({
    nodes: 3,
    seed: 11,
    images: { 'web:1': { behaviour: { startupMs: 2_000, overload: { requestsPerSecond: 400, paths: ['/ready'] } } } },
  });
  const c = cluster;
  const t0 = c.clock.now();
  const [deployment, service] = web(behavior).split('\n---\n');
  await c.apply(`${deployment}\n---\n${service}`);
  await c.waitFor(
    async () =>
      (await c.list(Pod)).filter((p) => getCondition(p.status?.conditions, 'Ready')?.status === 'True').length === 2,
  );
  // The autoscaler syncs every 15 s from its creation: 5 s after each scrape, so the order is never a tie.
  await c.advance(SCRAPE * Math.ceil((c.clock.now() - t0) / SCRAPE) + 5 * S - (c.clock.now() - t0));
  const hpaAt = c.clock.now();
  await c.apply(web(behavior).split('\n---\n')[2] as string);
  return { c, hpaAt };
}

/** Records every change of the Deployment's replicas until `untilMs`, second by second. */
async function replicasOver(c: TestCluster, untilMs: number) {
  const changes: { at: number; replicas: number }[] = [];
  while (c.clock.now() < untilMs) {
    const replicas = (await c.get(Deployment, 'web', 'default')).spec.replicas;
    if (changes.at(-1)?.replicas !== replicas) changes.push({ at: c.clock.now(), replicas });
    await c.advance('1s');
  }
  return changes;
}

describe('cluster.load and the autoscaler', () => {
  it('a spike scales out to the count Kubernetes computes, at the syncs it allows; the drop waits the 300 s window', async () => {
    const { c, hpaAt } = await start();
    // The load starts on a scrape; the spike and the drop come on scrapes too, so no window mixes two rates.
    await c.advance(SCRAPE - ((c.clock.now() - hpaAt + 5 * S) % SCRAPE));
    const loadAt = c.clock.now();
    const spike = 60 * S;
    const drop = 12 * 60 * S;
    const load = await c.load(
      'web',
      stepLoad([
        { at: 0, rps: 20 },
        { at: spike, rps: 300 },
        { at: drop, rps: 20 },
      ]),
      {
        costPerRequestMillicores: COST,
      },
    );
    await c.advance(spike - 5 * S);
    // 20 req/s × 5m over 2 pods: 50m each (10 %); below target, but minReplicas holds 2.
    expect(c.metrics.pods('default').map((p) => p.containers[0]?.cpu)).toEqual([50, 50]);
    expect(load.shares().map((s) => s.requestsPerSecond)).toEqual([10, 10]);

    const changes = await replicasOver(c, loadAt + drop + 6 * 60 * S);
    const up = kubernetesSteps(2, 300);
    const down = kubernetesSteps(up.at(-1) as number, 20);
    expect(up).toEqual([4, 6]); // 300 × 5m = 1500m: 150 % of 2 pods' requests → 6, at most 4 at once
    expect(changes.map((ch) => ch.replicas)).toEqual([2, ...up, ...down]);
    const at = changes.map((ch) => ch.at);
    // Every change falls on one of the autoscaler's syncs.
    for (const t of at.slice(1)) expect((t - hpaAt) % SCRAPE).toBe(0);
    // The first scrape wholly under the spike is at spike + 15 s; the next sync (5 s later) scales.
    expect(at[1]).toBe(loadAt + spike + SCRAPE + 5 * S);
    // The drop shows at the sync 20 s after it; the last high recommendation came 15 s before, and
    // the scale-down waits until it is 300 s old.
    expect(at[3]).toBe(loadAt + drop + 5 * S + 300 * S);

    const hpa = await c.get(HorizontalPodAutoscaler, 'web', 'default');
    expect(hpa.status).toMatchObject({ currentReplicas: 2, desiredReplicas: 2 });
  });

  it('scaling out lowers each pod’s CPU as the metrics server reads it', async () => {
    const { c } = await start();
    const load = await c.load('web', 300, { costPerRequestMillicores: COST });
    expect(load.shares().map((s) => s.requestsPerSecond)).toEqual([150, 150]);
    await c.waitFor(() => c.metrics.pods('default').every((p) => p.containers[0]?.cpu === 750), {
      timeout: '45s',
      description: '2 pods at 750m each',
    });
    await c.waitFor(async () => (await c.get(Deployment, 'web', 'default')).spec.replicas === 6, { timeout: '3m' });
    await c.waitFor(
      () => {
        const pods = c.metrics.pods('default');
        return pods.length === 6 && pods.every((p) => p.containers[0]?.cpu === 250);
      },
      { timeout: '3m', description: '6 pods at 250m each' },
    );
  });

  it('behavior policies limit the rate: one pod a minute up, and one a minute down', async () => {
    const behavior = `  behavior:
    scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: Pods, value: 1, periodSeconds: 60 }] }
    scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: Pods, value: 1, periodSeconds: 60 }] }
`;
    const { c, hpaAt } = await start(behavior);
    const load = await c.load('web', 300, { costPerRequestMillicores: COST });
    const up = await replicasOver(c, c.clock.now() + 8 * 60 * S);
    expect(up.map((ch) => ch.replicas)).toEqual([2, 3, 4, 5, 6]);
    load.stop();
    const down = await replicasOver(c, c.clock.now() + 8 * 60 * S);
    expect(down.map((ch) => ch.replicas)).toEqual([6, 5, 4, 3, 2]);
    for (const changes of [up, down]) {
      const at = changes.slice(1).map((ch) => ch.at);
      for (const t of at) expect((t - hpaAt) % SCRAPE).toBe(0);
      // A Pods policy of 1 per 60 s: each step waits until the last one is a whole period old.
      for (let i = 1; i < at.length; i++)
        expect((at[i] as number) - (at[i - 1] as number)).toBeGreaterThanOrEqual(60 * S);
    }
  });

  it('an overloaded pod fails its readiness probe and recovers when the load drops', async () => {
    const { c } = await start();
    const readyCount = async () =>
      (await c.list(Pod)).filter((p) => getCondition(p.status?.conditions, 'Ready')?.status === 'True').length;
    // 1000 req/s over 2 pods: 500 each, past the image's 400; its /ready answers 503.
    const load = await c.load(
      'web',
      stepLoad([
        { at: 0, rps: 1000 },
        { at: '20s', rps: 100 },
      ]),
      {
        costPerRequestMillicores: 0.1,
      },
    );
    await c.waitFor(async () => (await readyCount()) === 0, { timeout: '10s', description: 'no ready pod' });
    expect(load.rate()).toBe(1000);
    await c.advance('20s');
    await c.waitFor(async () => (await readyCount()) >= 2, { timeout: '30s', description: 'ready again' });
    expect(load.shares().every((s) => s.requestsPerSecond <= 50)).toBe(true);
  });

  it('refuses bad input with an InvalidError naming the field, and changes nothing', async () => {
    const { c } = await start();
    await expect(c.load('web', -5, { costPerRequestMillicores: 1 })).rejects.toThrow(InvalidError);
    await expect(c.load('web', -5, { costPerRequestMillicores: 1 })).rejects.toThrow(
      'profile must be a number of requests per second >= 0',
    );
    await expect(c.load('web', 10, { costPerRequestMillicores: 'lots' as never })).rejects.toThrow(
      'costPerRequestMillicores must be a number of millicores >= 0, got "lots"',
    );
    await expect(c.load('nope', 10, { costPerRequestMillicores: 1 })).rejects.toThrow('service "nope" does not exist');
    expect(() => stepLoad([{ at: '1m', rps: -1 }])).toThrow(
      'steps[0].rps must be a number of requests per second >= 0',
    );
    await c.advance('30s');
    expect(c.metrics.pods('default').map((p) => p.containers[0]?.cpu)).toEqual([0, 0]);
  });
});
