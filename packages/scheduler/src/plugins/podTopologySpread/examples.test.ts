import { describe, expect, it } from 'vitest';
import { makeNode } from '../../../test/harness';
import type { TopologySpreadConstraintSpec } from './constraints';
import { ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH } from './filter';
import { filterEach, hard, incoming, placed } from './fixtures';

describe('PodTopologySpread Filter: kubernetes.io examples', () => {
  // node1, node2 in zoneA; node3, node4 in zoneB; pods labelled foo=bar on node1, node2, node3.
  const docNodes = () => [
    makeNode('node1', { labels: { node: 'node1', zone: 'zoneA' } }),
    makeNode('node2', { labels: { node: 'node2', zone: 'zoneA' } }),
    makeNode('node3', { labels: { node: 'node3', zone: 'zoneB' } }),
    makeNode('node4', { labels: { node: 'node4', zone: 'zoneB' } }),
  ];
  const docPods = () => ['node1', 'node2', 'node3'].map((n, i) => placed(`p${i + 1}`, n, { foo: 'bar' }));
  const fooBar = { matchLabels: { foo: 'bar' } };
  const mypod = (constraints: TopologySpreadConstraintSpec[]) => incoming(constraints, { foo: 'bar' });

  it('one constraint on zone: only zone B nodes take mypod', () => {
    const { codes, statuses } = filterEach(mypod([hard('zone', 1, { labelSelector: fooBar })]), docNodes(), docPods());
    expect(codes).toEqual({
      node1: 'Unschedulable',
      node2: 'Unschedulable',
      node3: 'Success',
      node4: 'Success',
    });
    expect(statuses.node1?.reasons).toEqual([ERR_REASON_CONSTRAINTS_NOT_MATCH]);
    expect(ERR_REASON_CONSTRAINTS_NOT_MATCH).toBe("node(s) didn't match pod topology spread constraints");
  });

  it('maxSkew 2 lets mypod into zone A as well', () => {
    const { codes } = filterEach(mypod([hard('zone', 2, { labelSelector: fooBar })]), docNodes(), docPods());
    expect(Object.values(codes)).toEqual(['Success', 'Success', 'Success', 'Success']);
  });

  it('topologyKey node with maxSkew 1: only node4', () => {
    const { codes } = filterEach(mypod([hard('node', 1, { labelSelector: fooBar })]), docNodes(), docPods());
    expect(codes).toEqual({ node1: 'Unschedulable', node2: 'Unschedulable', node3: 'Unschedulable', node4: 'Success' });
  });

  it('two constraints (zone and node): the only valid placement is node4', () => {
    const pod = mypod([hard('zone', 1, { labelSelector: fooBar }), hard('node', 1, { labelSelector: fooBar })]);
    const { codes } = filterEach(pod, docNodes(), docPods());
    expect(codes).toEqual({ node1: 'Unschedulable', node2: 'Unschedulable', node3: 'Unschedulable', node4: 'Success' });
  });

  it('conflicting constraints leave mypod pending; without a zone label on node1 it goes to zone A', () => {
    const nodes = docNodes().slice(0, 3);
    const pods = [
      placed('p1', 'node1', { foo: 'bar' }),
      placed('p2', 'node1', { foo: 'bar' }),
      placed('p3', 'node2', { foo: 'bar' }),
      placed('p4', 'node3', { foo: 'bar' }),
      placed('p5', 'node3', { foo: 'bar' }),
    ];
    const pod = mypod([hard('zone', 1, { labelSelector: fooBar }), hard('node', 1, { labelSelector: fooBar })]);
    expect(filterEach(pod, nodes, pods).codes).toEqual({
      node1: 'Unschedulable',
      node2: 'Unschedulable',
      node3: 'Unschedulable',
    });
    const unzoned = [makeNode('node1', { labels: { node: 'node1' } }), ...nodes.slice(1)];
    const { codes, statuses } = filterEach(pod, unzoned, pods);
    expect(codes).toEqual({ node1: 'UnschedulableAndUnresolvable', node2: 'Success', node3: 'Unschedulable' });
    expect(statuses.node1?.reasons).toEqual([ERR_REASON_NODE_LABEL_NOT_MATCH]);
  });

  it('node affinity excluding zone C keeps zone C out of the skew (nodeAffinityPolicy Honor)', () => {
    const nodes = [...docNodes(), makeNode('node5', { labels: { node: 'node5', zone: 'zoneC' } })];
    const notC = {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['zoneC'] }] }],
          },
        },
      },
    };
    const honored = incoming([hard('zone', 1, { labelSelector: fooBar })], { foo: 'bar' }, notC);
    // node5 is NodeAffinity's to reject; for spreading zone C does not exist.
    expect(filterEach(honored, nodes, docPods()).codes).toEqual({
      node1: 'Unschedulable',
      node2: 'Unschedulable',
      node3: 'Success',
      node4: 'Success',
      node5: 'Success',
    });
    const ignored = incoming(
      [hard('zone', 1, { labelSelector: fooBar, nodeAffinityPolicy: 'Ignore' })],
      { foo: 'bar' },
      notC,
    );
    // Zone C (0 pods) now sets the global minimum, so zone B (1 pod) is too full.
    expect(filterEach(ignored, nodes, docPods()).codes).toEqual({
      node1: 'Unschedulable',
      node2: 'Unschedulable',
      node3: 'Unschedulable',
      node4: 'Unschedulable',
      node5: 'Success',
    });
  });
});
