import { describe, expect, it } from 'vitest';
import { makeNode } from '../../../test/harness';
import {
  compileNodeSelector,
  compilePreferredTerms,
  labelsMatchSelectorMap,
  type NodeSelectorRequirement,
  nodeSelectorMatches,
  preferredScore,
} from './nodeSelector';

const node = makeNode('node-1', { labels: { zone: 'a', cores: '16', gen: '007' } });
const req = (key: string, operator: NodeSelectorRequirement['operator'], values?: string[]): NodeSelectorRequirement =>
  values === undefined ? { key, operator } : { key, operator, values };

describe('compileNodeSelector', () => {
  it('ORs terms and ANDs requirements', () => {
    const selector = compileNodeSelector({
      nodeSelectorTerms: [
        { matchExpressions: [req('zone', 'In', ['b'])] },
        { matchExpressions: [req('zone', 'In', ['a']), req('cores', 'Gt', ['8'])] },
      ],
    });
    expect(selector.errors).toEqual([]);
    expect(nodeSelectorMatches(selector, node)).toBe(true);
    const stricter = compileNodeSelector({
      nodeSelectorTerms: [{ matchExpressions: [req('zone', 'In', ['a']), req('cores', 'Gt', ['16'])] }],
    });
    expect(nodeSelectorMatches(stricter, node)).toBe(false);
  });

  it('compares Gt / Lt as integers, leading zeros and signs included', () => {
    const match = (operator: 'Gt' | 'Lt', key: string, bound: string) =>
      nodeSelectorMatches(
        compileNodeSelector({ nodeSelectorTerms: [{ matchExpressions: [req(key, operator, [bound])] }] }),
        node,
      );
    expect(match('Gt', 'cores', '9')).toBe(true); // 16 > 9, not '16' < '9'
    expect(match('Lt', 'cores', '100')).toBe(true);
    expect(match('Gt', 'gen', '6')).toBe(true);
    expect(match('Lt', 'gen', '0007')).toBe(false);
    expect(match('Gt', 'zone', '0')).toBe(false);
  });

  it('drops empty terms and keeps parse errors with their paths', () => {
    const selector = compileNodeSelector({
      nodeSelectorTerms: [
        {},
        { matchExpressions: [req('bad key', 'In', ['x']), req('n', 'Gt', ['1', '2'])] },
        { matchFields: [req('metadata.name', 'In', ['a', 'b'])] },
      ],
    });
    expect(selector.terms).toHaveLength(2);
    expect(selector.errors[0]).toMatch(
      /^nodeSelectorTerms\[1\]\.matchExpressions\[0\]\.key: Invalid value: "bad key": /,
    );
    expect(selector.errors).toContain(
      `nodeSelectorTerms[1].matchExpressions[1].values: Invalid value: ["1", "2"]: for 'Gt', 'Lt' operators, exactly one value is required`,
    );
    expect(selector.errors).toContain(
      'nodeSelectorTerms[2].matchFields[0].values: Invalid value: ["a", "b"]: must have one element',
    );
    expect(nodeSelectorMatches(selector, node)).toBe(false);
  });

  it('reads metadata.name for matchFields, and an unknown field as empty', () => {
    const fields = (requirement: NodeSelectorRequirement) =>
      nodeSelectorMatches(compileNodeSelector({ nodeSelectorTerms: [{ matchFields: [requirement] }] }), node);
    expect(fields(req('metadata.name', 'In', ['node-1']))).toBe(true);
    expect(fields(req('metadata.name', 'NotIn', ['node-1']))).toBe(false);
    expect(fields(req('spec.providerID', 'NotIn', ['x']))).toBe(true);
    expect(fields(req('spec.providerID', 'In', ['x']))).toBe(false);
  });

  it('uses a set for many values', () => {
    const values = Array.from({ length: 20 }, (_, i) => `z${i}`);
    const selector = compileNodeSelector({
      nodeSelectorTerms: [{ matchExpressions: [req('zone', 'In', [...values, 'a'])] }],
    });
    expect(nodeSelectorMatches(selector, node)).toBe(true);
  });
});

describe('compilePreferredTerms / preferredScore', () => {
  it('sums the weights of matching terms and ignores empty ones', () => {
    const preferred = compilePreferredTerms([
      { weight: 10, preference: { matchExpressions: [req('zone', 'In', ['a'])] } },
      { weight: 20, preference: { matchExpressions: [req('zone', 'In', ['b'])] } },
      { weight: 30, preference: {} },
      { weight: 40, preference: { matchFields: [req('metadata.name', 'In', ['node-1'])] } },
    ]);
    expect(preferred.terms).toHaveLength(3);
    expect(preferredScore(preferred, node)).toBe(50);
  });

  it('leaves out a broken term and reports it', () => {
    const preferred = compilePreferredTerms([
      { weight: 10, preference: { matchExpressions: [req('zone', 'Exists', ['a'])] } },
      { weight: 5, preference: { matchExpressions: [req('zone', 'Exists')] } },
    ]);
    expect(preferred.errors).toEqual([
      '[0].matchExpressions[0].values: Invalid value: ["a"]: values set must be empty for exists and does not exist',
    ]);
    expect(preferredScore(preferred, node)).toBe(5);
  });
});

describe('labelsMatchSelectorMap', () => {
  it('needs every pair', () => {
    expect(labelsMatchSelectorMap([['zone', 'a']], node.metadata.labels)).toBe(true);
    expect(
      labelsMatchSelectorMap(
        [
          ['zone', 'a'],
          ['cores', '8'],
        ],
        node.metadata.labels,
      ),
    ).toBe(false);
    expect(labelsMatchSelectorMap([['zone', 'a']], undefined)).toBe(false);
  });
});
