import { isKeelsonError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { numFeasibleNodesToFind } from '../src/algorithm/feasible';
import type { PluginFactory } from '../src/framework/types';
import { createClusterSnapshot, schedulePod } from '../src/snapshot';
import { makeNode, makePod, podRequesting } from './harness';

function thrown(run: () => unknown): Error & { code?: string } {
  try {
    run();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a throw');
}

describe('schedulePod with the default profile', () => {
  it('picks the least allocated node and explains every score', () => {
    const nodes = [makeNode('busy', { cpu: '4', memory: '8Gi' }), makeNode('idle', { cpu: '4', memory: '8Gi' })];
    const running = [podRequesting('web-1', { cpu: '3', memory: '6Gi' }, { nodeName: 'busy' })];
    const result = schedulePod(podRequesting('new', { cpu: '500m', memory: '1Gi' }), nodes, { pods: running });
    expect(result.nodeName).toBe('idle');
    expect(result.rejected).toEqual({});
    expect(Object.keys(result.scores).sort()).toEqual(['busy', 'idle']);
    const idle = result.scores.idle;
    // LeastAllocated on idle: cpu (4000-500)*100/4000 = 87, memory (8-1)*100/8 = 87 → 87, weight 1.
    expect(idle?.plugins.NodeResourcesFit).toBe(87);
    // busy: cpu (4000-3500)*100/4000 = 12, memory (8-7)*100/8 = 12 → 12.
    expect(result.scores.busy?.plugins.NodeResourcesFit).toBe(12);
    // TaintToleration (weight 3) gives every untainted node 100 → 300.
    expect(idle?.plugins.TaintToleration).toBe(300);
    expect(idle?.total).toBe(Object.values(idle?.plugins ?? {}).reduce((a, b) => a + b, 0));
  });

  it("writes Kubernetes' summary when no node fits", () => {
    const nodes = [
      makeNode('small-1', { cpu: '1' }),
      makeNode('small-2', { cpu: '1' }),
      makeNode('busy', { cpu: '4' }),
      makeNode('gpu-1', { cpu: '8', spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } }),
      makeNode('gpu-2', { cpu: '8', spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } }),
    ];
    const running = [podRequesting('web', { cpu: '3' }, { nodeName: 'busy' })];
    const result = schedulePod(podRequesting('big', { cpu: '2' }), nodes, { pods: running });
    expect(result.nodeName).toBeUndefined();
    expect(result.rejected['small-1']).toEqual(['Insufficient cpu']);
    expect(result.rejected.busy).toEqual(['Insufficient cpu']);
    expect(result.rejected['gpu-1']).toEqual(['node(s) had untolerated taint {dedicated: gpu}']);
    expect(result.message).toBe(
      '0/5 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}, 3 Insufficient cpu. ' +
        // More than a node's allocatable (small-*) or an untolerated taint: preemption cannot help there.
        // On busy, only a pod of the same priority is in the way: no victims.
        'preemption: 0/5 nodes are available: 1 No preemption victims found for incoming pod, 4 Preemption is not helpful for scheduling..',
    );
  });

  it('says so when there are no nodes', () => {
    expect(schedulePod(makePod('p'), []).message).toBe('no nodes available to schedule pods');
  });

  it('follows a profile: MostAllocated bin-packs where LeastAllocated spreads', () => {
    const nodes = [makeNode('a', { cpu: '4', memory: '8Gi' }), makeNode('b', { cpu: '4', memory: '8Gi' })];
    const running = [podRequesting('x', { cpu: '2', memory: '4Gi' }, { nodeName: 'a' })];
    const pod = podRequesting('new', { cpu: '1', memory: '1Gi' });
    expect(schedulePod(pod, nodes, { pods: running }).nodeName).toBe('b');
    const packing = {
      pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } }],
      plugins: { score: { disabled: [{ name: 'NodeResourcesBalancedAllocation' }] } },
    };
    expect(schedulePod(pod, nodes, { pods: running, profile: packing }).nodeName).toBe('a');
  });

  it('runs out-of-tree plugins from the registry, with their weight', () => {
    const preferZoneB: PluginFactory = () => ({
      name: 'PreferZoneB',
      score: (_state, _pod, node) => (node.node.metadata.labels?.zone === 'b' ? 100 : 0),
    });
    const nodes = [makeNode('n1', { labels: { zone: 'a' } }), makeNode('n2', { labels: { zone: 'b' } })];
    const result = schedulePod(makePod('p'), nodes, {
      registry: { PreferZoneB: preferZoneB },
      profile: { plugins: { score: { enabled: [{ name: 'PreferZoneB', weight: 5 }] } } },
    });
    expect(result.nodeName).toBe('n2');
    expect(result.scores.n2?.plugins.PreferZoneB).toBe(500);
    expect(result.scores.n1?.plugins.PreferZoneB).toBe(0);
  });

  it('breaks ties with the seeded source: same seed, same node; seeds differ across nodes', () => {
    const nodes = Array.from({ length: 8 }, (_, i) => makeNode(`n${i}`));
    const pick = (seed: number) => schedulePod(makePod('p'), nodes, { seed }).nodeName;
    expect(pick(7)).toBe(pick(7));
    const chosen = new Set(Array.from({ length: 20 }, (_, seed) => pick(seed)));
    expect(chosen.size).toBeGreaterThan(1);
  });

  it('with assume, packs a sequence of pods into the snapshot', () => {
    const snapshot = createClusterSnapshot([makeNode('a', { cpu: '2' }), makeNode('b', { cpu: '2' })]);
    const placed = [1, 2, 3, 4].map(
      (i) => snapshot.schedule(podRequesting(`p${i}`, { cpu: '1' }), { assume: true }).nodeName,
    );
    expect(placed.filter((n) => n === 'a')).toHaveLength(2);
    expect(placed.filter((n) => n === 'b')).toHaveLength(2);
    expect(snapshot.schedule(podRequesting('p5', { cpu: '1' })).rejected).toEqual({
      a: ['Insufficient cpu'],
      b: ['Insufficient cpu'],
    });
  });

  it('would nominate a node where preempting lower-priority pods makes room', () => {
    const nodes = [makeNode('a', { cpu: '2' }), makeNode('b', { cpu: '2' })];
    const running = [
      podRequesting('low', { cpu: '2' }, { nodeName: 'a', priority: 1 }),
      podRequesting('high', { cpu: '2' }, { nodeName: 'b', priority: 1000 }),
    ];
    const result = schedulePod(podRequesting('urgent', { cpu: '1' }, { priority: 100 }), nodes, { pods: running });
    expect(result.nodeName).toBeUndefined();
    expect(result.nominatedNodeName).toBe('a');
    const never = schedulePod(
      podRequesting('polite', { cpu: '1' }, { priority: 100, preemptionPolicy: 'Never' }),
      nodes,
      { pods: running },
    );
    expect(never.nominatedNodeName).toBeUndefined();
    expect(never.message).toContain('not eligible due to preemptionPolicy=Never.');
  });
});

describe('bad input', () => {
  it('names the node, pod or profile field at fault', () => {
    const good = makeNode('a');
    const badNode = thrown(() => schedulePod(makePod('p'), [good, { metadata: {}, spec: {} }]));
    expect(isKeelsonError(badNode)).toBe(true);
    expect(badNode.message).toMatch(/^nodes\[1\]: .*metadata\.name/);
    const unknown = thrown(() =>
      schedulePod(makePod('p'), [good], { profile: { plugins: { score: { enabled: [{ name: 'Nope' }] } } } }),
    );
    expect(unknown.message).toContain('plugins.score.enabled: no plugin named "Nope" is registered');
    const weight = thrown(() =>
      schedulePod(makePod('p'), [good], {
        profile: { plugins: { score: { enabled: [{ name: 'ImageLocality', weight: 0 }] } } },
      }),
    );
    expect(weight.message).toContain('weight of ImageLocality must be an integer from 1 to 100');
    const orphan = thrown(() => schedulePod(makePod('p'), [good], { pods: [makePod('q', { nodeName: 'zzz' })] }));
    expect(orphan.message).toBe('pods[0]: spec.nodeName "zzz" is not one of the snapshot\'s nodes');
    const noBinder = thrown(() =>
      schedulePod(makePod('p'), [good], { profile: { plugins: { bind: { disabled: [{ name: '*' }] } } } }),
    );
    expect(noBinder.message).toContain('needs at least one bind plugin');
  });
});

describe('percentageOfNodesToScore', () => {
  it('scores only the adaptive share of a large cluster, each pod starting where the last one stopped', () => {
    const nodes = Array.from({ length: 300 }, (_, i) => makeNode(`n${String(i).padStart(3, '0')}`));
    const snapshot = createClusterSnapshot(nodes);
    // 300 nodes: 50 − 300/125 = 48% → 144 feasible nodes found, then scored.
    const first = Object.keys(snapshot.schedule(makePod('a')).scores);
    const second = Object.keys(snapshot.schedule(makePod('b')).scores);
    expect(first).toHaveLength(144);
    expect(second).toHaveLength(144);
    expect(first[0]).toBe('n000');
    expect(second[0]).toBe('n144'); // round-robin: the scan resumes after the last node checked
    expect(second.filter((name) => first.includes(name))).toEqual([]);
    const third = Object.keys(snapshot.schedule(makePod('c')).scores);
    expect(third.slice(0, 12)).toEqual(Array.from({ length: 12 }, (_, i) => `n${288 + i}`)); // then wraps around
    expect(third[12]).toBe('n000');
  });
});

describe('numFeasibleNodesToFind', () => {
  it("follows kube-scheduler's adaptive percentage", () => {
    expect(numFeasibleNodesToFind(0, 10)).toBe(10);
    expect(numFeasibleNodesToFind(0, 99)).toBe(99);
    expect(numFeasibleNodesToFind(0, 100)).toBe(100); // 49% of 100 = 49, floored at 100
    expect(numFeasibleNodesToFind(0, 1000)).toBe(420); // 50 − 8 = 42%
    expect(numFeasibleNodesToFind(0, 5000)).toBe(500); // 50 − 40 = 10%
    expect(numFeasibleNodesToFind(0, 6000)).toBe(300); // 50 − 48 = 2% → at least 5%
    expect(numFeasibleNodesToFind(40, 1000)).toBe(400);
    expect(numFeasibleNodesToFind(5, 1000)).toBe(100); // 50 → floored at 100
    expect(numFeasibleNodesToFind(100, 5000)).toBe(5000);
  });
});
