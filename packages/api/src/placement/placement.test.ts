import { describe, expect, it } from 'vitest';
import type { Node } from '../kinds/node';
import { matchesRequiredNodeAffinity } from './requiredNodeAffinity';
import { findUntoleratedTaint, isDoNotScheduleTaint, isNoExecuteTaint, tolerates } from './taints';

function node(name: string, labels: Record<string, string> = {}): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: {} } as unknown as Node;
}

describe('tolerates', () => {
  const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  it.each([
    [{ key: 'dedicated', operator: 'Equal', value: 'gpu' }, true, 'same value'],
    [{ key: 'dedicated', value: 'gpu' }, true, 'Equal is the default'],
    [{ key: 'dedicated', operator: '', value: 'gpu' }, true, 'an empty operator is Equal'],
    [{ key: 'dedicated', operator: 'Equal', value: 'cpu' }, false, 'other value'],
    [{ key: 'dedicated', operator: 'Exists' }, true, 'Exists ignores the value'],
    [{ operator: 'Exists' }, true, 'empty key with Exists matches every taint'],
    [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, false, 'other effect'],
    [{ key: 'dedicated', operator: 'Exists', effect: '' }, true, 'an empty effect matches every effect'],
    [{ key: 'dedicated', operator: 'Gt', value: 'gpu' }, false, 'unknown operators match nothing'],
  ])('%j → %s (%s)', (toleration, expected, _why) => {
    expect(tolerates(toleration, taint)).toBe(expected);
  });
});

describe('findUntoleratedTaint', () => {
  const taints = [
    { key: 'soft', effect: 'PreferNoSchedule' },
    { key: 'hard', effect: 'NoSchedule' },
    { key: 'evict', effect: 'NoExecute' },
  ];
  it('returns the first untolerated taint the filter selects', () => {
    expect(findUntoleratedTaint(taints, [], isDoNotScheduleTaint)?.key).toBe('hard');
    expect(findUntoleratedTaint(taints, [{ key: 'hard', operator: 'Exists' }], isDoNotScheduleTaint)?.key).toBe(
      'evict',
    );
    expect(findUntoleratedTaint(taints, [], isNoExecuteTaint)?.key).toBe('evict');
    expect(findUntoleratedTaint(taints, undefined)?.key).toBe('soft');
  });
  it('returns undefined when everything selected is tolerated', () => {
    expect(findUntoleratedTaint(taints, [{ operator: 'Exists' }])).toBeUndefined();
    expect(findUntoleratedTaint(undefined, [])).toBeUndefined();
  });
});

describe('matchesRequiredNodeAffinity', () => {
  const zoneA = node('n1', { zone: 'a', cores: '16' });
  const required = (terms: unknown[]) => ({
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } },
  });

  it('needs every nodeSelector pair', () => {
    expect(matchesRequiredNodeAffinity({}, zoneA)).toBe(true);
    expect(matchesRequiredNodeAffinity({ nodeSelector: { zone: 'a' } }, zoneA)).toBe(true);
    expect(matchesRequiredNodeAffinity({ nodeSelector: { zone: 'a', disk: 'ssd' } }, zoneA)).toBe(false);
  });

  it.each([
    [{ key: 'zone', operator: 'In', values: ['a', 'b'] }, true],
    [{ key: 'zone', operator: 'NotIn', values: ['a'] }, false],
    [{ key: 'zone', operator: 'Exists' }, true],
    [{ key: 'zone', operator: 'DoesNotExist' }, false],
    [{ key: 'cores', operator: 'Gt', values: ['8'] }, true],
    [{ key: 'cores', operator: 'Lt', values: ['8'] }, false],
    [{ key: 'cores', operator: 'Gt', values: ['many'] }, false],
  ])('matchExpressions %j → %s', (expression, expected) => {
    expect(matchesRequiredNodeAffinity(required([{ matchExpressions: [expression] }]) as never, zoneA)).toBe(expected);
  });

  it('matches metadata.name through matchFields, and ORs terms', () => {
    const byName = (name: string) => ({ matchFields: [{ key: 'metadata.name', operator: 'In', values: [name] }] });
    expect(matchesRequiredNodeAffinity(required([byName('n1')]) as never, zoneA)).toBe(true);
    expect(matchesRequiredNodeAffinity(required([byName('n2')]) as never, zoneA)).toBe(false);
    expect(matchesRequiredNodeAffinity(required([byName('n2'), byName('n1')]) as never, zoneA)).toBe(true);
  });

  it('matches nothing with no terms or only empty terms', () => {
    expect(matchesRequiredNodeAffinity(required([]) as never, zoneA)).toBe(false);
    expect(matchesRequiredNodeAffinity(required([{}]) as never, zoneA)).toBe(false);
  });
});
