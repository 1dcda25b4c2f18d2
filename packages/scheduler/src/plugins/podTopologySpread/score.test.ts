import { parseLabelSelector } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { makeNode, makePod } from '../../../test/harness';
import { barExists as bar, bareNode, HOST, hosts, incoming, scoreEach, soft, spread, zoned } from './fixtures';
import { createPodTopologySpread, podTopologySpread } from './plugin';
import { topologyNormalizingWeight } from './score';

describe('PodTopologySpread Score: upstream scoring_test cases', () => {
  it('weights counts by ln(domains + 2) and adds maxSkew − 1', () => {
    expect(topologyNormalizingWeight(2)).toBeCloseTo(Math.log(4), 12);
    // 2/1/0/3 over 4 hostnames: ln 6 ≈ 1.792 → 3.58, 1.79, 0, 5.38, rounded.
    const { raw } = scoreEach(incoming([soft(HOST)]), hosts('node-a', 'node-b', 'node-c', 'node-d'), [
      ...spread({ 'node-a': 2, 'node-b': 1, 'node-d': 3 }),
    ]);
    expect(raw).toEqual([4, 2, 0, 5]);
  });

  it('no existing pods, or one candidate: every node scores 100', () => {
    expect(scoreEach(incoming([soft(HOST)]), hosts('node-a', 'node-b'), []).scores).toEqual({
      'node-a': 100,
      'node-b': 100,
    });
    const pods = spread({ 'node-a': 2, 'node-b': 1 });
    expect(scoreEach(incoming([soft(HOST)]), hosts('node-a', 'node-b'), pods, ['node-a']).scores).toEqual({
      'node-a': 100,
    });
  });

  it('one constraint on hostname, 2/1/0/3 with maxSkew 1, 2 and 3 (4/3/2/1)', () => {
    const nodes = hosts('node-a', 'node-b', 'node-c', 'node-d');
    const pods = spread({ 'node-a': 2, 'node-b': 1, 'node-d': 3 });
    expect(scoreEach(incoming([soft(HOST)]), nodes, pods).scores).toEqual({
      'node-a': 20,
      'node-b': 60,
      'node-c': 100,
      'node-d': 0,
    });
    expect(scoreEach(incoming([soft(HOST, 2)]), nodes, pods).scores).toEqual({
      'node-a': 33,
      'node-b': 66,
      'node-c': 100,
      'node-d': 16,
    });
    const fourThreeTwoOne = spread({ 'node-a': 4, 'node-b': 3, 'node-c': 2, 'node-d': 1 });
    expect(scoreEach(incoming([soft(HOST, 3)]), nodes, fourThreeTwoOne).scores).toEqual({
      'node-a': 44,
      'node-b': 66,
      'node-c': 77,
      'node-d': 100,
    });
  });

  it('a null labelSelector counts nothing: all 100', () => {
    const pods = spread({ 'node-a': 2, 'node-b': 1, 'node-d': 3 });
    const { labelSelector: _, ...nullSelector } = soft(HOST);
    const { scores } = scoreEach(incoming([nullSelector]), hosts('node-a', 'node-b', 'node-c', 'node-d'), pods);
    expect(scores).toEqual({ 'node-a': 100, 'node-b': 100, 'node-c': 100, 'node-d': 100 });
  });

  it('4/2/1/~3~: three of four nodes are candidates', () => {
    const pods = spread({ 'node-a': 4, 'node-b': 2, 'node-x': 1, 'node-y': 3 });
    const nodes = hosts('node-a', 'node-b', 'node-x', 'node-y');
    expect(scoreEach(incoming([soft(HOST)]), nodes, pods, ['node-a', 'node-b', 'node-x']).scores).toEqual({
      'node-a': 33,
      'node-b': 83,
      'node-x': 100,
    });
  });

  it('4/?2?/1/~3~: a candidate without the topology key scores 0', () => {
    const pods = spread({ 'node-a': 4, 'node-b': 2, 'node-x': 1, 'node-y': 3 });
    const nodes = [makeNode('node-a'), bareNode('node-b', { n: 'node-b' }), makeNode('node-x'), makeNode('node-y')];
    expect(scoreEach(incoming([soft(HOST)]), nodes, pods, ['node-a', 'node-b', 'node-x']).scores).toEqual({
      'node-a': 16,
      'node-b': 0,
      'node-x': 100,
    });
  });

  it('one constraint on zone, 4/2/1/~3~', () => {
    const nodes = zoned({ 'node-a': 'zone1', 'node-b': 'zone1', 'node-x': 'zone2', 'node-y': 'zone2' });
    const pods = spread({ 'node-a': 4, 'node-b': 2, 'node-x': 1, 'node-y': 3 });
    expect(scoreEach(incoming([soft('zone')]), nodes, pods, ['node-a', 'node-b', 'node-x']).scores).toEqual({
      'node-a': 75,
      'node-b': 75,
      'node-x': 100,
    });
  });

  it('two constraints on zone and node, 2/~1~/2/~4~', () => {
    const nodes = zoned({ 'node-a': 'zone1', 'node-b': 'zone1', 'node-x': 'zone2', 'node-y': 'zone2' });
    const pods = spread({ 'node-a': 2, 'node-b': 1, 'node-x': 2, 'node-y': 4 });
    const pod = incoming([soft('zone'), soft(HOST)]);
    expect(scoreEach(pod, nodes, pods, ['node-a', 'node-x']).scores).toEqual({ 'node-a': 100, 'node-x': 63 });
  });

  describe('two constraints with different selectors', () => {
    const nodes = () => zoned({ 'node-a': 'zone1', 'node-b': 'zone1', 'node-x': 'zone2', 'node-y': 'zone2' });
    const pod = () => incoming([soft('zone'), soft(HOST, 1, { labelSelector: bar })], { foo: '', bar: '' });
    const pods = () => [
      makePod('p-a1', { nodeName: 'node-a' }, { labels: { foo: '' } }),
      makePod('p-b1', { nodeName: 'node-b' }, { labels: { foo: '', bar: '' } }),
      makePod('p-y1', { nodeName: 'node-y' }, { labels: { foo: '' } }),
      makePod('p-y2', { nodeName: 'node-y' }, { labels: { bar: '' } }),
    ];

    it('zone 2/2/1/1, node 0/1/0/1', () => {
      expect(scoreEach(pod(), nodes(), pods()).scores).toEqual({
        'node-a': 60,
        'node-b': 20,
        'node-x': 100,
        'node-y': 60,
      });
    });

    it('zone 2/2/1/~1~, node 0/1/0/~1~: three candidates', () => {
      expect(scoreEach(pod(), nodes(), pods(), ['node-a', 'node-b', 'node-x']).scores).toEqual({
        'node-a': 50,
        'node-b': 25,
        'node-x': 100,
      });
    });

    it('zone 0/0/2/2, node 0/1/0/1: some nodes hold no pods', () => {
      const sparse = [
        makePod('p-b1', { nodeName: 'node-b' }, { labels: { bar: '' } }),
        makePod('p-x1', { nodeName: 'node-x' }, { labels: { foo: '' } }),
        makePod('p-y1', { nodeName: 'node-y' }, { labels: { foo: '', bar: '' } }),
      ];
      expect(scoreEach(pod(), nodes(), sparse).scores).toEqual({
        'node-a': 100,
        'node-b': 60,
        'node-x': 40,
        'node-y': 0,
      });
    });
  });

  it('pods of other namespaces and terminating pods do not count', () => {
    const pods = [
      makePod('p-a1', { nodeName: 'node-a' }, { labels: { foo: '' }, namespace: 'ns1' }),
      ...spread({ 'node-a': 1, 'node-b': 2 }),
    ];
    expect(scoreEach(incoming([soft(HOST)]), hosts('node-a', 'node-b'), pods).scores).toEqual({
      'node-a': 100,
      'node-b': 33,
    });
    const terminating = [
      makePod('p-a', { nodeName: 'node-a' }, { labels: { foo: '' }, deletionTimestamp: '2024-01-01T00:00:00Z' }),
      makePod('p-b', { nodeName: 'node-b' }, { labels: { foo: '' } }),
    ];
    expect(scoreEach(incoming([soft(HOST)]), hosts('node-a', 'node-b'), terminating).scores).toEqual({
      'node-a': 100,
      'node-b': 0,
    });
  });

  it('minDomains has no effect on ScheduleAnyway', () => {
    const nodes = ['node-a', 'node-b', 'node-c'].map((name) => makeNode(name, { labels: { node: name } }));
    const pods = spread({ 'node-a': 2, 'node-b': 2, 'node-c': 1 });
    expect(scoreEach(incoming([soft('node', 2, { minDomains: 10 })]), nodes, pods).scores).toEqual({
      'node-a': 75,
      'node-b': 75,
      'node-c': 100,
    });
  });

  describe('node inclusion policies', () => {
    const nodes = () => [
      makeNode('node-a', { labels: { node: 'node-a', foo: '' } }),
      makeNode('node-b', { labels: { node: 'node-b', foo: '' } }),
      makeNode('node-c', {
        labels: { node: 'node-c' },
        spec: { taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }] },
      }),
    ];
    const pods = () => spread({ 'node-a': 2, 'node-b': 1, 'node-c': 1 });
    const withSelector = { nodeSelector: { foo: '' } };

    it('nodeAffinityPolicy Honor with a nodeSelector: 0/33/100; Ignore: 66/100/100', () => {
      expect(scoreEach(incoming([soft('node')], { foo: '' }, withSelector), nodes(), pods()).scores).toEqual({
        'node-a': 0,
        'node-b': 33,
        'node-c': 100,
      });
      const ignore = incoming([soft('node', 1, { nodeAffinityPolicy: 'Ignore' })], { foo: '' }, withSelector);
      expect(scoreEach(ignore, nodes(), pods()).scores).toEqual({ 'node-a': 66, 'node-b': 100, 'node-c': 100 });
    });

    it('nodeTaintsPolicy Honor: 0/33/100; Ignore (default): 66/100/100', () => {
      const honor = incoming([soft('node', 1, { nodeTaintsPolicy: 'Honor' })]);
      expect(scoreEach(honor, nodes(), pods()).scores).toEqual({ 'node-a': 0, 'node-b': 33, 'node-c': 100 });
      expect(scoreEach(incoming([soft('node')]), nodes(), pods()).scores).toEqual({
        'node-a': 66,
        'node-b': 100,
        'node-c': 100,
      });
    });
  });

  it('matchLabelKeys are ANDed with the labelSelector', () => {
    const nodes = zoned({ 'node-a': 'zone1', 'node-b': 'zone1', 'node-c': 'zone2', 'node-d': 'zone2' });
    const pods = [
      makePod('p-a1', { nodeName: 'node-a' }, { labels: { foo: '' } }),
      makePod('p-b1', { nodeName: 'node-b' }, { labels: { foo: '', bar: '', baz: '' } }),
      makePod('p-c1', { nodeName: 'node-c' }, { labels: { foo: '' } }),
      makePod('p-c2', { nodeName: 'node-c' }, { labels: { bar: '' } }),
      makePod('p-d3', { nodeName: 'node-c' }, { labels: { bar: '', baz: '' } }),
    ];
    const pod = incoming([soft('zone'), soft(HOST, 1, { labelSelector: bar, matchLabelKeys: ['baz'] })], {
      foo: '',
      bar: '',
      baz: '',
    });
    expect(scoreEach(pod, nodes, pods).scores).toEqual({ 'node-a': 60, 'node-b': 20, 'node-c': 60, 'node-d': 100 });
  });

  it('PreScore skips pods without ScheduleAnyway constraints', () => {
    const hard = incoming([{ ...soft(HOST), whenUnsatisfiable: 'DoNotSchedule' }]);
    expect(scoreEach(hard, hosts('node-a'), []).status).toBe('Skip');
    expect(scoreEach(makePod('plain'), hosts('node-a'), []).status).toBe('Skip');
  });
});

describe('PodTopologySpread system defaulting', () => {
  it('without a selector source the system defaults apply to no pod', () => {
    const pod = makePod('p', {}, { labels: { foo: '' } });
    expect(
      scoreEach(pod, hosts('node-a', 'node-b'), spread({ 'node-a': 1 }), undefined, podTopologySpread, {}).status,
    ).toBe('Skip');
  });

  it('with a defaultSelector, nodes without a zone label are still spread by hostname (4/3/2/1 → 44/66/77/100)', () => {
    const factory = createPodTopologySpread({
      defaultSelector: () => parseLabelSelector({ matchLabels: { foo: '' } }),
    });
    const pod = makePod('p', {}, { labels: { foo: '' } });
    const pods = spread({ 'node-a': 4, 'node-b': 3, 'node-c': 2, 'node-d': 1 });
    const { scores } = scoreEach(pod, hosts('node-a', 'node-b', 'node-c', 'node-d'), pods, undefined, factory, {
      defaultingType: 'System',
    });
    expect(scores).toEqual({ 'node-a': 44, 'node-b': 66, 'node-c': 77, 'node-d': 100 });
  });
});
