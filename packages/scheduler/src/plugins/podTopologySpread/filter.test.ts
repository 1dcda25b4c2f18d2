import { describe, expect, it } from 'vitest';
import { makeNode } from '../../../test/harness';
import { podInfoOf } from '../../framework/index';
import { filterEach, fourNodes, hard, incoming, placed } from './fixtures';

describe('PodTopologySpread Filter: upstream filtering_test cases', () => {
  it('no existing pods: every node fits, whether or not the pod matches itself', () => {
    expect(Object.values(filterEach(incoming([hard('zone')]), fourNodes(), []).codes)).toEqual(
      Array(4).fill('Success'),
    );
    const selfless = incoming([
      hard('zone', 1, { labelSelector: { matchExpressions: [{ key: 'bar', operator: 'Exists' }] } }),
    ]);
    expect(Object.values(filterEach(selfless, fourNodes(), []).codes)).toEqual(Array(4).fill('Success'));
  });

  it('existing pods in a different namespace do not count', () => {
    const pods = [
      placed('p-a1', 'node-a', { foo: '' }, { namespace: 'ns1' }),
      placed('p-b1', 'node-a', { foo: '' }, { namespace: 'ns2' }),
      placed('p-x1', 'node-x'),
      placed('p-y1', 'node-y'),
    ];
    expect(filterEach(incoming([hard('zone')]), fourNodes(), pods).codes).toEqual({
      'node-a': 'Success',
      'node-b': 'Success',
      'node-x': 'Unschedulable',
      'node-y': 'Unschedulable',
    });
  });

  it('pods spread as 1/2 because node-b lacks the zone label', () => {
    const nodes = fourNodes();
    nodes[1] = makeNode('node-b', { labels: { zon: 'zone1', node: 'node-b' } });
    const pods = [
      placed('p-a1', 'node-a'),
      placed('p-b1', 'node-b'),
      placed('p-x1', 'node-x'),
      placed('p-y1', 'node-y'),
    ];
    expect(filterEach(incoming([hard('zone')]), nodes, pods).codes).toEqual({
      'node-a': 'Success',
      'node-b': 'UnschedulableAndUnresolvable',
      'node-x': 'Unschedulable',
      'node-y': 'Unschedulable',
    });
  });

  it('no node has the topology key: every node is unresolvable', () => {
    const { codes } = filterEach(incoming([hard('rack')]), fourNodes().slice(0, 2), []);
    expect(codes).toEqual({ 'node-a': 'UnschedulableAndUnresolvable', 'node-b': 'UnschedulableAndUnresolvable' });
  });

  const twoOneZeroThree = () => [
    placed('p-a1', 'node-a'),
    placed('p-a2', 'node-a'),
    placed('p-b1', 'node-b'),
    placed('p-y1', 'node-y'),
    placed('p-y2', 'node-y'),
    placed('p-y3', 'node-y'),
  ];

  it('2/1/0/3 over nodes: only node-x fits; with maxSkew 2 node-b fits too', () => {
    expect(filterEach(incoming([hard('node')]), fourNodes(), twoOneZeroThree()).codes).toEqual({
      'node-a': 'Unschedulable',
      'node-b': 'Unschedulable',
      'node-x': 'Success',
      'node-y': 'Unschedulable',
    });
    expect(filterEach(incoming([hard('node', 2)]), fourNodes(), twoOneZeroThree()).codes).toEqual({
      'node-a': 'Unschedulable',
      'node-b': 'Success',
      'node-x': 'Success',
      'node-y': 'Unschedulable',
    });
  });

  it("2/1/0/3 over nodes, but the pod doesn't match itself: node-b and node-x fit", () => {
    const pod = incoming([hard('node')], { bar: '' });
    expect(filterEach(pod, fourNodes(), twoOneZeroThree()).codes).toEqual({
      'node-a': 'Unschedulable',
      'node-b': 'Success',
      'node-x': 'Success',
      'node-y': 'Unschedulable',
    });
  });

  it('incoming pod with nodeAffinity: only node-a and node-y count (2/~1~/~0~/3), so node-a fits', () => {
    const affinity = {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'node', operator: 'In', values: ['node-a', 'node-y'] }] }],
          },
        },
      },
    };
    const pod = incoming([hard('node')], { foo: '' }, affinity);
    expect(filterEach(pod, fourNodes(), twoOneZeroThree()).codes).toEqual({
      'node-a': 'Success',
      'node-b': 'Success',
      'node-x': 'Success',
      'node-y': 'Unschedulable',
    });
  });

  it('terminating pods are excluded', () => {
    const nodes = [
      makeNode('node-a', { labels: { node: 'node-a' } }),
      makeNode('node-b', { labels: { node: 'node-b' } }),
    ];
    const pods = [
      placed('p-a', 'node-a', { foo: '' }, { deletionTimestamp: '2024-01-01T00:00:00Z' }),
      placed('p-b', 'node-b'),
    ];
    expect(filterEach(incoming([hard('node')]), nodes, pods).codes).toEqual({
      'node-a': 'Success',
      'node-b': 'Unschedulable',
    });
  });

  it('minDomains above the number of domains makes the global minimum 0', () => {
    const nodes = fourNodes();
    const pods = [placed('p-a1', 'node-a'), placed('p-x1', 'node-x'), placed('p-x2', 'node-x')];
    // zone1: 1, zone2: 2. Without minDomains the minimum is 1: zone1 1+1−1 ≤ 2, zone2 2+1−1 ≤ 2.
    expect(Object.values(filterEach(incoming([hard('zone', 2)]), nodes, pods).codes)).toEqual(Array(4).fill('Success'));
    // minDomains 3 > 2 domains: the minimum is 0, zone2 would reach 3.
    expect(filterEach(incoming([hard('zone', 2, { minDomains: 3 })]), nodes, pods).codes).toEqual({
      'node-a': 'Success',
      'node-b': 'Success',
      'node-x': 'Unschedulable',
      'node-y': 'Unschedulable',
    });
  });

  it('nodeTaintsPolicy Honor leaves out nodes with untolerated NoSchedule taints', () => {
    const nodes = [
      makeNode('node-a', { labels: { zone: 'zone1' } }),
      makeNode('node-x', { labels: { zone: 'zone2' } }),
      makeNode('node-t', {
        labels: { zone: 'zone3' },
        spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
      }),
    ];
    const pods = [placed('p-a1', 'node-a'), placed('p-x1', 'node-x')];
    // Ignore (the default): zone3 counts with 0 pods, so zone1 and zone2 are full.
    expect(filterEach(incoming([hard('zone')]), nodes, pods).codes).toEqual({
      'node-a': 'Unschedulable',
      'node-x': 'Unschedulable',
      'node-t': 'Success',
    });
    const honor = incoming([hard('zone', 1, { nodeTaintsPolicy: 'Honor' })]);
    expect(filterEach(honor, nodes, pods).codes).toEqual({
      'node-a': 'Success',
      'node-x': 'Success',
      'node-t': 'Success',
    });
    const tolerating = incoming(
      [hard('zone', 1, { nodeTaintsPolicy: 'Honor' })],
      { foo: '' },
      {
        tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
      },
    );
    expect(filterEach(tolerating, nodes, pods).codes['node-a']).toBe('Unschedulable');
  });

  it('matchLabelKeys counts only pods with the same values of those keys', () => {
    const nodes = fourNodes();
    const pods = [
      placed('old-1', 'node-a', { foo: '', 'pod-template-hash': 'v1' }),
      placed('old-2', 'node-b', { foo: '', 'pod-template-hash': 'v1' }),
      placed('new-1', 'node-x', { foo: '', 'pod-template-hash': 'v2' }),
    ];
    const pod = incoming([hard('zone', 1, { matchLabelKeys: ['pod-template-hash'] })], {
      foo: '',
      'pod-template-hash': 'v2',
    });
    // Only v2 pods count: zone1 0, zone2 1 → zone2 would reach skew 2.
    expect(filterEach(pod, nodes, pods).codes).toEqual({
      'node-a': 'Success',
      'node-b': 'Success',
      'node-x': 'Unschedulable',
      'node-y': 'Unschedulable',
    });
  });

  it('PreFilter skips pods without DoNotSchedule constraints', () => {
    const soft = incoming([{ ...hard('zone'), whenUnsatisfiable: 'ScheduleAnyway' }]);
    expect(filterEach(soft, fourNodes(), []).pre?.code).toBe('Skip');
  });
});

describe('PodTopologySpread addPod / removePod', () => {
  it('a cloned state follows removed and added pods without touching the original', () => {
    const pods = [placed('p-a1', 'node-a'), placed('p-a2', 'node-a'), placed('p-x1', 'node-x')];
    const { state, plugin, cluster, info } = filterEach(incoming([hard('zone')]), fourNodes(), pods);
    const nodeA = cluster.get('node-a');
    const nodeX = cluster.get('node-x');
    if (nodeA === undefined || nodeX === undefined) throw new Error('missing node');
    // zone1 2, zone2 1: zone1 is full.
    expect(plugin.filter?.(state, info, nodeA)?.code).toBe('Unschedulable');

    const what = state.clone();
    const victim = nodeA.pods.get('default/p-a1');
    if (victim === undefined) throw new Error('missing pod');
    expect(plugin.removePod?.(what, info, victim, nodeA)).toBeUndefined();
    expect(plugin.filter?.(what, info, nodeA)).toBeUndefined();
    expect(plugin.filter?.(state, info, nodeA)?.code).toBe('Unschedulable');

    plugin.addPod?.(what, info, podInfoOf(placed('p-x2', 'node-x')), nodeX);
    plugin.addPod?.(what, info, podInfoOf(placed('p-x3', 'node-x')), nodeX);
    // zone1 1, zone2 3: zone2 is now the full one.
    expect(plugin.filter?.(what, info, nodeX)?.code).toBe('Unschedulable');
    expect(plugin.filter?.(state, info, nodeX)).toBeUndefined();
  });

  it('pods of other namespaces or not matching the selector do not change the counts', () => {
    const pods = [placed('p-a1', 'node-a'), placed('p-a2', 'node-a'), placed('p-x1', 'node-x')];
    const { state, plugin, cluster, info } = filterEach(incoming([hard('zone')]), fourNodes(), pods);
    const nodeX = cluster.get('node-x');
    if (nodeX === undefined) throw new Error('missing node');
    plugin.addPod?.(state, info, podInfoOf(placed('other', 'node-x', { foo: '' }, { namespace: 'ns1' })), nodeX);
    plugin.addPod?.(state, info, podInfoOf(placed('unlabelled', 'node-x', { bar: '' })), nodeX);
    expect(plugin.filter?.(state, info, nodeX)).toBeUndefined();
  });
});
