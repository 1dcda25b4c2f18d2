import { everything, type LabelSelector, labelSelectorFromStructured, nothing } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { makeNode } from '../../../test/harness';
import { NodeInfo } from '../../framework/nodeInfo';
import { podInfoOf } from '../../framework/podInfo';
import { countMatchingPods } from './counts';
import { placed } from './fixtures';

const fooSelector = labelSelectorFromStructured({ matchLabels: { app: 'foo' } });

function nodeWith(...labels: Record<string, string>[]): NodeInfo {
  const node = new NodeInfo(makeNode('node-a'));
  for (const [i, l] of labels.entries()) node.addPod(podInfoOf(placed(`p${i}`, 'node-a', l)));
  return node;
}

describe('countMatchingPods', () => {
  it('follows pods added to, relabelled on and removed from the node', () => {
    const node = nodeWith({ app: 'foo' }, { app: 'bar' });
    expect(countMatchingPods(node, fooSelector, 'default')).toBe(1);
    node.addPod(podInfoOf(placed('p9', 'node-a', { app: 'foo' })));
    expect(countMatchingPods(node, fooSelector, 'default')).toBe(2);
    // The same pod updated with other labels.
    node.addPod(podInfoOf(placed('p9', 'node-a', { app: 'bar' })));
    expect(countMatchingPods(node, fooSelector, 'default')).toBe(1);
    node.removePod('default/p0');
    expect(countMatchingPods(node, fooSelector, 'default')).toBe(0);
  });

  it('keeps namespaces and equal-looking selectors apart', () => {
    const node = nodeWith({ app: 'foo' });
    expect(countMatchingPods(node, fooSelector, 'other')).toBe(0);
    expect(countMatchingPods(node, fooSelector, 'default')).toBe(1);
    // Both print as '' but one selects every pod and the other none.
    expect(countMatchingPods(node, everything, 'default')).toBe(1);
    expect(countMatchingPods(node, nothing, 'default')).toBe(0);
    // A different selector object with the same meaning shares the count.
    expect(countMatchingPods(node, labelSelectorFromStructured({ matchLabels: { app: 'foo' } }), 'default')).toBe(1);
  });

  it('counts again after a relabel or a deletion mark, not after a status-only update', () => {
    const pod = placed('p0', 'node-a', { app: 'foo' });
    const node = new NodeInfo(makeNode('node-a'));
    node.addPod(podInfoOf(pod));
    let walks = 0;
    const counting = {
      empty: false,
      toString: () => fooSelector.toString(),
      matches: (labels: Readonly<Record<string, string>> | undefined) => {
        walks++;
        return fooSelector.matches(labels);
      },
    } as unknown as LabelSelector;
    expect(countMatchingPods(node, counting, 'default')).toBe(1);
    expect(walks).toBe(1);
    // The kubelet reports Running: same metadata, new status.
    node.addPod(podInfoOf({ ...pod, status: { phase: 'Running' } }));
    expect(countMatchingPods(node, counting, 'default')).toBe(1);
    expect(walks).toBe(1);
    node.addPod(podInfoOf({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }));
    expect(countMatchingPods(node, counting, 'default')).toBe(0);
  });

  it('keeps counts of selectors used in turn apart, and current after pods change', () => {
    const node = nodeWith({ app: 'foo' }, { app: 'bar' }, { app: 'bar' });
    const barSelector = labelSelectorFromStructured({ matchLabels: { app: 'bar' } });
    expect(countMatchingPods(node, fooSelector, 'default')).toBe(1);
    expect(countMatchingPods(node, barSelector, 'default')).toBe(2);
    expect(countMatchingPods(node, fooSelector, 'other')).toBe(0);
    expect(countMatchingPods(node, fooSelector, 'default')).toBe(1);
    node.addPod(podInfoOf(placed('p9', 'node-a', { app: 'foo' })));
    expect(countMatchingPods(node, barSelector, 'default')).toBe(2);
    expect(countMatchingPods(node, fooSelector, 'default')).toBe(2);
    node.removePod('default/p1');
    expect(countMatchingPods(node, fooSelector, 'default')).toBe(2);
    expect(countMatchingPods(node, barSelector, 'default')).toBe(1);
    // A copy of the node counts on its own.
    const copy = node.clone();
    copy.removePod('default/p0');
    expect(countMatchingPods(copy, fooSelector, 'default')).toBe(1);
    expect(countMatchingPods(node, fooSelector, 'default')).toBe(2);
  });

  it('does not count terminating pods', () => {
    const node = nodeWith({ app: 'foo' });
    node.addPod(podInfoOf(placed('p0', 'node-a', { app: 'foo' }, { deletionTimestamp: '2026-01-01T00:00:00Z' })));
    expect(countMatchingPods(node, fooSelector, 'default')).toBe(0);
  });
});
