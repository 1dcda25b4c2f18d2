import type { Pod } from '@keelson/api';
import { describe, expect, it } from 'vitest';
import { clusterOf, handleFor, makeNode, makePod } from '../../../test/harness';
import { makeClaim } from '../../../test/volumeFixtures';
import { CycleState, type NodeInfo, podInfoOf, SKIP } from '../../framework/index';
import { createVolumeLister } from './lister';
import { createVolumeRestrictions, ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT } from './volumeRestrictions';

const claims = [
  makeClaim('rwop-1', { modes: ['ReadWriteOncePod'], volumeName: 'pv-1' }),
  makeClaim('rwop-2', { modes: ['ReadWriteOncePod'], volumeName: 'pv-2' }),
  makeClaim('rwx', { modes: ['ReadWriteMany'], volumeName: 'pv-3' }),
];

let count = 0;
function using(names: string[], extra: Record<string, unknown> = {}): Pod {
  const volumes = names.map((claimName, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName } }));
  return makePod(`p${count++}`, { volumes, ...extra } as object);
}

function run(pod: Pod, existing: Pod[]) {
  const cluster = clusterOf([makeNode('node-a'), makeNode('node-b')], existing);
  const plugin = createVolumeRestrictions({ volumes: createVolumeLister({ claims }) })(undefined, handleFor(cluster));
  const state = new CycleState();
  const info = podInfoOf(pod);
  const pre = plugin.preFilter?.(state, info, cluster.nodes);
  const filter = pre === undefined ? plugin.filter?.(state, info, cluster.nodes[1] as NodeInfo) : undefined;
  return { pre, filter, plugin, state, info, cluster };
}

const conflict = { code: 'Unschedulable', reasons: [ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT] };

describe('VolumeRestrictions (upstream TestAccessModeConflicts)', () => {
  it('skips pods without claims, or without ReadWriteOncePod claims', () => {
    expect(run(makePod('plain'), []).pre).toBe(SKIP);
    expect(run(using(['rwx']), [using(['rwx'], { nodeName: 'node-a' })]).pre).toBe(SKIP);
  });

  it('skips when no other pod uses the ReadWriteOncePod claim', () => {
    expect(run(using(['rwop-1']), [using(['rwop-2'], { nodeName: 'node-a' })]).pre).toBe(SKIP);
  });

  it('rejects a pod whose ReadWriteOncePod claim another pod uses, on every node', () => {
    const { pre, filter } = run(using(['rwop-1', 'rwx']), [using(['rwop-1'], { nodeName: 'node-a' })]);
    expect(pre).toBeUndefined();
    expect(filter).toMatchObject(conflict);
  });

  it('ignores pods that have terminated', () => {
    const holder = using(['rwop-1'], { nodeName: 'node-a' });
    const done: Pod = { ...holder, status: { ...holder.status, phase: 'Succeeded' } };
    expect(run(using(['rwop-1']), [done]).pre).toBe(SKIP);
  });

  it('lets preemption see the conflict go when the user is removed', () => {
    const holder = using(['rwop-1'], { nodeName: 'node-a' });
    const { plugin, state, info, cluster } = run(using(['rwop-1']), [holder]);
    const node = cluster.nodes[0] as NodeInfo;
    const copy = state.clone();
    plugin.removePod?.(copy, info, podInfoOf(holder), node);
    expect(plugin.filter?.(copy, info, node)).toBeUndefined();
    expect(plugin.filter?.(state, info, node)).toMatchObject(conflict);
    plugin.addPod?.(copy, info, podInfoOf(holder), node);
    expect(plugin.filter?.(copy, info, node)).toMatchObject(conflict);
  });

  it('rejects a pod whose claim does not exist as unresolvable', () => {
    expect(run(using(['nope']), []).pre).toMatchObject({
      code: 'UnschedulableAndUnresolvable',
      reasons: ['persistentvolumeclaim "nope" not found'],
    });
  });
});
