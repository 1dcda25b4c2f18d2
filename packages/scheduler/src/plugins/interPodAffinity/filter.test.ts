import type { Pod } from '@keelson/api';
import { describe, expect, it } from 'vitest';
import { makeNode } from '../../../test/harness';
import { ERR_REASON_AFFINITY_RULES_NOT_MATCH, ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH } from './filter';
import { affinityPod, filterEach, inValues, type Term } from './fixtures';

const machine1 = () => makeNode('machine1', { labels: { region: 'r1', zone: 'z11' } });
const securityscan = { service: 'securityscan' };

describe('InterPodAffinity Filter: kubernetes.io "Assigning Pods to Nodes" examples', () => {
  it('redis-cache and web-store end up co-located one pair per node', () => {
    const nodes = ['node-1', 'node-2', 'node-3'].map((name) => makeNode(name));
    const host = 'kubernetes.io/hostname';
    const cache = (i: number, nodeName?: string) =>
      affinityPod(`redis-cache-${i}`, {
        labels: { app: 'store' },
        antiAffinity: [{ labelSelector: inValues('app', 'store'), topologyKey: host }],
        ...(nodeName ? { nodeName } : {}),
      });
    const web = (i: number, nodeName?: string) =>
      affinityPod(`web-server-${i}`, {
        labels: { app: 'web-store' },
        antiAffinity: [{ labelSelector: inValues('app', 'web-store'), topologyKey: host }],
        affinity: [{ labelSelector: inValues('app', 'store'), topologyKey: host }],
        ...(nodeName ? { nodeName } : {}),
      });

    // Schedule each replica onto the first node the filter allows, as the docs' deployments do.
    const placed: Pod[] = [];
    const layout: Record<string, string> = {};
    const schedule = (make: (i: number, nodeName?: string) => Pod, i: number) => {
      const { codes } = filterEach(make(i), nodes, placed);
      const nodeName = Object.keys(codes).find((n) => codes[n] === 'Success');
      if (nodeName === undefined) return codes;
      placed.push(make(i, nodeName));
      layout[make(i).metadata.name] = nodeName;
      return codes;
    };
    for (const i of [1, 2, 3]) schedule(cache, i);
    // A web server before any cache would be unresolvable everywhere: nothing to be near.
    for (const i of [1, 2, 3]) schedule(web, i);
    expect(layout).toEqual({
      'redis-cache-1': 'node-1',
      'redis-cache-2': 'node-2',
      'redis-cache-3': 'node-3',
      'web-server-1': 'node-1',
      'web-server-2': 'node-2',
      'web-server-3': 'node-3',
    });
    // A fourth replica of either finds no node: its own anti-affinity rejects every one.
    const fourth = filterEach(web(4), nodes, placed);
    expect(fourth.codes).toEqual({ 'node-1': 'Unschedulable', 'node-2': 'Unschedulable', 'node-3': 'Unschedulable' });
    expect(fourth.reasons['node-1']).toBe(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
    // On a fourth node without a cache the web server's affinity cannot be met.
    const withSpare = filterEach(web(4), [...nodes, makeNode('node-4')], placed);
    expect(withSpare.codes['node-4']).toBe('UnschedulableAndUnresolvable');
    expect(withSpare.reasons['node-4']).toBe(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
  });

  it('pod-with-pod-affinity: required affinity to security=S1 in the same zone', () => {
    const nodes = [
      makeNode('node-a', { labels: { 'topology.kubernetes.io/zone': 'V' } }),
      makeNode('node-b', { labels: { 'topology.kubernetes.io/zone': 'V' } }),
      makeNode('node-c', { labels: { 'topology.kubernetes.io/zone': 'W' } }),
    ];
    const s1 = affinityPod('s1', { labels: { security: 'S1' }, nodeName: 'node-a' });
    const pod = affinityPod('with-pod-affinity', {
      affinity: [{ labelSelector: inValues('security', 'S1'), topologyKey: 'topology.kubernetes.io/zone' }],
    });
    expect(filterEach(pod, nodes, [s1]).codes).toEqual({
      'node-a': 'Success',
      'node-b': 'Success',
      'node-c': 'UnschedulableAndUnresolvable',
    });
  });
});

describe('InterPodAffinity Filter: upstream filtering_test cases', () => {
  const existing = () => affinityPod('existing', { labels: securityscan, nodeName: 'machine1' });
  const wants = (
    affinity: Term[] = [],
    antiAffinity: Term[] = [],
    labels: Record<string, string> = { security: 'S1' },
  ) => affinityPod('p', { labels, affinity, antiAffinity });

  it('a pod without required terms fits a node with no pods (PreFilter skips)', () => {
    expect(filterEach(affinityPod('p'), [machine1()], []).pre).toBe('Skip');
  });

  it('satisfies required affinity with In and NotIn selectors matching the existing pod', () => {
    const inTerm = wants([{ labelSelector: inValues('service', 'securityscan', 'value2'), topologyKey: 'region' }]);
    expect(filterEach(inTerm, [machine1()], [existing()]).codes).toEqual({ machine1: 'Success' });
    const notIn = wants([
      {
        labelSelector: {
          matchExpressions: [{ key: 'service', operator: 'NotIn', values: ['securityscan3', 'value3'] }],
        },
        topologyKey: 'region',
      },
    ]);
    expect(filterEach(notIn, [machine1()], [existing()]).codes).toEqual({ machine1: 'Success' });
  });

  it.each([
    [
      'the existing pod is in another namespace',
      [{ labelSelector: inValues('service', 'securityscan', 'value2'), topologyKey: 'region', namespaces: ['diff'] }],
    ],
    [
      'the selector does not match the existing pod',
      [{ labelSelector: inValues('service', 'antivirusscan'), topologyKey: 'region' }],
    ],
    [
      'one of the ANDed matchExpressions does not match',
      [
        {
          labelSelector: {
            matchExpressions: [
              { key: 'service', operator: 'Exists' },
              { key: 'wrongkey', operator: 'DoesNotExist' },
            ],
          },
          topologyKey: 'region',
        },
        {
          labelSelector: {
            matchExpressions: [
              { key: 'service', operator: 'In', values: ['securityscan2'] },
              { key: 'service', operator: 'NotIn', values: ['WrongValue'] },
            ],
          },
          topologyKey: 'region',
        },
      ],
    ],
  ])('affinity fails (UnschedulableAndUnresolvable) when %s', (_, terms) => {
    const { codes, reasons } = filterEach(wants(terms as Term[]), [machine1()], [existing()]);
    expect(codes).toEqual({ machine1: 'UnschedulableAndUnresolvable' });
    expect(reasons.machine1).toBe("node(s) didn't match pod affinity rules");
  });

  it('satisfies affinity but not its own anti-affinity (Unschedulable)', () => {
    const pod = wants(
      [{ labelSelector: inValues('service', 'securityscan', 'value2'), topologyKey: 'region' }],
      [{ labelSelector: inValues('service', 'securityscan', 'value2'), topologyKey: 'zone' }],
    );
    const { codes, reasons } = filterEach(pod, [machine1()], [existing()]);
    expect(codes).toEqual({ machine1: 'Unschedulable' });
    expect(reasons.machine1).toBe("node(s) didn't match pod anti-affinity rules");
  });

  it("satisfies its own terms but not the existing pod's anti-affinity (symmetry)", () => {
    const guarded = affinityPod('existing', {
      labels: securityscan,
      nodeName: 'machine1',
      antiAffinity: [{ labelSelector: inValues('service', 'securityscan', 'value2'), topologyKey: 'zone' }],
    });
    const pod = wants(
      [{ labelSelector: inValues('service', 'securityscan', 'value2'), topologyKey: 'region' }],
      [{ labelSelector: inValues('service', 'antivirusscan', 'value2'), topologyKey: 'node' }],
      securityscan,
    );
    const { codes, reasons } = filterEach(pod, [machine1()], [guarded]);
    expect(codes).toEqual({ machine1: 'Unschedulable' });
    expect(reasons.machine1).toBe("node(s) didn't satisfy existing pods anti-affinity rules");
    // A pod with no affinity at all is held to the existing pod's anti-affinity too.
    expect(filterEach(affinityPod('plain', { labels: securityscan }), [machine1()], [guarded]).codes).toEqual({
      machine1: 'Unschedulable',
    });
    // ...unless the anti-affinity does not select it.
    expect(filterEach(affinityPod('plain', { labels: { service: 'other' } }), [machine1()], [guarded]).pre).toBe(
      'Skip',
    );
  });

  it('the first pod of a group with affinity to itself may go to any node having the topology key', () => {
    const self = affinityPod('first', {
      labels: securityscan,
      affinity: [{ labelSelector: inValues('service', 'securityscan'), topologyKey: 'region' }],
    });
    const nodes = [machine1(), makeNode('machine2', { labels: { zone: 'z2' } })];
    expect(filterEach(self, nodes, []).codes).toEqual({
      machine1: 'Success',
      machine2: 'UnschedulableAndUnresolvable',
    });
    // Once a matching pod runs somewhere, only its domain qualifies.
    const nodes3 = [machine1(), makeNode('machine3', { labels: { region: 'r2' } })];
    const running = affinityPod('second', { labels: securityscan, nodeName: 'machine3' });
    expect(filterEach(self, nodes3, [running]).codes).toEqual({
      machine1: 'UnschedulableAndUnresolvable',
      machine3: 'Success',
    });
    // A pod whose terms do not match itself gets no such exemption.
    const notSelf = affinityPod('other', {
      labels: securityscan,
      affinity: [
        {
          labelSelector: { matchExpressions: [{ key: 'service', operator: 'NotIn', values: ['securityscan'] }] },
          topologyKey: 'region',
        },
      ],
    });
    expect(filterEach(notSelf, [machine1()], []).codes).toEqual({ machine1: 'UnschedulableAndUnresolvable' });
  });

  it('anti-affinity does not reject a node lacking the topology key', () => {
    const pod = wants([], [{ labelSelector: inValues('service', 'securityscan'), topologyKey: 'rack' }]);
    expect(filterEach(pod, [machine1()], [existing()]).codes).toEqual({ machine1: 'Success' });
  });
});
