import type { Pod } from '@keelson/api';
import { describe, expect, it } from 'vitest';
import { clusterOf, handleFor, makeNode, makePod } from '../../test/harness';
import { CycleState, type NodeInfo, podInfoOf, SKIP } from '../framework/index';
import { ERR_REASON_CONFLICT, ERR_REASON_ENFORCED, ERR_REASON_POD, nodeAffinity } from './nodeAffinity';

type Requirement = { key: string; operator: string; values?: string[] };
type Term = { matchExpressions?: Requirement[]; matchFields?: Requirement[] };

const expr = (key: string, operator: string, values?: string[]): Requirement =>
  values === undefined ? { key, operator } : { key, operator, values };
const nameIn = (...names: string[]): Requirement => expr('metadata.name', 'In', names);
const requiredAffinity = (...terms: Term[]) => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
});
const podWith = (spec: object): Pod => makePod('pod', spec as never);
const podRequiring = (...terms: Term[]) => podWith({ affinity: requiredAffinity(...terms) });

/** PreFilter then Filter of `pod` against one node, as upstream's TestNodeAffinity. */
function run(pod: Pod, options: { labels?: Record<string, string>; name?: string; args?: unknown } = {}) {
  const cluster = clusterOf([makeNode(options.name ?? 'node-x', { labels: options.labels ?? {} })]);
  const plugin = nodeAffinity(options.args, handleFor(cluster));
  const state = new CycleState();
  const info = podInfoOf(pod);
  const pre = plugin.preFilter?.(state, info, cluster.nodes);
  return { pre, filter: plugin.filter?.(state, info, cluster.nodes[0] as NodeInfo) };
}

const rejected = { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_POD] };

describe('NodeAffinity Filter: nodeSelector (upstream TestNodeAffinity)', () => {
  const selector = (nodeSelector: Record<string, string>) => podWith({ nodeSelector });

  it('missing labels', () => {
    expect(run(selector({ foo: 'bar' })).filter).toMatchObject(rejected);
  });
  it('same labels', () => {
    expect(run(selector({ foo: 'bar' }), { labels: { foo: 'bar' } })).toEqual({ pre: undefined, filter: undefined });
  });
  it('node labels are a superset', () => {
    expect(run(selector({ foo: 'bar' }), { labels: { foo: 'bar', baz: 'blah' } }).filter).toBeUndefined();
  });
  it('node labels are a subset', () => {
    expect(run(selector({ foo: 'bar', baz: 'blah' }), { labels: { foo: 'bar' } }).filter).toMatchObject(rejected);
  });
  it('the kubernetes.io nodeSelector example: disktype=ssd', () => {
    const pod = selector({ disktype: 'ssd' });
    expect(run(pod, { labels: { disktype: 'ssd' } }).filter).toBeUndefined();
    expect(run(pod, { labels: { disktype: 'hdd' } }).filter).toMatchObject(rejected);
  });
  it('an inherited member is not a label', () => {
    expect(run(podRequiring({ matchExpressions: [expr('constructor', 'Exists')] })).filter).toMatchObject(rejected);
    expect(run(podRequiring({ matchExpressions: [expr('toString', 'DoesNotExist')] })).filter).toBeUndefined();
  });
});

describe('NodeAffinity Filter: required node affinity (upstream TestNodeAffinity)', () => {
  const cases: Array<[string, Term[], Record<string, string>, boolean]> = [
    ['In that matches', [{ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] }], { foo: 'bar' }, true],
    [
      'Gt that matches (0206 > 0204)',
      [{ matchExpressions: [expr('kernel-version', 'Gt', ['0204'])] }],
      { 'kernel-version': '0206' },
      true,
    ],
    [
      'NotIn that matches',
      [{ matchExpressions: [expr('mem-type', 'NotIn', ['DDR', 'DDR2'])] }],
      { 'mem-type': 'DDR3' },
      true,
    ],
    ['Exists that matches', [{ matchExpressions: [expr('GPU', 'Exists')] }], { GPU: 'NVIDIA-GRID-K1' }, true],
    [
      'In that does not match',
      [{ matchExpressions: [expr('foo', 'In', ['value1', 'value2'])] }],
      { foo: 'bar' },
      false,
    ],
    ['empty matchExpressions match nothing', [{ matchExpressions: [] }], { foo: 'bar' }, false],
    [
      'expressions ANDed, all hold',
      [{ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'NotIn', ['AMD', 'INTER'])] }],
      { GPU: 'NVIDIA-GRID-K1' },
      true,
    ],
    [
      'expressions ANDed, one fails',
      [{ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'In', ['AMD', 'INTER'])] }],
      { GPU: 'NVIDIA-GRID-K1' },
      false,
    ],
    [
      'terms ORed, one holds',
      [
        { matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] },
        { matchExpressions: [expr('diffkey', 'In', ['wrong', 'value2'])] },
      ],
      { foo: 'bar' },
      true,
    ],
    [
      'an invalid value makes the term match nothing',
      [{ matchExpressions: [expr('foo', 'NotIn', ['invalid value: ___@#$%^'])] }],
      { foo: 'bar' },
      false,
    ],
    ['DoesNotExist', [{ matchExpressions: [expr('GPU', 'DoesNotExist')] }], { foo: 'bar' }, true],
    ['Lt that matches', [{ matchExpressions: [expr('cores', 'Lt', ['8'])] }], { cores: '4' }, true],
    ['Lt on a non-integer label fails', [{ matchExpressions: [expr('cores', 'Lt', ['8'])] }], { cores: 'four' }, false],
    ['Gt on a missing label fails', [{ matchExpressions: [expr('cores', 'Gt', ['1'])] }], {}, false],
    [
      'Gt with a non-integer bound matches nothing',
      [{ matchExpressions: [expr('cores', 'Gt', ['one'])] }],
      { cores: '4' },
      false,
    ],
    [
      'Gt past 2^53 compares exactly',
      [{ matchExpressions: [expr('big', 'Gt', ['9223372036854775806'])] }],
      { big: '9223372036854775807' },
      true,
    ],
    [
      'Gt beyond int64 fails',
      [{ matchExpressions: [expr('big', 'Gt', ['1'])] }],
      { big: '9223372036854775808' },
      false,
    ],
    [
      'Exists with values matches nothing',
      [{ matchExpressions: [expr('foo', 'Exists', ['bar'])] }],
      { foo: 'bar' },
      false,
    ],
    ['In without values matches nothing', [{ matchExpressions: [expr('foo', 'In', [])] }], { foo: 'bar' }, false],
  ];
  for (const [name, terms, labels, fits] of cases) {
    it(`${name}: ${fits ? 'fits' : 'rejected'}`, () => {
      const result = run(podRequiring(...terms), { labels });
      expect(result.pre).toBeUndefined();
      if (fits) expect(result.filter).toBeUndefined();
      else expect(result.filter).toMatchObject(rejected);
    });
  }

  it('an empty term list matches no node (and narrows nothing)', () => {
    expect(run(podRequiring(), { labels: { foo: 'bar' } })).toEqual({ pre: undefined, filter: rejected });
  });

  it('nodeSelector and affinity must both hold', () => {
    const pod = podWith({
      nodeSelector: { foo: 'bar' },
      affinity: requiredAffinity({ matchExpressions: [expr('foo', 'Exists')] }),
    });
    expect(run(pod, { labels: { foo: 'bar' } }).filter).toBeUndefined();
    expect(run(pod, { labels: { foo: 'barrrrrr' } }).filter).toMatchObject(rejected);
  });

  it('the kubernetes.io pod-with-node-affinity example: zone antarctica-east1 or antarctica-west1', () => {
    const pod = podRequiring({
      matchExpressions: [expr('topology.kubernetes.io/zone', 'In', ['antarctica-east1', 'antarctica-west1'])],
    });
    expect(run(pod, { labels: { 'topology.kubernetes.io/zone': 'antarctica-west1' } }).filter).toBeUndefined();
    expect(run(pod, { labels: { 'topology.kubernetes.io/zone': 'antarctica-south1' } }).filter).toMatchObject(rejected);
  });
});

describe('NodeAffinity PreFilter (upstream TestNodeAffinity)', () => {
  it('skips a pod with no affinity, or affinity without a required selector', () => {
    expect(run(makePod('plain'), { labels: { foo: 'bar' } }).pre).toBe(SKIP);
    expect(run(podWith({ affinity: { nodeAffinity: {} } })).pre).toBe(SKIP);
  });

  it('matchFields In narrows to the named node, and filters on it', () => {
    const pod = podRequiring({ matchFields: [nameIn('node1')] });
    expect(run(pod, { name: 'node1' })).toEqual({ pre: { nodeNames: new Set(['node1']) }, filter: undefined });
    expect(run(pod, { name: 'node2' })).toEqual({ pre: { nodeNames: new Set(['node1']) }, filter: rejected });
  });

  it('two terms, one without matchFields: no narrowing; the expressions term matches', () => {
    const pod = podRequiring(
      { matchFields: [nameIn('node1'), nameIn('node2')] },
      { matchExpressions: [expr('foo', 'In', ['bar'])] },
    );
    expect(run(pod, { name: 'node2', labels: { foo: 'bar' } })).toEqual({ pre: undefined, filter: undefined });
  });

  it('one term with fields and expressions: narrows, and both must hold', () => {
    const pod = podRequiring({ matchFields: [nameIn('node1')], matchExpressions: [expr('foo', 'In', ['bar'])] });
    expect(run(pod, { name: 'node2', labels: { foo: 'bar' } })).toEqual({
      pre: { nodeNames: new Set(['node1']) },
      filter: rejected,
    });
    expect(run(pod, { name: 'node1', labels: { foo: 'bar' } }).filter).toBeUndefined();
  });

  it('two terms where neither matches', () => {
    const pod = podRequiring(
      { matchFields: [nameIn('node1')] },
      { matchExpressions: [expr('foo', 'In', ['not-match-to-bar'])] },
    );
    expect(run(pod, { name: 'node2', labels: { foo: 'bar' } })).toEqual({ pre: undefined, filter: rejected });
  });

  it('two node-name terms narrow to their union', () => {
    const pod = podRequiring({ matchFields: [nameIn('node1')] }, { matchFields: [nameIn('node2')] });
    expect(run(pod, { name: 'node2' })).toEqual({ pre: { nodeNames: new Set(['node1', 'node2']) }, filter: undefined });
  });

  it('conflicting node-name requirements reject the pod in PreFilter', () => {
    const pod = podRequiring({ matchFields: [nameIn('node1'), nameIn('node2')] });
    const result = run(pod, { name: 'node2', labels: { foo: 'bar' } });
    expect(result.pre).toMatchObject({ code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_CONFLICT] });
    expect(ERR_REASON_CONFLICT).toBe('pod affinity terms conflict');
    expect(result.filter).toMatchObject(rejected);
  });

  it('matchFields NotIn excludes the node without narrowing', () => {
    const pod = podRequiring({ matchFields: [expr('metadata.name', 'NotIn', ['node1'])] });
    expect(run(pod, { name: 'node1' })).toEqual({ pre: undefined, filter: rejected });
    expect(run(pod, { name: 'node2' }).filter).toBeUndefined();
  });
});

describe('NodeAffinity addedAffinity (upstream TestNodeAffinity)', () => {
  const addedNode2 = { addedAffinity: requiredAffinity({ matchFields: [nameIn('node2')] }).nodeAffinity };

  it("matches the added affinity and the pod's own", () => {
    const pod = podRequiring({ matchExpressions: [expr('zone', 'In', ['foo'])] });
    expect(run(pod, { name: 'node2', labels: { zone: 'foo' }, args: addedNode2 }).filter).toBeUndefined();
  });

  it("matches the added affinity but not the pod's", () => {
    const pod = podRequiring({ matchExpressions: [expr('zone', 'In', ['bar'])] });
    expect(run(pod, { name: 'node2', labels: { zone: 'foo' }, args: addedNode2 }).filter).toMatchObject(rejected);
  });

  it("doesn't match the added affinity: scheduler-enforced reason, and no Skip for a plain pod", () => {
    const args = { addedAffinity: requiredAffinity({ matchExpressions: [expr('zone', 'In', ['bar'])] }).nodeAffinity };
    const result = run(makePod('plain'), { name: 'node2', labels: { zone: 'foo' }, args });
    expect(result.pre).toBeUndefined();
    expect(result.filter).toMatchObject({ code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_ENFORCED] });
    expect(ERR_REASON_ENFORCED).toBe("node(s) didn't match scheduler-enforced node affinity");
  });
});
