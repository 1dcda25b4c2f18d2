import { describe, expect, it } from 'vitest';
import { makeNode } from '../../../test/harness';
import { ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH } from './filter';
import { affinityPod, filterEach, inValues } from './fixtures';

describe('InterPodAffinity addPod / removePod', () => {
  it('preemption clones see victims leave; the original state is untouched', () => {
    const nodes = [makeNode('node-1', { labels: { zone: 'z1' } }), makeNode('node-2', { labels: { zone: 'z2' } })];
    const guard = affinityPod('guard', {
      labels: { app: 'guard' },
      nodeName: 'node-1',
      antiAffinity: [{ labelSelector: inValues('app', 'web'), topologyKey: 'zone' }],
    });
    const pod = affinityPod('web', { labels: { app: 'web' } });
    const { state, plugin, cluster, info } = filterEach(pod, nodes, [guard]);
    const node1 = cluster.get('node-1');
    const victim = node1?.pods.get('default/guard');
    if (node1 === undefined || victim === undefined) throw new Error('missing fixture');
    expect(plugin.filter?.(state, info, node1)?.reasons).toEqual([ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH]);
    const what = state.clone();
    expect(plugin.removePod?.(what, info, victim, node1)).toBeUndefined();
    expect(plugin.filter?.(what, info, node1)).toBeUndefined();
    expect(plugin.filter?.(state, info, node1)?.code).toBe('Unschedulable');
    plugin.addPod?.(what, info, victim, node1);
    expect(plugin.filter?.(what, info, node1)?.code).toBe('Unschedulable');
  });

  it("removing the only pod the incoming pod's affinity needs leaves its domain unresolvable", () => {
    const nodes = [makeNode('node-1', { labels: { zone: 'z1' } }), makeNode('node-2', { labels: { zone: 'z2' } })];
    const db = affinityPod('db', { labels: { app: 'db' }, nodeName: 'node-1' });
    const pod = affinityPod('app', {
      labels: { app: 'app' },
      affinity: [{ labelSelector: inValues('app', 'db'), topologyKey: 'zone' }],
    });
    const { state, plugin, cluster, info } = filterEach(pod, nodes, [db]);
    const node1 = cluster.get('node-1');
    const victim = node1?.pods.get('default/db');
    if (node1 === undefined || victim === undefined) throw new Error('missing fixture');
    const what = state.clone();
    plugin.removePod?.(what, info, victim, node1);
    expect(plugin.filter?.(what, info, node1)?.code).toBe('UnschedulableAndUnresolvable');
    expect(plugin.filter?.(state, info, node1)).toBeUndefined();
  });
});
