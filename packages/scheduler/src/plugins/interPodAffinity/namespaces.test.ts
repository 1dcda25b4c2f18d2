import { describe, expect, it } from 'vitest';
import { makeNode } from '../../../test/harness';
import { affinityPod, filterEach, inValues } from './fixtures';
import { createInterPodAffinity } from './plugin';

describe('InterPodAffinity namespaces', () => {
  const nodes = () => [makeNode('node-1', { labels: { zone: 'z1' } }), makeNode('node-2', { labels: { zone: 'z2' } })];
  const pods = () => [
    affinityPod('a', { labels: { app: 'db' }, nodeName: 'node-1', namespace: 'team-a' }),
    affinityPod('b', { labels: { app: 'db' }, nodeName: 'node-2', namespace: 'team-b' }),
  ];
  const wantsDb = (namespaceSelector: object) =>
    affinityPod('p', { affinity: [{ labelSelector: inValues('app', 'db'), topologyKey: 'zone', namespaceSelector }] });

  it('an empty namespaceSelector selects pods of every namespace', () => {
    expect(filterEach(wantsDb({}), nodes(), pods()).codes).toEqual({ 'node-1': 'Success', 'node-2': 'Success' });
  });

  it('without namespace labels a non-empty namespaceSelector selects nothing', () => {
    const codes = filterEach(wantsDb({ matchLabels: { team: 'a' } }), nodes(), pods()).codes;
    expect(codes).toEqual({ 'node-1': 'UnschedulableAndUnresolvable', 'node-2': 'UnschedulableAndUnresolvable' });
  });

  it('with the namespaceLabels hook the selector picks namespaces by their labels', () => {
    const labels = new Map([
      ['team-a', { team: 'a' }],
      ['team-b', { team: 'b' }],
    ]);
    const factory = createInterPodAffinity({ namespaceLabels: (ns) => labels.get(ns) });
    expect(filterEach(wantsDb({ matchLabels: { team: 'a' } }), nodes(), pods(), factory).codes).toEqual({
      'node-1': 'Success',
      'node-2': 'UnschedulableAndUnresolvable',
    });
  });

  it('terms without namespaces match only the owning pod namespace', () => {
    const pod = affinityPod('p', {
      namespace: 'team-b',
      affinity: [{ labelSelector: inValues('app', 'db'), topologyKey: 'zone' }],
    });
    expect(filterEach(pod, nodes(), pods()).codes).toEqual({
      'node-1': 'UnschedulableAndUnresolvable',
      'node-2': 'Success',
    });
  });

  it('matchLabelKeys narrow the selector to pods sharing the incoming pod values', () => {
    const revisioned = [
      affinityPod('v1', { labels: { app: 'db', rev: 'v1' }, nodeName: 'node-1' }),
      affinityPod('v2', { labels: { app: 'db', rev: 'v2' }, nodeName: 'node-2' }),
    ];
    const pod = affinityPod('p', {
      labels: { rev: 'v2' },
      affinity: [{ labelSelector: inValues('app', 'db'), topologyKey: 'zone', matchLabelKeys: ['rev'] }],
    });
    expect(filterEach(pod, nodes(), revisioned).codes).toEqual({
      'node-1': 'UnschedulableAndUnresolvable',
      'node-2': 'Success',
    });
  });
});
