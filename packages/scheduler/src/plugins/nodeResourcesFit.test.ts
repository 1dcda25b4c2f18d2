import type { Node, Pod } from '@keelson/api';
import { InvalidError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { clusterOf, handleFor, makeNode, makePod } from '../../test/harness';
import { CycleState, type PluginResult, podInfoOf } from '../framework/index';
import { fitRequestOf, insufficientResources, NODE_RESOURCES_FIT, nodeResourcesFit } from './nodeResourcesFit';

/** A pod with one container per entry of `containers`, each requesting those amounts. */
function pod(name: string, containers: Array<Record<string, string>>, spec: Record<string, unknown> = {}): Pod {
  return makePod(name, {
    containers: containers.map((requests, i) => ({ name: `c${i}`, image: 'app:1', resources: { requests } })),
    ...spec,
  });
}

function node(name: string, cpu: string, memory: string, capacity: Record<string, string> = {}): Node {
  return makeNode(name, { cpu, memory, capacity });
}

/** Runs PreScore and Score of NodeResourcesFit with `args` for `incoming` on each node. */
function scores(args: unknown, incoming: Pod, nodes: Node[], existing: Pod[] = []): number[] {
  const cluster = clusterOf(nodes, existing);
  const plugin = nodeResourcesFit(args, handleFor(cluster));
  const state = new CycleState();
  const info = podInfoOf(incoming);
  expect(plugin.preScore?.(state, info, cluster.nodes)).toBeUndefined();
  return cluster.nodes.map((n) => plugin.score?.(state, info, n) ?? Number.NaN);
}

function verdict(status: PluginResult): { code: string; reasons: readonly string[] } | undefined {
  return status === undefined ? undefined : { code: status.code, reasons: status.reasons };
}

/** Upstream fit_test's node: cpu 10m, memory 20, 32 pods, example.com/aaa 5, ephemeral-storage 20, hugepages-2Mi 5. */
const fitNode = (): Node =>
  makeNode('n1', {
    cpu: '10m',
    memory: '20',
    pods: '32',
    capacity: { 'example.com/aaa': '5', 'ephemeral-storage': '20', 'hugepages-2Mi': '5' },
  });

/** Runs PreFilter and Filter for `incoming` on `target`, where `existing` pods (placed on it) already run. */
function filter(incoming: Pod, target: Node, existing: Array<Record<string, string>> = [], args?: unknown) {
  const placed = existing.map((requests, i) => pod(`existing-${i}`, [requests], { nodeName: target.metadata.name }));
  const cluster = clusterOf([target], placed);
  const plugin = nodeResourcesFit(args, handleFor(cluster));
  const state = new CycleState();
  const info = podInfoOf(incoming);
  expect(plugin.preFilter?.(state, info, cluster.nodes)).toBeUndefined();
  return verdict(plugin.filter?.(state, info, cluster.nodes[0] as (typeof cluster.nodes)[number]));
}

const unschedulable = (...reasons: string[]) => ({ code: 'Unschedulable', reasons });
const unresolvable = (...reasons: string[]) => ({ code: 'UnschedulableAndUnresolvable', reasons });

describe('NodeResourcesFit filter (upstream fit_test)', () => {
  it('a pod requesting nothing always fits', () => {
    expect(filter(makePod('p'), fitNode(), [{ cpu: '10m', memory: '20' }])).toBeUndefined();
  });

  it('reports every insufficient resource together', () => {
    const p = pod('p', [{ cpu: '1m', memory: '1' }]);
    expect(filter(p, fitNode(), [{ cpu: '10m', memory: '20' }])).toEqual(
      unschedulable('Insufficient cpu', 'Insufficient memory'),
    );
  });

  it('counts the largest init container, not the sum', () => {
    const init = (name: string, cpu: string, memory: string) => ({
      name,
      image: 'app:1',
      resources: { requests: { cpu, memory } },
    });
    const tooMuchCpu = pod('p', [{ cpu: '1m', memory: '1' }], {
      initContainers: [init('a', '3m', '1'), init('b', '2m', '1')],
    });
    expect(filter(tooMuchCpu, fitNode(), [{ cpu: '8m', memory: '19' }])).toEqual(unschedulable('Insufficient cpu'));
    const fits = pod('p', [{ cpu: '1m', memory: '1' }], {
      initContainers: [init('a', '1m', '1'), init('b', '1m', '1')],
    });
    expect(filter(fits, fitNode(), [{ cpu: '9m', memory: '19' }])).toBeUndefined();
  });

  it('fits exactly at the edge and fails one over', () => {
    expect(filter(pod('p', [{ cpu: '5m', memory: '1' }]), fitNode(), [{ cpu: '5m', memory: '19' }])).toBeUndefined();
    expect(filter(pod('p', [{ cpu: '2m', memory: '1' }]), fitNode(), [{ cpu: '9m', memory: '5' }])).toEqual(
      unschedulable('Insufficient cpu'),
    );
    expect(filter(pod('p', [{ cpu: '1m', memory: '2' }]), fitNode(), [{ cpu: '5m', memory: '19' }])).toEqual(
      unschedulable('Insufficient memory'),
    );
  });

  it('extended resources: short of allocatable is Unschedulable, beyond the whole node Unresolvable', () => {
    expect(filter(pod('p', [{ 'example.com/aaa': '1' }]), fitNode())).toBeUndefined();
    expect(
      filter(pod('p', [{ cpu: '1m', memory: '1', 'example.com/aaa': '1' }]), fitNode(), [{ 'example.com/aaa': '5' }]),
    ).toEqual(unschedulable('Insufficient example.com/aaa'));
    expect(filter(pod('p', [{ cpu: '1m', memory: '1', 'example.com/aaa': '10' }]), fitNode())).toEqual(
      unresolvable('Insufficient example.com/aaa'),
    );
    const twoContainers = pod('p', [
      { cpu: '1m', memory: '1', 'example.com/aaa': '3' },
      { cpu: '1m', memory: '1', 'example.com/aaa': '3' },
    ]);
    expect(filter(twoContainers, fitNode(), [{ 'example.com/aaa': '2' }])).toEqual(
      unresolvable('Insufficient example.com/aaa'),
    );
  });

  it('a resource the node does not have at all is UnschedulableAndUnresolvable', () => {
    expect(filter(pod('p', [{ cpu: '1m', memory: '1', 'example.com/bbb': '1' }]), fitNode())).toEqual(
      unresolvable('Insufficient example.com/bbb'),
    );
    expect(filter(pod('p', [{ cpu: '1m', memory: '1', 'kubernetes.io/something': '10' }]), fitNode())).toEqual(
      unresolvable('Insufficient kubernetes.io/something'),
    );
    expect(filter(pod('p', [{ cpu: '1m', memory: '1', 'hugepages-2Mi': '10' }]), fitNode())).toEqual(
      unresolvable('Insufficient hugepages-2Mi'),
    );
  });

  it('one unresolvable shortage makes the whole verdict unresolvable, reasons in upstream order', () => {
    const p = pod('p', [{ cpu: '5m', memory: '1', 'example.com/aaa': '6' }]);
    expect(filter(p, fitNode(), [{ cpu: '6m' }])).toEqual(
      unresolvable('Insufficient cpu', 'Insufficient example.com/aaa'),
    );
  });

  it('ignoredResources and ignoredResourceGroups skip extended resources only', () => {
    const p = pod('p', [{ cpu: '1m', memory: '1', 'example.com/bbb': '1' }]);
    expect(filter(p, fitNode(), [], { ignoredResources: ['example.com/bbb'] })).toBeUndefined();
    const both = pod('p', [{ cpu: '1m', memory: '1', 'example.com/bbb': '1', 'kubernetes.io/something': '1' }]);
    expect(filter(both, fitNode(), [], { ignoredResourceGroups: ['example.com'] })).toEqual(
      unresolvable('Insufficient kubernetes.io/something'),
    );
    // kubernetes.io/ names are native, so ignoring them by name has no effect.
    expect(filter(both, fitNode(), [], { ignoredResources: ['example.com/bbb', 'kubernetes.io/something'] })).toEqual(
      unresolvable('Insufficient kubernetes.io/something'),
    );
  });

  it('counts pod overhead', () => {
    const fits = pod('p', [{ cpu: '1m', memory: '1' }], { overhead: { cpu: '3m', memory: '13' } });
    expect(filter(fits, fitNode(), [{ cpu: '5m', memory: '5' }])).toBeUndefined();
    const over = pod('p', [{ cpu: '1m', memory: '1' }], { overhead: { cpu: '1m', memory: '15' } });
    expect(filter(over, fitNode(), [{ cpu: '5m', memory: '5' }])).toEqual(unschedulable('Insufficient memory'));
  });

  it('ephemeral storage', () => {
    expect(filter(pod('p', [{ 'ephemeral-storage': '25' }]), fitNode(), [{ cpu: '2m', memory: '2' }])).toEqual(
      unresolvable('Insufficient ephemeral-storage'),
    );
    expect(filter(pod('p', [{ 'ephemeral-storage': '10' }]), fitNode(), [{ cpu: '2m', memory: '2' }])).toBeUndefined();
    expect(filter(pod('p', [{ 'ephemeral-storage': '10' }]), fitNode(), [{ 'ephemeral-storage': '15' }])).toEqual(
      unschedulable('Insufficient ephemeral-storage'),
    );
  });

  it('counts sidecars (restartable init containers) with the containers', () => {
    const target = makeNode('n1', { cpu: '2m', memory: '0', pods: '1' });
    const sidecar = (cpu: string) => ({
      name: 'sidecar',
      image: 'app:1',
      restartPolicy: 'Always',
      resources: { requests: { cpu } },
    });
    expect(filter(pod('p', [{ cpu: '1m' }], { initContainers: [sidecar('1m')] }), target)).toBeUndefined();
    expect(filter(pod('p', [{ cpu: '1m' }], { initContainers: [sidecar('2m')] }), target)).toEqual(
      unresolvable('Insufficient cpu'),
    );
  });

  it('Too many pods, even for a pod requesting nothing; resolvable by preemption', () => {
    const full = makeNode('n1', { cpu: '10m', memory: '20', pods: '1' });
    expect(filter(makePod('p'), full, [{ cpu: '10m', memory: '20' }])).toEqual(unschedulable('Too many pods'));
    expect(filter(pod('p', [{ cpu: '5m', memory: '1' }]), full, [{ cpu: '5m', memory: '19' }])).toEqual(
      unschedulable('Too many pods'),
    );
    expect(filter(pod('p', [{ cpu: '6m', memory: '1' }]), full, [{ cpu: '5m', memory: '19' }])).toEqual(
      unschedulable('Too many pods', 'Insufficient cpu'),
    );
  });

  it('insufficientResources returns undefined, not an empty list, when the pod fits', () => {
    const cluster = clusterOf([fitNode()]);
    const request = fitRequestOf(podInfoOf(pod('p', [{ cpu: '1m', memory: '1', 'example.com/aaa': '1' }])));
    expect(insufficientResources(request, cluster.nodes[0] as (typeof cluster.nodes)[number])).toBeUndefined();
    const big = fitRequestOf(podInfoOf(pod('p', [{ cpu: '20m' }])));
    expect(insufficientResources(big, cluster.nodes[0] as (typeof cluster.nodes)[number])).toEqual([
      { resourceName: 'cpu', reason: 'Insufficient cpu', requested: 20, used: 0, capacity: 10, unresolvable: true },
    ]);
  });

  it('registers the events that can free room', () => {
    const plugin = nodeResourcesFit(undefined, handleFor(clusterOf([])));
    expect(plugin.name).toBe(NODE_RESOURCES_FIT);
    expect(plugin.events).toEqual(['NodeAdd', 'NodeUpdate', 'AssignedPodDelete', 'AssignedPodUpdate']);
  });
});

const twoContainerPod = (name: string) =>
  pod(name, [
    { cpu: '1000', memory: '2000' },
    { cpu: '2000', memory: '3000' },
  ]);
const on = (name: string, nodeName: string, requests: Record<string, string>) => pod(name, [requests], { nodeName });

describe('LeastAllocated (upstream least_allocated_test)', () => {
  const args = { scoringStrategy: { type: 'LeastAllocated' } };

  it('is the default strategy', () => {
    const nodes = [node('node1', '4000', '10000'), node('node2', '6000', '10000')];
    expect(scores(undefined, twoContainerPod('p'), nodes)).toEqual([37, 50]);
  });

  it('nothing scheduled, resources requested, differently sized nodes: 37, 50', () => {
    const nodes = [node('node1', '4000', '10000'), node('node2', '6000', '10000')];
    expect(scores(args, twoContainerPod('p'), nodes)).toEqual([37, 50]);
  });

  it('resources requested, pods scheduled with resources: 57, 45 (and 57, 60 on a bigger node2)', () => {
    const existing = [
      on('e1', 'node1', { cpu: '3000', memory: '0' }),
      on('e2', 'node2', { cpu: '3000', memory: '5000' }),
    ];
    const same = [node('node1', '10000', '20000'), node('node2', '10000', '20000')];
    expect(scores(args, twoContainerPod('p'), same, existing)).toEqual([57, 45]);
    const bigger = [node('node1', '10000', '20000'), node('node2', '10000', '50000')];
    expect(scores(args, twoContainerPod('p'), bigger, existing)).toEqual([57, 60]);
  });

  it('requested resources exceed node capacity: 50, 25', () => {
    const existing = [
      on('e1', 'node1', { cpu: '3000', memory: '0' }),
      on('e2', 'node2', { cpu: '3000', memory: '5000' }),
    ];
    const nodes = [node('node1', '4000', '10000'), node('node2', '4000', '10000')];
    expect(scores(args, pod('p', [{ cpu: '3000', memory: '0' }]), nodes, existing)).toEqual([50, 25]);
  });

  it('weights memory 2, cpu 1: 41, 50', () => {
    const weighted = {
      scoringStrategy: {
        type: 'LeastAllocated',
        resources: [
          { name: 'memory', weight: 2 },
          { name: 'cpu', weight: 1 },
        ],
      },
    };
    const nodes = [node('node1', '4000', '10000'), node('node2', '6000', '10000')];
    expect(scores(weighted, twoContainerPod('p'), nodes)).toEqual([41, 50]);
  });

  it('skips an extended resource the pod does not request, honours one it does', () => {
    const withExtended = {
      scoringStrategy: {
        type: 'LeastAllocated',
        resources: [{ name: 'cpu' }, { name: 'memory' }, { name: 'abc.com/xyz', weight: 1 }],
      },
    };
    const bypass = [node('node1', '6000', '10000'), node('node2', '6000', '10000', { 'abc.com/xyz': '4' })];
    expect(scores(withExtended, twoContainerPod('p'), bypass)).toEqual([50, 50]);
    const honour = [
      node('node1', '6000', '10000', { 'abc.com/xyz': '4' }),
      node('node2', '6000', '10000', { 'abc.com/xyz': '10' }),
    ];
    expect(scores(withExtended, pod('p', [{ cpu: '3000', memory: '5000', 'abc.com/xyz': '2' }]), honour)).toEqual([
      50, 60,
    ]);
  });

  it("a resource the node doesn't have is left out: 55, 55", () => {
    const heavy = {
      scoringStrategy: {
        type: 'LeastAllocated',
        resources: [{ name: 'abc.com/xyz', weight: 2 }, { name: 'cpu' }, { name: 'memory' }],
      },
    };
    const nodes = [node('node1', '6000', '10000'), node('node2', '6000', '10000', { 'abc.com/xyz': '4' })];
    expect(scores(heavy, pod('p', [{ cpu: '3000', memory: '4000' }]), nodes)).toEqual([55, 55]);
  });
});

describe('MostAllocated (upstream most_allocated_test)', () => {
  const args = { scoringStrategy: { type: 'MostAllocated' } };

  it('nothing scheduled, resources requested, differently sized nodes: 62, 50', () => {
    const nodes = [node('node1', '4000', '10000'), node('node2', '6000', '10000')];
    expect(scores(args, twoContainerPod('p'), nodes)).toEqual([62, 50]);
  });

  it('resources requested, pods scheduled with resources: 42, 55', () => {
    const existing = [
      on('e1', 'node1', { cpu: '3000', memory: '0' }),
      on('e2', 'node2', { cpu: '3000', memory: '5000' }),
    ];
    const nodes = [node('node1', '10000', '20000'), node('node2', '10000', '20000')];
    expect(scores(args, twoContainerPod('p'), nodes, existing)).toEqual([42, 55]);
  });

  it('resources requested equal node capacity: 95, 75', () => {
    const p = pod('p', [
      { cpu: '2000', memory: '4000' },
      { cpu: '3000', memory: '5000' },
    ]);
    expect(scores(args, p, [node('node1', '5000', '10000'), node('node2', '10000', '9000')])).toEqual([95, 75]);
  });

  it('weights memory 2, cpu 1: 58, 50', () => {
    const weighted = {
      scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'memory', weight: 2 }, { name: 'cpu' }] },
    };
    const nodes = [node('node1', '4000', '10000'), node('node2', '6000', '10000')];
    expect(scores(weighted, twoContainerPod('p'), nodes)).toEqual([58, 50]);
  });

  it('scores pods without requests with the 100m / 200Mi stand-ins, capped at capacity: 80, 30', () => {
    const nodes = [node('node1', '250m', '1000Mi'), node('node2', '250m', '1000Mi')];
    const existing = [makePod('e1', { nodeName: 'node1' }), makePod('e2', { nodeName: 'node1' })];
    expect(scores(args, makePod('p'), nodes, existing)).toEqual([80, 30]);
  });

  it('honours an extended resource the pod requests: 50, 40', () => {
    const withExtended = {
      scoringStrategy: {
        type: 'MostAllocated',
        resources: [{ name: 'cpu' }, { name: 'memory' }, { name: 'abc.com/xyz' }],
      },
    };
    const nodes = [
      node('node1', '6000', '10000', { 'abc.com/xyz': '4' }),
      node('node2', '6000', '10000', { 'abc.com/xyz': '10' }),
    ];
    expect(scores(withExtended, pod('p', [{ cpu: '3000', memory: '5000', 'abc.com/xyz': '2' }]), nodes)).toEqual([
      50, 40,
    ]);
  });
});

describe('RequestedToCapacityRatio (upstream requested_to_capacity_ratio_test)', () => {
  const leastShape = [
    { utilization: 0, score: 10 },
    { utilization: 100, score: 0 },
  ];
  const args = {
    scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: leastShape } },
  };

  it('least-requested shape, resources requested: 38, 50', () => {
    const nodes = [node('node1', '4000', '10000'), node('node2', '6000', '10000')];
    expect(scores(args, twoContainerPod('p'), nodes)).toEqual([38, 50]);
  });

  it('least-requested shape, a pod without requests scored with its stand-ins: 38, 50', () => {
    const existing = [
      on('e1', 'node1', { cpu: '3000', memory: '5000Gi' }),
      on('e2', 'node2', { cpu: '3000', memory: '5000Gi' }),
    ];
    const nodes = [node('node1', '4000', '10000Gi'), node('node2', '6000', '10000Gi')];
    expect(scores(args, makePod('p'), nodes, existing)).toEqual([38, 50]);
  });

  const binPacking = (resources: Array<{ name: string; weight: number }>) => ({
    scoringStrategy: {
      type: 'RequestedToCapacityRatio',
      resources,
      requestedToCapacityRatio: {
        shape: [
          { utilization: 0, score: 0 },
          { utilization: 100, score: 1 },
        ],
      },
    },
  });

  it('single extended resource (TestResourceBinPackingSingleExtended)', () => {
    const args1 = binPacking([{ name: 'intel.com/foo', weight: 1 }]);
    const nodes = () => [
      node('node1', '4', '10000Mi', { 'intel.com/foo': '8' }),
      node('node2', '4', '10000Mi', { 'intel.com/foo': '4' }),
    ];
    expect(scores(args1, makePod('p'), nodes())).toEqual([0, 0]);
    expect(scores(args1, pod('p', [{ 'intel.com/foo': '2' }]), nodes())).toEqual([2, 5]);
    expect(
      scores(args1, pod('p', [{ 'intel.com/foo': '2' }]), nodes(), [on('e', 'node2', { 'intel.com/foo': '2' })]),
    ).toEqual([2, 10]);
    expect(scores(args1, pod('p', [{ 'intel.com/foo': '4' }]), nodes())).toEqual([5, 10]);
  });

  it('multiple extended resources, weights 3 and 5 (TestResourceBinPackingMultipleExtended)', () => {
    const args2 = binPacking([
      { name: 'intel.com/foo', weight: 3 },
      { name: 'intel.com/bar', weight: 5 },
    ]);
    const nodes = () => [
      node('node1', '4', '10000Mi', { 'intel.com/foo': '8', 'intel.com/bar': '4' }),
      node('node2', '4', '10000Mi', { 'intel.com/foo': '4', 'intel.com/bar': '8' }),
    ];
    const small = () => pod('p', [{ 'intel.com/foo': '2', 'intel.com/bar': '2' }]);
    expect(scores(args2, makePod('p'), nodes())).toEqual([0, 0]);
    expect(scores(args2, small(), nodes())).toEqual([4, 3]);
    expect(scores(args2, small(), nodes(), [on('e', 'node2', { 'intel.com/foo': '4', 'intel.com/bar': '2' })])).toEqual(
      [4, 7],
    );
    expect(scores(args2, pod('p', [{ 'intel.com/foo': '4', 'intel.com/bar': '2' }]), nodes())).toEqual([5, 5]);
  });

  describe('kubernetes.io "Resource Bin Packing": node scoring for capacity allocation', () => {
    // Requested intel.com/foo 2, memory 256MB, cpu 2; weights intel.com/foo 5, memory 1, cpu 3.
    const incoming = () => pod('p', [{ 'intel.com/foo': '2', memory: '256Mi', cpu: '2' }]);
    const nodes = () => [
      node('node1', '8', '1Gi', { 'intel.com/foo': '4' }),
      node('node2', '8', '1Gi', { 'intel.com/foo': '8' }),
    ];
    const used = () => [
      on('used1', 'node1', { 'intel.com/foo': '1', memory: '256Mi', cpu: '1' }),
      on('used2', 'node2', { 'intel.com/foo': '2', memory: '512Mi', cpu: '6' }),
    ];
    const withShape = (top: number) => ({
      scoringStrategy: {
        type: 'RequestedToCapacityRatio',
        resources: [
          { name: 'intel.com/foo', weight: 5 },
          { name: 'memory', weight: 1 },
          { name: 'cpu', weight: 3 },
        ],
        requestedToCapacityRatio: {
          shape: [
            { utilization: 0, score: 0 },
            { utilization: 100, score: top },
          ],
        },
      },
    });

    it("on the page's 0–10 scale: node 1 scores 5, node 2 scores 7", () => {
      // node 1: foo 75% → 7, memory 50% → 5, cpu 37% → 3: (35 + 5 + 9) / 9 = 5.4 → 5.
      // node 2: foo 50% → 5, memory 75% → 7, cpu 100% → 10: (25 + 7 + 30) / 9 = 6.9 → 7.
      expect(scores(withShape(1), incoming(), nodes(), used())).toEqual([5, 7]);
    });

    it("with the page's shape (0 → 0, 100 → 10) scaled to 0–100: 60 and 69", () => {
      // node 1: (75 × 5 + 50 × 1 + 37 × 3) / 9 = 59.6 → 60; node 2: (50 × 5 + 75 + 100 × 3) / 9 = 69.4 → 69.
      expect(scores(withShape(10), incoming(), nodes(), used())).toEqual([60, 69]);
    });
  });
});

describe('NodeResourcesFit args', () => {
  const build = (args: unknown) => () => nodeResourcesFit(args, handleFor(clusterOf([])));
  const strategy = (extra: Record<string, unknown>) => ({ scoringStrategy: { type: 'MostAllocated', ...extra } });

  it('accepts the defaults and defaults a zero or missing weight to 1', () => {
    expect(build(undefined)).not.toThrow();
    expect(build({})).not.toThrow();
    expect(build(strategy({ resources: [{ name: 'cpu', weight: 0 }, { name: 'memory' }] }))).not.toThrow();
  });

  it.each([
    [{ foo: 1 }, 'NodeResourcesFit args: foo is not a known field'],
    [
      { scoringStrategy: { type: 'Balanced' } },
      'scoringStrategy.type must be LeastAllocated, MostAllocated or RequestedToCapacityRatio',
    ],
    [{ scoringStrategy: {} }, 'scoringStrategy.type must be LeastAllocated, MostAllocated or RequestedToCapacityRatio'],
    [
      strategy({ resources: [{ name: 'memory', weight: -1 }] }),
      'scoringStrategy.resources[0].weight must be an integer from 1 to 100',
    ],
    [
      strategy({
        resources: [
          { name: 'memory', weight: 1 },
          { name: 'cpu', weight: 101 },
        ],
      }),
      'scoringStrategy.resources[1].weight must be an integer from 1 to 100',
    ],
    [strategy({ resources: [{ weight: 1 }] }), 'scoringStrategy.resources[0].name must be a resource name'],
    [
      { scoringStrategy: { type: 'RequestedToCapacityRatio' } },
      'scoringStrategy.requestedToCapacityRatio.shape is required when type is RequestedToCapacityRatio',
    ],
    [
      strategy({ requestedToCapacityRatio: { shape: [] } }),
      'scoringStrategy.requestedToCapacityRatio.shape must have at least one point',
    ],
    [
      strategy({
        requestedToCapacityRatio: {
          shape: [
            { utilization: 50, score: 1 },
            { utilization: 50, score: 2 },
          ],
        },
      }),
      'scoringStrategy.requestedToCapacityRatio.shape[1].utilization must be greater than the previous point',
    ],
    [
      strategy({ requestedToCapacityRatio: { shape: [{ utilization: 101, score: 1 }] } }),
      'shape[0].utilization must be an integer from 0 to 100',
    ],
    [
      strategy({ requestedToCapacityRatio: { shape: [{ utilization: 10, score: 11 }] } }),
      'shape[0].score must be an integer from 0 to 10',
    ],
    [{ ignoredResources: ['not valid!'] }, 'ignoredResources[0] must be a valid qualified name'],
    [{ ignoredResourceGroups: ['example.com/foo'] }, "ignoredResourceGroups[0] must not contain '/'"],
  ])('rejects %j', (args, message) => {
    expect(build(args)).toThrow(InvalidError);
    expect(build(args)).toThrow(message);
  });
});
