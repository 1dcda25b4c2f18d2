import type { Pod } from '@keelson/api';
import { InvalidError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { clusterOf, handleFor, makeNode, makePod } from '../../test/harness';
import { CycleState, type NodeInfo, podInfoOf } from '../framework/index';
import { ERR_REASON_UNSCHEDULABLE, NODE_UNSCHEDULABLE, nodeUnschedulable } from './nodeUnschedulable';

function filter(pod: Pod, unschedulable: boolean) {
  const cluster = clusterOf([makeNode('node-a', { spec: { unschedulable } })]);
  const plugin = nodeUnschedulable(undefined, handleFor(cluster));
  return plugin.filter?.(new CycleState(), podInfoOf(pod), cluster.nodes[0] as NodeInfo);
}

const withTolerations = (tolerations: object[]) => makePod('pod', { tolerations } as object);

describe('NodeUnschedulable Filter (upstream TestNodeUnschedulable)', () => {
  it('does not schedule a pod onto a cordoned node', () => {
    const status = filter(makePod('pod'), true);
    expect(status).toMatchObject({ code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'] });
    expect(ERR_REASON_UNSCHEDULABLE).toBe('node(s) were unschedulable');
  });

  it('schedules a pod onto a normal node', () => {
    expect(filter(makePod('pod'), false)).toBeUndefined();
  });

  it('schedules a pod tolerating node.kubernetes.io/unschedulable:NoSchedule onto a cordoned node', () => {
    const pod = withTolerations([{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);
    expect(filter(pod, true)).toBeUndefined();
  });

  it('accepts any toleration that matches the taint: Exists on the key, or tolerate-everything', () => {
    expect(filter(withTolerations([{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists' }]), true)).toBe(
      undefined,
    );
    expect(filter(withTolerations([{ operator: 'Exists' }]), true)).toBeUndefined();
  });

  it('rejects tolerations of another effect or key', () => {
    const noExecute = withTolerations([
      { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoExecute' },
    ]);
    expect(filter(noExecute, true)?.code).toBe('UnschedulableAndUnresolvable');
    const otherKey = withTolerations([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }]);
    expect(filter(otherKey, true)?.reasons).toEqual(['node(s) were unschedulable']);
  });
});

describe('NodeUnschedulable plugin', () => {
  it('requeues on node changes and toleration updates, and takes no args', () => {
    const plugin = nodeUnschedulable(undefined, handleFor(clusterOf([])));
    expect(plugin.name).toBe(NODE_UNSCHEDULABLE);
    expect(plugin.events).toEqual(['NodeAdd', 'NodeUpdate', 'PodUpdate']);
    expect(() => nodeUnschedulable({ strict: true }, handleFor(clusterOf([])))).toThrow(InvalidError);
  });
});
