import type { Pod, Taint, Toleration } from '@keelson/api';
import { InvalidError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { clusterOf, handleFor, makeNode, makePod } from '../../test/harness';
import { CycleState, type NodeInfo, type Plugin, podInfoOf } from '../framework/index';
import { findUntoleratedTaint, isDoNotScheduleTaint, tolerates } from './helpers/taints';
import { TAINT_TOLERATION, taintToleration } from './taintToleration';

type TaintInput = { key: string; value?: string; effect: string };
type TolerationInput = { key?: string; operator?: 'Equal' | 'Exists'; value?: string; effect?: string };

function nodeWithTaints(name: string, taints: TaintInput[]) {
  return makeNode(name, { spec: { taints } });
}

function podWithTolerations(tolerations: TolerationInput[]): Pod {
  return makePod('pod1', { tolerations } as object);
}

function plugin(): Plugin {
  return taintToleration(undefined, handleFor(clusterOf([])));
}

function filter(pod: Pod, taints: TaintInput[]) {
  const [node] = clusterOf([nodeWithTaints('node-a', taints)]).nodes as NodeInfo[];
  return plugin().filter?.(new CycleState(), podInfoOf(pod), node as NodeInfo);
}

function scores(pod: Pod, nodes: Array<[string, TaintInput[]]>): number[] {
  const cluster = clusterOf(nodes.map(([name, taints]) => nodeWithTaints(name, taints)));
  const p = taintToleration(undefined, handleFor(cluster));
  const state = new CycleState();
  const info = podInfoOf(pod);
  expect(p.preScore?.(state, info, cluster.nodes)).toBeUndefined();
  const raw = cluster.nodes.map((node) => p.score?.(state, info, node) as number);
  p.normalizeScore?.(state, info, raw, cluster.nodes);
  return raw;
}

const untolerated = (reason: string) => ({ code: 'UnschedulableAndUnresolvable', reasons: [reason] });

describe('TaintToleration Filter (upstream TestTaintTolerationFilter)', () => {
  const dedicatedUser1 = [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }];

  it('rejects a pod without tolerations on a node with a NoSchedule taint', () => {
    expect(filter(podWithTolerations([]), dedicatedUser1)).toMatchObject(
      untolerated('node(s) had untolerated taint {dedicated: user1}'),
    );
  });

  it('admits a pod tolerating dedicated=user1:NoSchedule (operator defaults to Equal)', () => {
    expect(
      filter(podWithTolerations([{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }]), dedicatedUser1),
    ).toBeUndefined();
  });

  it('rejects a toleration with another value', () => {
    const pod = podWithTolerations([{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }]);
    expect(filter(pod, dedicatedUser1)).toMatchObject(untolerated('node(s) had untolerated taint {dedicated: user1}'));
  });

  it('admits with operator Exists, whatever the value', () => {
    const pod = podWithTolerations([{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(filter(pod, [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }])).toBeUndefined();
  });

  it('admits when every one of several taints is tolerated', () => {
    const pod = podWithTolerations([
      { key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' },
      { key: 'foo', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    const taints = [
      { key: 'dedicated', value: 'user2', effect: 'NoSchedule' },
      { key: 'foo', value: 'bar', effect: 'NoSchedule' },
    ];
    expect(filter(pod, taints)).toBeUndefined();
  });

  it('rejects when key and value match but a non-empty effect does not', () => {
    const pod = podWithTolerations([{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }]);
    expect(filter(pod, [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }])).toMatchObject(
      untolerated('node(s) had untolerated taint {foo: bar}'),
    );
  });

  it('admits with an empty toleration effect (it matches every effect)', () => {
    const pod = podWithTolerations([{ key: 'foo', operator: 'Equal', value: 'bar' }]);
    expect(filter(pod, [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }])).toBeUndefined();
  });

  it('ignores PreferNoSchedule taints', () => {
    const prefer = [{ key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' }];
    expect(filter(podWithTolerations([]), prefer)).toBeUndefined();
    const other = podWithTolerations([{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }]);
    expect(filter(other, prefer)).toBeUndefined();
  });

  it('rejects an untolerated NoExecute taint, and prints a missing value as empty', () => {
    expect(
      filter(podWithTolerations([]), [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]),
    ).toMatchObject(untolerated('node(s) had untolerated taint {node.kubernetes.io/not-ready: }'));
  });
});

describe('TaintToleration and the kubernetes.io taints-and-tolerations examples', () => {
  const key1 = [{ key: 'key1', value: 'value1', effect: 'NoSchedule' }];

  it('both documented tolerations match `kubectl taint nodes node1 key1=value1:NoSchedule`', () => {
    const equal = podWithTolerations([{ key: 'key1', operator: 'Equal', value: 'value1', effect: 'NoSchedule' }]);
    const exists = podWithTolerations([{ key: 'key1', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(filter(equal, key1)).toBeUndefined();
    expect(filter(exists, key1)).toBeUndefined();
    expect(filter(podWithTolerations([]), key1)).toMatchObject(
      untolerated('node(s) had untolerated taint {key1: value1}'),
    );
  });

  it('three taints, two tolerations: the pod cannot schedule because key2=value2:NoSchedule is untolerated', () => {
    const pod = podWithTolerations([
      { key: 'key1', operator: 'Equal', value: 'value1', effect: 'NoSchedule' },
      { key: 'key1', operator: 'Equal', value: 'value1', effect: 'NoExecute' },
    ]);
    const taints = [
      { key: 'key1', value: 'value1', effect: 'NoSchedule' },
      { key: 'key1', value: 'value1', effect: 'NoExecute' },
      { key: 'key2', value: 'value2', effect: 'NoSchedule' },
    ];
    expect(filter(pod, taints)).toMatchObject(untolerated('node(s) had untolerated taint {key2: value2}'));
  });

  it('an empty key with operator Exists tolerates everything', () => {
    const pod = podWithTolerations([{ operator: 'Exists' }]);
    const taints = [
      { key: 'key1', value: 'value1', effect: 'NoSchedule' },
      { key: 'key2', value: 'value2', effect: 'NoExecute' },
    ];
    expect(filter(pod, taints)).toBeUndefined();
  });

  it('an empty effect matches all effects with key key1', () => {
    const pod = podWithTolerations([{ key: 'key1', operator: 'Exists' }]);
    const taints = [
      { key: 'key1', value: 'value1', effect: 'NoSchedule' },
      { key: 'key1', value: 'value1', effect: 'NoExecute' },
    ];
    expect(filter(pod, taints)).toBeUndefined();
    expect(filter(pod, [...taints, { key: 'key2', value: 'value2', effect: 'NoSchedule' }])).toMatchObject(
      untolerated('node(s) had untolerated taint {key2: value2}'),
    );
  });
});

describe('TaintToleration Score (upstream TestTaintTolerationScore)', () => {
  it('a node whose PreferNoSchedule taints are tolerated beats one whose are not', () => {
    const pod = podWithTolerations([{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }]);
    const got = scores(pod, [
      ['node-a', [{ key: 'foo', value: 'bar', effect: 'PreferNoSchedule' }]],
      ['node-b', [{ key: 'foo', value: 'blah', effect: 'PreferNoSchedule' }]],
    ]);
    expect(got).toEqual([100, 0]);
  });

  it('the number of tolerated taints does not matter', () => {
    const pod = podWithTolerations([
      { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'PreferNoSchedule' },
      { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'PreferNoSchedule' },
    ]);
    const got = scores(pod, [
      ['node-a', []],
      ['node-b', [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }]],
      [
        'node-c',
        [
          { key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' },
          { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' },
        ],
      ],
    ]);
    expect(got).toEqual([100, 100, 100]);
  });

  it('the more intolerable taints, the lower the score', () => {
    const pod = podWithTolerations([{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }]);
    const got = scores(pod, [
      ['node-a', []],
      ['node-b', [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }]],
      [
        'node-c',
        [
          { key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' },
          { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' },
        ],
      ],
    ]);
    expect(got).toEqual([100, 50, 0]);
  });

  it('only PreferNoSchedule taints and PreferNoSchedule / empty-effect tolerations count', () => {
    const pod = podWithTolerations([
      { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' },
      { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'NoSchedule' },
    ]);
    const got = scores(pod, [
      ['node-a', []],
      ['node-b', [{ key: 'cpu-type', value: 'arm64', effect: 'NoSchedule' }]],
      [
        'node-c',
        [
          { key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' },
          { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' },
        ],
      ],
    ]);
    expect(got).toEqual([100, 100, 0]);
  });

  it('by default a pod without tolerations prefers the node without taints', () => {
    const got = scores(podWithTolerations([]), [
      ['node-a', []],
      ['node-b', [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }]],
    ]);
    expect(got).toEqual([100, 0]);
  });

  it('an empty-effect toleration counts for PreferNoSchedule taints', () => {
    const pod = podWithTolerations([{ key: 'cpu-type', operator: 'Exists' }]);
    const got = scores(pod, [
      ['node-a', [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }]],
      [
        'node-b',
        [
          { key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' },
          { key: 'zone', value: 'edge', effect: 'PreferNoSchedule' },
          { key: 'gpu', effect: 'PreferNoSchedule' },
        ],
      ],
      ['node-c', [{ key: 'zone', value: 'edge', effect: 'PreferNoSchedule' }]],
    ]);
    // raw counts 0, 2, 1 → 100 - 100×c/2
    expect(got).toEqual([100, 0, 50]);
  });
});

describe('tolerates / findUntoleratedTaint', () => {
  const taint = (key: string, effect: Taint['effect'], value?: string): Taint =>
    value === undefined ? { key, effect } : { key, value, effect };
  const toleration = (t: Partial<Toleration>): Toleration => ({ operator: 'Equal', ...t }) as Toleration;

  it("follows Kubernetes' rules", () => {
    expect(tolerates(toleration({ operator: 'Exists' }), taint('any', 'NoExecute', 'x'))).toBe(true);
    expect(tolerates(toleration({ key: 'k', operator: 'Exists' }), taint('k', 'PreferNoSchedule', 'v'))).toBe(true);
    expect(tolerates(toleration({ key: 'k', operator: 'Exists' }), taint('other', 'NoSchedule'))).toBe(false);
    expect(tolerates(toleration({ key: 'k', value: 'v', effect: 'NoSchedule' }), taint('k', 'NoSchedule', 'v'))).toBe(
      true,
    );
    expect(tolerates(toleration({ key: 'k', value: 'v', effect: 'NoSchedule' }), taint('k', 'NoExecute', 'v'))).toBe(
      false,
    );
    expect(tolerates(toleration({ key: 'k' }), taint('k', 'NoSchedule'))).toBe(true);
    expect(tolerates(toleration({ key: 'k', value: 'v' }), taint('k', 'NoSchedule'))).toBe(false);
  });

  it('returns the first untolerated taint the predicate selects', () => {
    const taints = [taint('a', 'PreferNoSchedule'), taint('b', 'NoSchedule', '1'), taint('c', 'NoExecute')];
    expect(findUntoleratedTaint(taints, [], isDoNotScheduleTaint)).toEqual(taints[1]);
    expect(findUntoleratedTaint(taints, [])).toEqual(taints[0]);
    expect(findUntoleratedTaint(taints, [toleration({ key: 'b', operator: 'Exists' })], isDoNotScheduleTaint)).toEqual(
      taints[2],
    );
    expect(findUntoleratedTaint(undefined, undefined)).toBeUndefined();
  });
});

describe('TaintToleration plugin', () => {
  it('requeues on node changes and the pod gaining a toleration', () => {
    expect(plugin().name).toBe(TAINT_TOLERATION);
    expect(plugin().events).toEqual(['NodeAdd', 'NodeUpdate', 'PodUpdate']);
  });

  it('takes no args', () => {
    expect(taintToleration({}, handleFor(clusterOf([]))).name).toBe('TaintToleration');
    expect(() => taintToleration({ weight: 3 }, handleFor(clusterOf([])))).toThrow(InvalidError);
    expect(() => taintToleration({ weight: 3 }, handleFor(clusterOf([])))).toThrow(
      'TaintToleration args: this plugin takes no args',
    );
  });
});
