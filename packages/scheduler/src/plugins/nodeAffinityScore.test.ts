import type { Pod } from '@keelson/api';
import { InvalidError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { clusterOf, handleFor, makeNode, makePod } from '../../test/harness';
import { CycleState, podInfoOf, SKIP } from '../framework/index';
import { NODE_AFFINITY, nodeAffinity } from './nodeAffinity';

const label1 = { foo: 'bar' };
const label2 = { key: 'value' };
const label3 = { az: 'az1' };
const label4 = { abc: 'az11', def: 'az22' };
const label5 = { foo: 'bar', key: 'value', az: 'az1' };

const inTerm = (...pairs: Array<[string, string]>) => ({
  matchExpressions: pairs.map(([key, value]) => ({ key, operator: 'In', values: [value] })),
});
const affinity1 = {
  nodeAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 2, preference: inTerm(['foo', 'bar']) }],
  },
};
const affinity2 = {
  nodeAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [
      { weight: 2, preference: inTerm(['foo', 'bar']) },
      { weight: 4, preference: inTerm(['key', 'value']) },
      { weight: 5, preference: inTerm(['foo', 'bar'], ['key', 'value'], ['az', 'az1']) },
    ],
  },
};

const podWith = (spec: object): Pod => makePod('pod', spec as never);

/** PreScore, Score and NormalizeScore over nodes given as [name, labels]. */
function scores(pod: Pod, nodes: Array<[string, Record<string, string>]>, args?: unknown) {
  const cluster = clusterOf(nodes.map(([name, labels]) => makeNode(name, { labels })));
  const plugin = nodeAffinity(args, handleFor(cluster));
  const state = new CycleState();
  const info = podInfoOf(pod);
  const pre = plugin.preScore?.(state, info, cluster.nodes);
  if (pre !== undefined) return pre;
  const raw = cluster.nodes.map((node) => plugin.score?.(state, info, node) as number);
  plugin.normalizeScore?.(state, info, raw, cluster.nodes);
  return raw;
}

describe('NodeAffinity Score (upstream TestNodeAffinityPriority)', () => {
  it('skips PreScore when the pod has no preferred terms and the profile adds none', () => {
    expect(scores(makePod('plain'), [['node1', label1]])).toBe(SKIP);
  });

  it('PreScore fails when the pod has a broken preferred term', () => {
    const pod = podWith({
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 2, preference: { matchExpressions: [{ key: 'invalid key', operator: 'In', values: ['bar'] }] } },
          ],
        },
      },
    });
    const status = scores(pod, [['node1', label1]]);
    expect(status).toMatchObject({ code: 'Error' });
    expect((status as unknown as { reasons: string[] }).reasons[0]).toMatch(
      /^\[0\]\.matchExpressions\[0\]\.key: Invalid value: "invalid key": name part must consist of alphanumeric characters/,
    );
  });

  it('no node matches the preferred terms: all 0', () => {
    const got = scores(podWith({ affinity: affinity1 }), [
      ['node1', label4],
      ['node2', label2],
      ['node3', label3],
    ]);
    expect(got).toEqual([0, 0, 0]);
  });

  it('only node1 matches: 100, 0, 0', () => {
    const got = scores(podWith({ affinity: affinity1 }), [
      ['node1', label1],
      ['node2', label2],
      ['node3', label3],
    ]);
    expect(got).toEqual([100, 0, 0]);
  });

  it('all match with different weights: 2, 11, 4 → 18, 100, 36', () => {
    const got = scores(podWith({ affinity: affinity2 }), [
      ['node1', label1],
      ['node5', label5],
      ['node2', label2],
    ]);
    expect(got).toEqual([18, 100, 36]);
  });

  it("the profile's added preferred terms score pods without affinity", () => {
    const got = scores(
      makePod('plain'),
      [
        ['node1', label1],
        ['node2', label2],
      ],
      { addedAffinity: affinity1.nodeAffinity },
    );
    expect(got).toEqual([100, 0]);
  });

  it('added and pod terms add up: 2, 3, 5 → 40, 60, 100', () => {
    const added = {
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 3, preference: inTerm(['key', 'value']) }],
    };
    const got = scores(
      podWith({ affinity: affinity1 }),
      [
        ['node1', label1],
        ['node2', label2],
        ['node3', label5],
      ],
      { addedAffinity: added },
    );
    expect(got).toEqual([40, 60, 100]);
  });
});

describe('NodeAffinity and the kubernetes.io assign-pod-node examples', () => {
  it('node affinity weight: label-1:key-1 (weight 1) vs label-2:key-2 (weight 50)', () => {
    const pod = podWith({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 1, preference: inTerm(['label-1', 'key-1']) },
            { weight: 50, preference: inTerm(['label-2', 'key-2']) },
          ],
        },
      },
    });
    const got = scores(pod, [
      ['node-1', { 'kubernetes.io/os': 'linux', 'label-1': 'key-1' }],
      ['node-2', { 'kubernetes.io/os': 'linux', 'label-2': 'key-2' }],
    ]);
    // raw 1 and 50: normalised 100 × 1 / 50 = 2 and 100, so node-2 wins.
    expect(got).toEqual([2, 100]);
  });

  it('pod-with-node-affinity: the node with another-node-label-key=another-node-label-value is preferred', () => {
    const pod = podWith({
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 1, preference: inTerm(['another-node-label-key', 'another-node-label-value']) },
          ],
        },
      },
    });
    const got = scores(pod, [
      [
        'east',
        { 'topology.kubernetes.io/zone': 'antarctica-east1', 'another-node-label-key': 'another-node-label-value' },
      ],
      ['west', { 'topology.kubernetes.io/zone': 'antarctica-west1' }],
    ]);
    expect(got).toEqual([100, 0]);
  });
});

describe('NodeAffinity args', () => {
  const make = (args: unknown) => nodeAffinity(args, handleFor(clusterOf([])));

  it('takes nothing, or addedAffinity', () => {
    expect(make(undefined).name).toBe(NODE_AFFINITY);
    expect(make({}).events).toEqual(['NodeAdd', 'NodeUpdate']);
    expect(make({ addedAffinity: {} }).name).toBe(NODE_AFFINITY);
  });

  it('rejects unknown fields, naming them', () => {
    expect(() => make({ addedAffinty: {} })).toThrow(InvalidError);
    expect(() => make({ addedAffinty: {} })).toThrow(
      'NodeAffinity args: args.addedAffinty is not a known field; use addedAffinity',
    );
    expect(() => make({ addedAffinity: { requiredDuringSchedulingRequiredDuringExecution: {} } })).toThrow(
      'NodeAffinity args: addedAffinity.requiredDuringSchedulingRequiredDuringExecution is not a known field',
    );
  });

  it('rejects malformed terms with the path of the bad field', () => {
    const bad = {
      addedAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'Near', values: ['a'] }] }],
        },
      },
    };
    expect(() => make(bad)).toThrow(
      'NodeAffinity args: addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator must be one of In, NotIn, Exists, DoesNotExist, Gt, Lt',
    );
    const weight = {
      addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }] },
    };
    expect(() => make(weight)).toThrow(
      'NodeAffinity args: addedAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight must be an integer from 1 to 100',
    );
  });

  it('rejects terms that do not parse, as upstream ValidateNodeAffinityArgs', () => {
    const gt = {
      addedAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['many'] }] }],
        },
      },
    };
    expect(() => make(gt)).toThrow(
      `NodeAffinity args: addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values[0]: Invalid value: "many": for 'Gt', 'Lt' operators, the value must be an integer; correct the term or remove it`,
    );
    const fields = {
      addedAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 1, preference: { matchFields: [{ key: 'metadata.name', operator: 'Exists' }] } },
        ],
      },
    };
    expect(() => make(fields)).toThrow(
      'NodeAffinity args: addedAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].matchFields[0].operator: Unsupported value: "Exists": supported values: "In", "NotIn"',
    );
  });
});
