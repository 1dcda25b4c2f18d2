import type { Node, Pod } from '@keelson/api';
import { InvalidError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { clusterOf, handleFor, makeNode, makePod } from '../../test/harness';
import { CycleState, podInfoOf, SKIP } from '../framework/index';
import { balancedAllocation, NODE_RESOURCES_BALANCED_ALLOCATION } from './balancedAllocation';

function pod(name: string, containers: Array<Record<string, string>>, spec: Record<string, unknown> = {}): Pod {
  return makePod(name, {
    containers: containers.map((requests, i) => ({ name: `c${i}`, image: 'app:1', resources: { requests } })),
    ...spec,
  });
}

/** A node with cpu in millicores and memory in bytes, like upstream's `makeNode(name, milliCPU, memory, extended)`. */
function node(name: string, milliCpu: number, memory: number, extended: Record<string, string> = {}): Node {
  return makeNode(name, { cpu: `${milliCpu}m`, memory: String(memory), capacity: extended });
}

// The pod specs of upstream balanced_allocation_test.
const cpuOnly = (name: string, nodeName?: string) =>
  pod(
    name,
    [
      { cpu: '1000m', memory: '0' },
      { cpu: '2000m', memory: '0' },
    ],
    nodeName === undefined ? {} : { nodeName },
  );
const cpuAndMemory = (name: string, nodeName?: string) =>
  pod(
    name,
    [
      { cpu: '1000m', memory: '2000' },
      { cpu: '2000m', memory: '3000' },
    ],
    nodeName === undefined ? {} : { nodeName },
  );
const cpuAndMemoryAndGpu = (name: string, nodeName: string) =>
  pod(
    name,
    [
      { cpu: '1000m', memory: '2000' },
      { cpu: '2000m', memory: '3000', 'nvidia.com/gpu': '3' },
    ],
    { nodeName },
  );

const withGpu = {
  resources: [
    { name: 'cpu', weight: 1 },
    { name: 'memory', weight: 1 },
    { name: 'nvidia.com/gpu', weight: 1 },
  ],
};

/** PreScore (unless `preScore` is false) and Score on every node; `'skip'` when PreScore skips the pod. */
function scores(args: unknown, incoming: Pod, nodes: Node[], existing: Pod[] = [], preScore = true): number[] | 'skip' {
  const cluster = clusterOf(nodes, existing);
  const plugin = balancedAllocation(args, handleFor(cluster));
  const state = new CycleState();
  const info = podInfoOf(incoming);
  if (preScore) {
    const status = plugin.preScore?.(state, info, cluster.nodes);
    if (status === SKIP) return 'skip';
    expect(status).toBeUndefined();
  }
  return cluster.nodes.map((n) => plugin.score?.(state, info, n) ?? Number.NaN);
}

describe('NodeResourcesBalancedAllocation (upstream balanced_allocation_test)', () => {
  it('skips, in PreScore, a pod that requests none of the resources', () => {
    expect(scores(undefined, makePod('p'), [node('node1', 4000, 10000), node('node2', 4000, 10000)])).toBe('skip');
    expect(scores(undefined, pod('p', [{ 'ephemeral-storage': '1Gi' }]), [node('node1', 4000, 10000)])).toBe('skip');
  });

  it('nothing scheduled, resources requested, differently sized nodes: 87, 100', () => {
    // node1: cpu 3000/4000 = 0.75, memory 5000/10000 = 0.5, std 0.125 → 87.
    expect(scores(undefined, cpuAndMemory('p'), [node('node1', 4000, 10000), node('node2', 6000, 10000)])).toEqual([
      87, 100,
    ]);
  });

  it('resources requested, pods scheduled with resources: 82, 95', () => {
    const existing = [cpuOnly('e1', 'node1'), cpuAndMemory('e2', 'node2')];
    const nodes = [node('node1', 10000, 20000), node('node2', 10000, 20000)];
    expect(scores(undefined, cpuAndMemory('p'), nodes, existing)).toEqual([82, 95]);
  });

  it('resources requested, pods scheduled with resources, differently sized nodes: 82, 80', () => {
    const existing = [cpuOnly('e1', 'node1'), cpuAndMemory('e2', 'node2')];
    const nodes = [node('node1', 10000, 20000), node('node2', 10000, 50000)];
    expect(scores(undefined, cpuAndMemory('p'), nodes, existing)).toEqual([82, 80]);
  });

  it('requested resources at node capacity: 50, 75', () => {
    const existing = [cpuOnly('e1', 'node1'), cpuAndMemory('e2', 'node2')];
    const nodes = [node('node1', 6000, 10000), node('node2', 6000, 10000)];
    expect(scores(undefined, cpuOnly('p'), nodes, existing)).toEqual([50, 75]);
  });

  it('includes a scalar resource the pod requests: 70, 65', () => {
    const existing = [cpuAndMemory('e1', 'node2'), cpuAndMemoryAndGpu('e2', 'node1')];
    const nodes = [
      node('node1', 3500, 40000, { 'nvidia.com/gpu': '8' }),
      node('node2', 3500, 40000, { 'nvidia.com/gpu': '8' }),
    ];
    const incoming = pod('p', [{ memory: '0', 'nvidia.com/gpu': '1' }]);
    expect(scores(withGpu, incoming, nodes, existing)).toEqual([70, 65]);
  });

  it('skips a scalar resource the pod does not request: 63, 63', () => {
    const nodes = [node('node1', 3500, 40000, { 'nvidia.com/gpu': '8' }), node('node2', 3500, 40000)];
    expect(scores(withGpu, cpuAndMemory('p'), nodes)).toEqual([63, 63]);
  });

  it('scores without PreScore having run: 82, 95', () => {
    const existing = [cpuOnly('e1', 'node1'), cpuAndMemory('e2', 'node2')];
    const nodes = [node('node1', 10000, 20000), node('node2', 10000, 20000)];
    expect(scores(undefined, cpuAndMemory('p'), nodes, existing, false)).toEqual([82, 95]);
  });

  it('uses actual requests, not the 100m / 200Mi stand-ins of pods without requests', () => {
    // With stand-ins node1 would be cpu 600/1000, memory 700Mi/1000Mi (std 0.05 → 95).
    const nodes = [makeNode('node1', { cpu: '1', memory: '1000Mi' })];
    const existing = [makePod('e1', { nodeName: 'node1' })];
    expect(scores(undefined, pod('p', [{ cpu: '500m', memory: '500Mi' }]), nodes, existing)).toEqual([100]);
  });

  it('has no filter and registers no events', () => {
    const plugin = balancedAllocation(undefined, handleFor(clusterOf([])));
    expect(plugin.name).toBe(NODE_RESOURCES_BALANCED_ALLOCATION);
    expect(plugin.filter).toBeUndefined();
    expect(plugin.preFilter).toBeUndefined();
  });
});

describe('NodeResourcesBalancedAllocation args', () => {
  const build = (args: unknown) => () => balancedAllocation(args, handleFor(clusterOf([])));

  it('accepts defaults, an empty list, and weights left out or 1', () => {
    expect(build(undefined)).not.toThrow();
    expect(build({ resources: [] })).not.toThrow();
    expect(build({ resources: [{ name: 'cpu' }, { name: 'nvidia.com/gpu', weight: 1 }] })).not.toThrow();
  });

  it.each([
    [
      { resources: [{ name: 'cpu', weight: 2 }] },
      'NodeResourcesBalancedAllocation args: resources[0].weight must be 1 (got 2)',
    ],
    [{ resources: [{ name: 'cpu' }, { name: 'cpu' }] }, 'resources[1].name duplicates "cpu"'],
    [{ resources: 'cpu' }, 'resources must be an array'],
    [{ scoringStrategy: {} }, 'scoringStrategy is not a known field'],
  ])('rejects %j', (args, message) => {
    expect(build(args)).toThrow(InvalidError);
    expect(build(args)).toThrow(message);
  });
});
