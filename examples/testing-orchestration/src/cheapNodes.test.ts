import { Pod } from '@keelson/api';
import { schedulePod } from '@keelson/scheduler';
import { createTestCluster, type TestCluster } from '@keelson/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { COST_LABEL, cheapProfile, hourlyCost, PREFER_CHEAP_NODES, registry } from './cheapNodes';

const node = (name: string, cost?: number) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: cost === undefined ? {} : { [COST_LABEL]: String(cost) } },
  status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
});
const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '1' } } }] },
};

describe('PreferCheapNodes', () => {
  it('reads the cost label; no label counts as the most expensive', () => {
    expect(hourlyCost({ [COST_LABEL]: '12' })).toBe(12);
    expect(hourlyCost({})).toBe(Number.POSITIVE_INFINITY);
    expect(hourlyCost({ [COST_LABEL]: 'cheap' })).toBe(Number.POSITIVE_INFINITY);
  });

  // #region unit
  it('scores the cheapest node 100 and the dearest 0, and picks the cheapest', () => {
    const nodes = [node('dear', 90), node('cheap', 10), node('mid', 50), node('unknown')];
    const result = schedulePod(pod, nodes, { profile: cheapProfile, registry });
    expect(result.nodeName).toBe('cheap');
    const scores = Object.fromEntries(
      Object.entries(result.scores).map(([name, s]) => [name, s.plugins[PREFER_CHEAP_NODES]]),
    );
    expect(scores).toEqual({ cheap: 1000, mid: 500, dear: 0, unknown: 0 }); // weight 10 × 0–100
  });
  // #endregion
});

// #region in-cluster
let cluster: TestCluster | undefined;
afterEach(() => cluster?.close());

describe('PreferCheapNodes in a cluster', () => {
  it('fills the cheap nodes first and spills to dearer ones only when they are full', async () => {
    cluster = await createTestCluster({
      nodes: [
        { name: 'spot', capacity: { cpu: '2', memory: '8Gi', pods: '110' }, labels: { [COST_LABEL]: '5' } },
        { name: 'standard', capacity: { cpu: '2', memory: '8Gi', pods: '110' }, labels: { [COST_LABEL]: '40' } },
        { name: 'premium', capacity: { cpu: '2', memory: '8Gi', pods: '110' }, labels: { [COST_LABEL]: '90' } },
      ],
      scheduler: { profiles: [cheapProfile], registry },
    });
    await cluster.apply(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: batch }
spec:
  replicas: 3
  selector: { matchLabels: { app: batch } }
  template:
    metadata: { labels: { app: batch } }
    spec:
      containers: [{ name: work, image: worker, resources: { requests: { cpu: '900m' } } }]
`);
    await cluster.waitFor(
      async (c) => (await c.list(Pod)).every((p) => p.spec.nodeName) && (await c.list(Pod)).length === 3,
    );
    const placed = (await cluster.list(Pod)).map((p) => p.spec.nodeName).sort();
    // Two 900m pods fit on the 2-cpu spot node; the third goes to the next cheapest.
    expect(placed).toEqual(['spot', 'spot', 'standard']);
  });
});
// #endregion
