import { InvalidError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { clusterOf, handleFor, makeNode, makePod } from '../../test/harness';
import { CycleState, type NodeInfo, podInfoOf } from '../framework/index';
import { ERR_REASON_NODE_NAME, NODE_NAME, nodeName } from './nodeName';

const cluster = clusterOf([makeNode('foo'), makeNode('bar')]);
const plugin = nodeName(undefined, handleFor(cluster));
const foo = cluster.get('foo') as NodeInfo;

function filter(spec: { nodeName?: string }) {
  return plugin.filter?.(new CycleState(), podInfoOf(makePod('pod', spec)), foo);
}

describe('NodeName Filter (upstream TestNodeName)', () => {
  it('passes a pod that names no node', () => {
    expect(filter({})).toBeUndefined();
  });

  it('passes the named node', () => {
    expect(filter({ nodeName: 'foo' })).toBeUndefined();
  });

  it('rejects any other node, unresolvably', () => {
    expect(filter({ nodeName: 'bar' })).toMatchObject({
      code: 'UnschedulableAndUnresolvable',
      reasons: ["node(s) didn't match the requested node name"],
    });
    expect(ERR_REASON_NODE_NAME).toBe("node(s) didn't match the requested node name");
  });
});

describe('NodeName plugin', () => {
  it('has no PreFilter, as upstream (the Filter alone rejects other nodes)', () => {
    expect(plugin.preFilter).toBeUndefined();
    expect(plugin.name).toBe(NODE_NAME);
  });

  it('requeues on node additions and updates, and takes no args', () => {
    expect(plugin.events).toEqual(['NodeAdd', 'NodeUpdate']);
    expect(() => nodeName({ nodeName: 'foo' }, handleFor(cluster))).toThrow(InvalidError);
  });
});
