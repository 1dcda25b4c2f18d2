import { describe, expect, it } from 'vitest';
import { type Affinity, expr, nodesOf, pod, preferred, scoreEach, securityIn } from './fixtures';
import { createInterPodAffinity } from './plugin';
import { normalizeAffinityScores } from './score';

const S1 = { security: 'S1' };
const S2 = { security: 'S2' };
const china = { region: 'China' };
const india = { region: 'India' };
const az1 = { az: 'az1' };
const az2 = { az: 'az2' };

const stayWithS1InRegion: Affinity = {
  podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [preferred(5, securityIn('S1'), 'region')] },
};
const stayWithS2InRegion: Affinity = {
  podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [preferred(6, securityIn('S2'), 'region')] },
};
const affinity3: Affinity = {
  podAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [
      preferred(8, { matchExpressions: [expr('security', 'NotIn', ['S1']), expr('security', 'In', ['S2'])] }, 'region'),
      preferred(2, { matchExpressions: [expr('security', 'Exists'), expr('wrongkey', 'DoesNotExist')] }, 'region'),
    ],
  },
};
const hardAffinity: Affinity = {
  podAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [
      { labelSelector: { matchExpressions: [expr('security', 'In', ['S1', 'value2'])] }, topologyKey: 'region' },
      {
        labelSelector: { matchExpressions: [expr('security', 'Exists'), expr('wrongkey', 'DoesNotExist')] },
        topologyKey: 'region',
      },
    ],
  },
};
const awayFromS1InAz: Affinity = {
  podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [preferred(5, securityIn('S1'), 'az')] },
};
const awayFromS2InAz: Affinity = {
  podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [preferred(5, securityIn('S2'), 'az')] },
};
const stayWithS1InRegionAwayFromS2InAz: Affinity = {
  podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [preferred(8, securityIn('S1'), 'region')] },
  podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [preferred(5, securityIn('S2'), 'az')] },
};

describe('InterPodAffinity Score: upstream scoring_test (TestPreferredAffinity)', () => {
  const threeNodes = () => nodesOf({ node1: china, node2: india, node3: az1 });

  it('skips when neither the pod nor any existing pod has affinity', () => {
    expect(scoreEach(pod(S1), threeNodes(), [])).toBe('Skip');
    expect(scoreEach(pod(S1), [], [])).toBe('Skip');
  });

  it('affinity: the node whose region holds a matching pod scores 100', () => {
    const pods = [pod(S1, undefined, 'node1'), pod(S2, undefined, 'node2'), pod(S1, undefined, 'node3')];
    expect(scoreEach(pod(S1, stayWithS1InRegion), threeNodes(), pods)).toEqual({ node1: 100, node2: 0, node3: 0 });
  });

  it('affinity: every node of the matching region scores the same', () => {
    const nodes = nodesOf({ node1: china, node2: { ...china, ...az1 }, node3: india });
    expect(scoreEach(pod({}, stayWithS1InRegion), nodes, [pod(S1, undefined, 'node1')])).toEqual({
      node1: 100,
      node2: 100,
      node3: 0,
    });
  });

  it('affinity: the region with more matching pods wins', () => {
    const nodes = nodesOf({ node1: china, node2: india, node3: china, node4: china, node5: india });
    const pods = ['node1', 'node1', 'node2', 'node3', 'node4', 'node5'].map((n) => pod(S2, undefined, n));
    expect(scoreEach(pod(S1, stayWithS2InRegion), nodes, pods)).toEqual({
      node1: 100,
      node2: 0,
      node3: 100,
      node4: 100,
      node5: 0,
    });
  });

  it('affinity: different operators, some failing to match (2 / 10 / 0 → 20 / 100 / 0)', () => {
    const pods = [pod(S1, undefined, 'node1'), pod(S2, undefined, 'node2'), pod(S1, undefined, 'node3')];
    expect(scoreEach(pod(S1, affinity3), threeNodes(), pods)).toEqual({ node1: 20, node2: 100, node3: 0 });
  });

  it("symmetry: existing pods' preferred affinity and required affinity (hardPodAffinityWeight) count", () => {
    const preferring = [pod(S1, stayWithS1InRegion, 'node1'), pod(S2, stayWithS2InRegion, 'node2')];
    expect(scoreEach(pod(S2), threeNodes(), preferring)).toEqual({ node1: 0, node2: 100, node3: 0 });
    const requiring = [pod(S1, hardAffinity, 'node1'), pod(S2, hardAffinity, 'node2')];
    expect(scoreEach(pod(S1), threeNodes(), requiring)).toEqual({ node1: 100, node2: 100, node3: 0 });
  });

  it('anti-affinity: nodes away from matching pods score higher', () => {
    const nodes = nodesOf({ node1: az1, node2: china });
    expect(
      scoreEach(pod(S1, awayFromS1InAz), nodes, [pod(S1, undefined, 'node1'), pod(S2, undefined, 'node2')]),
    ).toEqual({
      node1: 0,
      node2: 100,
    });
    const india2 = nodesOf({ node1: az1, node2: india });
    const pods = [pod(S1, undefined, 'node1'), pod(S1, undefined, 'node1'), pod(S2, undefined, 'node2')];
    expect(scoreEach(pod(S1, awayFromS1InAz), india2, pods)).toEqual({ node1: 0, node2: 100 });
  });

  it("anti-affinity symmetry: existing pods' preferred anti-affinity repels the pod", () => {
    const nodes = nodesOf({ node1: az1, node2: az2 });
    const pods = [pod(S1, awayFromS2InAz, 'node1'), pod(S2, awayFromS1InAz, 'node2')];
    expect(scoreEach(pod(S2), nodes, pods)).toEqual({ node1: 0, node2: 100 });
  });

  it('affinity and anti-affinity together, with brother pods in the same region', () => {
    const nodes = nodesOf({ node1: { ...china, ...az1 }, node2: india, node3: china, node4: china, node5: india });
    const pods = ['node1', 'node1', 'node2', 'node3', 'node3', 'node4', 'node5'].map((n) => pod(S1, undefined, n));
    expect(scoreEach(pod(S1, stayWithS1InRegionAwayFromS2InAz), nodes, pods)).toEqual({
      node1: 100,
      node2: 0,
      node3: 100,
      node4: 100,
      node5: 0,
    });
  });

  it('affinity, anti-affinity and symmetry together (8 / −5 / 8 / −5)', () => {
    const nodes = nodesOf({ node1: china, node2: az1, node3: india, node4: az2 });
    const pods = [
      pod(S1, undefined, 'node1'),
      pod(S2, undefined, 'node2'),
      pod({}, stayWithS1InRegionAwayFromS2InAz, 'node3'),
      pod({}, awayFromS1InAz, 'node4'),
    ];
    expect(scoreEach(pod(S1, stayWithS1InRegionAwayFromS2InAz), nodes, pods)).toEqual({
      node1: 100,
      node2: 0,
      node3: 100,
      node4: 0,
    });
  });

  it('a topology where only some nodes hold pods with affinity: all 0', () => {
    const nodes = nodesOf({ node1: china, node2: china });
    const pods = [pod(S1, undefined, 'node1'), pod({}, stayWithS1InRegionAwayFromS2InAz, 'node2')];
    expect(scoreEach(pod(S1), nodes, pods)).toEqual({ node1: 0, node2: 0 });
  });

  it('ignorePreferredTermsOfExistingPods skips pods without preferred terms of their own', () => {
    const nodes = nodesOf({ node1: china, node2: india });
    const pods = [pod(S1, stayWithS1InRegionAwayFromS2InAz, 'node1'), pod(S2, stayWithS2InRegion, 'node2')];
    expect(scoreEach(pod(S2), nodes, pods, { ignorePreferredTermsOfExistingPods: true })).toBe('Skip');
    expect(scoreEach(pod(S2), nodes, pods, { ignorePreferredTermsOfExistingPods: false })).toEqual({
      node1: 0,
      node2: 100,
    });
  });
});

describe('InterPodAffinity Score: namespaces and hardPodAffinityWeight', () => {
  const nsLabels = new Map([
    ['subteam1-team1', { team: 'team1' }],
    ['subteam2-team1', { team: 'team1' }],
    ['subteam1-team2', { team: 'team2' }],
    ['subteam2-team2', { team: 'team2' }],
  ]);
  const withNamespaces = createInterPodAffinity({ namespaceLabels: (ns) => nsLabels.get(ns) });
  const team1 = { matchExpressions: [expr('team', 'In', ['team1'])] };
  const nsTerm = { namespaces: ['subteam2-team2'], namespaceSelector: team1 };
  const affinityNs: Affinity = {
    podAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [preferred(5, securityIn('S1'), 'region', nsTerm)],
    },
  };
  const antiAffinityNs: Affinity = {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [preferred(5, securityIn('S1'), 'region', nsTerm)],
    },
  };
  const nodes = () => nodesOf({ node1: china, node2: india });
  const spreadPods = (third: string) => [
    pod(S1, undefined, 'node1', 'subteam1-team1'),
    pod(S1, undefined, 'node1', 'subteam1-team1'),
    pod(S1, undefined, 'node1', third),
    pod(S1, undefined, 'node2', 'subteam2-team1'),
  ];

  it('namespaceSelector and namespaces select the pods that count', () => {
    const incoming = (affinity: Affinity) => pod(S1, affinity, undefined, 'subteam1-team1');
    const run = (affinity: Affinity, third: string) =>
      scoreEach(incoming(affinity), nodes(), spreadPods(third), {}, withNamespaces);
    expect(run(affinityNs, 'subteam1-team2')).toEqual({ node1: 100, node2: 0 });
    expect(run(affinityNs, 'subteam2-team2')).toEqual({ node1: 100, node2: 0 });
    expect(run(antiAffinityNs, 'subteam1-team2')).toEqual({ node1: 0, node2: 100 });
    expect(run(antiAffinityNs, 'subteam2-team2')).toEqual({ node1: 0, node2: 100 });
  });

  it("symmetry with a namespaceSelector matches the incoming pod's namespace labels", () => {
    const three = nodesOf({ node1: china, node2: india, node3: az1 });
    const incoming = pod(S1, undefined, undefined, 'subteam1-team1');
    const existingAffinity = [pod(S1, affinityNs, 'node1'), pod(S2, stayWithS2InRegion, 'node2')];
    expect(scoreEach(incoming, three, existingAffinity, {}, withNamespaces)).toEqual({
      node1: 100,
      node2: 0,
      node3: 0,
    });
    const existingAnti = [pod(S1, antiAffinityNs, 'node1'), pod(S2, stayWithS2InRegion, 'node2')];
    expect(scoreEach(incoming, three, existingAnti, {}, withNamespaces)).toEqual({ node1: 0, node2: 100, node3: 100 });
  });

  describe('TestPreferredAffinityWithHardPodAffinitySymmetricWeight', () => {
    const hard: Affinity = {
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            labelSelector: { matchExpressions: [expr('service', 'In', ['S1'])] },
            namespaces: ['default', 'subteam2-team2'],
            namespaceSelector: team1,
            topologyKey: 'region',
          },
        ],
      },
    };
    const three = () => nodesOf({ node1: china, node2: india, node3: az1 });
    const existing = () => [pod({}, hard, 'node1'), pod({}, hard, 'node2')];
    const incoming = (namespace?: string) => pod({ service: 'S1' }, undefined, undefined, namespace);

    it.each([
      ['the default weight, a listed namespace', undefined, {}, { node1: 100, node2: 100, node3: 0 }],
      ['zero weight', undefined, { hardPodAffinityWeight: 0 }, 'Skip'],
      ['no matching namespace', 'subteam1-team2', {}, 'Skip'],
      ['a namespace matching the namespaceSelector', 'subteam1-team1', {}, { node1: 100, node2: 100, node3: 0 }],
      ['a namespace listed in namespaces', 'subteam2-team2', {}, { node1: 100, node2: 100, node3: 0 }],
    ])('with %s', (_, namespace, args, expected) => {
      expect(scoreEach(incoming(namespace), three(), existing(), args, withNamespaces)).toEqual(expected);
    });
  });
});

describe('InterPodAffinity NormalizeScore', () => {
  it('maps min..max onto 0..100 with truncated float arithmetic', () => {
    const scores = [-5, 0, 8, 3];
    normalizeAffinityScores(scores);
    // 100 × (s + 5) / 13: 0, 38.46…, 100, 61.53…
    expect(scores).toEqual([0, 38, 100, 61]);
    const flat = [7, 7];
    normalizeAffinityScores(flat);
    expect(flat).toEqual([0, 0]);
  });
});
