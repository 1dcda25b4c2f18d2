import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '@keelson/api';
import { describe, expect, it } from 'vitest';
import { clusterOf, handleFor, makeNode, makePod } from '../../../test/harness';
import { makeClaim, makeClass, makeVolume, ZONE } from '../../../test/volumeFixtures';
import { CycleState, type NodeInfo, podInfoOf, SKIP } from '../../framework/index';
import { AssumedVolumes } from './assumed';
import { createVolumeLister } from './lister';
import {
  ERR_REASON_BIND_CONFLICT,
  ERR_REASON_NODE_CONFLICT,
  ERR_REASON_PV_NOT_EXIST,
  ERR_REASON_UNBOUND_IMMEDIATE,
} from './podVolumes';
import { createVolumeBinding } from './volumeBinding';

const nodes = [makeNode('node-a', { labels: { [ZONE]: 'z1' } }), makeNode('node-b', { labels: { [ZONE]: 'z2' } })];
const wait = makeClass('wait');
const immediate = makeClass('immediate', { mode: 'Immediate' });

function podWith(...claims: string[]) {
  return makePod('p', {
    volumes: claims.map((claimName, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName } })),
  } as object);
}

interface Fixture {
  claims?: PersistentVolumeClaim[];
  volumes?: PersistentVolume[];
  classes?: StorageClass[];
  assumed?: AssumedVolumes;
}

/** Runs PreFilter, then Filter on every node; returns the PreFilter status and each node's verdict. */
function run(claims: string[], fixture: Fixture) {
  const cluster = clusterOf(nodes);
  const volumes = createVolumeLister({
    claims: fixture.claims ?? [],
    volumes: fixture.volumes ?? [],
    storageClasses: fixture.classes ?? [wait, immediate],
  });
  const plugin = createVolumeBinding({ volumes, assumed: fixture.assumed ?? new AssumedVolumes() })(
    undefined,
    handleFor(cluster),
  );
  const state = new CycleState();
  const pod = podInfoOf(claims.length > 0 ? podWith(...claims) : makePod('plain'));
  const pre = plugin.preFilter?.(state, pod, cluster.nodes);
  const filters: Record<string, unknown> = {};
  if (pre === undefined) {
    for (const node of cluster.nodes) filters[node.name] = plugin.filter?.(state, pod, node as NodeInfo);
  }
  return { pre, filters, plugin, state, pod };
}

const rejected = (reason: string) => ({ code: 'UnschedulableAndUnresolvable', reasons: [reason] });

describe('VolumeBinding PreFilter (upstream TestVolumeBinding)', () => {
  it('skips a pod without claims', () => {
    expect(run([], {}).pre).toBe(SKIP);
  });

  it('rejects a pod whose claim does not exist, or is being deleted', () => {
    expect(run(['missing'], {}).pre).toMatchObject(rejected('persistentvolumeclaim "missing" not found'));
    const deleting = makeClaim('gone', { className: 'wait', deleting: true });
    expect(run(['gone'], { claims: [deleting] }).pre).toMatchObject(
      rejected('persistentvolumeclaim "gone" is being deleted'),
    );
  });

  it('keeps a pod with an unbound Immediate claim pending, and one without a class', () => {
    const claim = makeClaim('c', { className: 'immediate' });
    expect(run(['c'], { claims: [claim] }).pre).toMatchObject(rejected(ERR_REASON_UNBOUND_IMMEDIATE));
    const classless = makeClaim('d');
    expect(run(['d'], { claims: [classless] }).pre).toMatchObject(rejected(ERR_REASON_UNBOUND_IMMEDIATE));
  });

  it('fails with an error when the claim names a class that does not exist', () => {
    const claim = makeClaim('c', { className: 'nope' });
    expect(run(['c'], { claims: [claim] }).pre).toMatchObject({
      code: 'Error',
      reasons: ['storageclass.storage.k8s.io "nope" not found'],
    });
  });
});

describe('VolumeBinding Filter: bound claims', () => {
  it("passes nodes the bound volume's node affinity allows, rejects the others", () => {
    const claim = makeClaim('c', { className: 'wait', volumeName: 'pv-a' });
    const pv = makeVolume('pv-a', { className: 'wait', claim: 'c', nodes: ['node-a'] });
    const { filters } = run(['c'], { claims: [claim], volumes: [pv] });
    expect(filters['node-a']).toBeUndefined();
    expect(filters['node-b']).toMatchObject(rejected(ERR_REASON_NODE_CONFLICT));
  });

  it('rejects every node when the bound volume does not exist', () => {
    const claim = makeClaim('c', { volumeName: 'pv-x' });
    const { filters } = run(['c'], { claims: [claim] });
    expect(filters['node-a']).toMatchObject(rejected(ERR_REASON_PV_NOT_EXIST));
  });
});

describe('VolumeBinding Filter: WaitForFirstConsumer claims', () => {
  it('needs an Available volume the node can reach', () => {
    const claim = makeClaim('c', { className: 'wait' });
    const pv = makeVolume('pv-a', { className: 'wait', nodes: ['node-a'] });
    const noProvisioner = makeClass('wait', { provisioner: 'kubernetes.io/no-provisioner' });
    const { filters } = run(['c'], { claims: [claim], volumes: [pv], classes: [noProvisioner] });
    expect(filters['node-a']).toBeUndefined();
    expect(filters['node-b']).toMatchObject(rejected(ERR_REASON_BIND_CONFLICT));
  });

  it('ignores volumes too small, of another class, bound elsewhere, of other access modes or labels', () => {
    const claim = makeClaim('c', { className: 'wait', storage: '5Gi', selector: { matchLabels: { tier: 'gold' } } });
    const candidates = [
      makeVolume('small', { className: 'wait', storage: '1Gi', labels: { tier: 'gold' } }),
      makeVolume('other-class', { className: 'other', storage: '10Gi', labels: { tier: 'gold' } }),
      makeVolume('taken', { className: 'wait', storage: '10Gi', claim: 'someone', labels: { tier: 'gold' } }),
      makeVolume('rox', { className: 'wait', storage: '10Gi', modes: ['ReadOnlyMany'], labels: { tier: 'gold' } }),
      makeVolume('silver', { className: 'wait', storage: '10Gi', labels: { tier: 'silver' } }),
      makeVolume('released', { className: 'wait', storage: '10Gi', phase: 'Released', labels: { tier: 'gold' } }),
    ];
    const noProvisioner = makeClass('wait', { provisioner: 'kubernetes.io/no-provisioner' });
    const { filters } = run(['c'], { claims: [claim], volumes: candidates, classes: [noProvisioner] });
    expect(filters['node-a']).toMatchObject(rejected(ERR_REASON_BIND_CONFLICT));
  });

  it('reserves the smallest volume that fits, and a second pod cannot take it', () => {
    const claims = [makeClaim('c1', { className: 'wait', storage: '2Gi' }), makeClaim('c2', { className: 'wait' })];
    const volumes = [
      makeVolume('pv-10', { className: 'wait', storage: '10Gi' }),
      makeVolume('pv-3', { className: 'wait', storage: '3Gi' }),
    ];
    const classes = [makeClass('wait', { provisioner: 'kubernetes.io/no-provisioner' })];
    const assumed = new AssumedVolumes();
    const first = run(['c1'], { claims, volumes, classes, assumed });
    expect(first.filters['node-a']).toBeUndefined();
    first.plugin.reserve?.(first.state, first.pod, 'node-a');
    expect(assumed.claimFor('pv-3')).toBe('default/c1');
    // c2 (1Gi) would fit pv-3 best, but pv-3 is assumed for c1: it gets pv-10.
    const second = run(['c2'], { claims, volumes, classes, assumed });
    second.plugin.reserve?.(second.state, second.pod, 'node-a');
    expect(assumed.claimFor('pv-10')).toBe('default/c2');
    // A third claim finds nothing; once the first pod's cycle is undone, pv-3 is free again.
    const c3 = makeClaim('c3', { className: 'wait' });
    expect(run(['c3'], { claims: [...claims, c3], volumes, classes, assumed }).filters['node-a']).toMatchObject(
      rejected(ERR_REASON_BIND_CONFLICT),
    );
    first.plugin.unreserve?.(first.state, first.pod, 'node-a');
    expect(assumed.claimFor('pv-3')).toBeUndefined();
    expect(run(['c3'], { claims: [...claims, c3], volumes, classes, assumed }).filters['node-a']).toBeUndefined();
  });

  it("provisions where the class's allowedTopologies allow", () => {
    const claim = makeClaim('c', { className: 'zonal' });
    const zonal = makeClass('zonal', { zones: ['z2'] });
    const { filters } = run(['c'], { claims: [claim], classes: [zonal] });
    expect(filters['node-a']).toMatchObject(rejected(ERR_REASON_BIND_CONFLICT));
    expect(filters['node-b']).toBeUndefined();
  });

  it('sticks to the node a claim was already selected for', () => {
    const claim = makeClaim('c', {
      className: 'wait',
      annotations: { 'volume.kubernetes.io/selected-node': 'node-b' },
    });
    const { filters } = run(['c'], { claims: [claim] });
    expect(filters['node-a']).toMatchObject(rejected(ERR_REASON_BIND_CONFLICT));
    expect(filters['node-b']).toBeUndefined();
  });

  it('reports a bound-volume conflict and a binding conflict together', () => {
    const bound = makeClaim('b', { volumeName: 'pv-a' });
    const pv = makeVolume('pv-a', { claim: 'b', nodes: ['node-b'] });
    const claim = makeClaim('c', { className: 'zonal' });
    const zonal = makeClass('zonal', { zones: ['z2'] });
    const { filters } = run(['b', 'c'], { claims: [bound, claim], volumes: [pv], classes: [zonal] });
    expect(filters['node-a']).toMatchObject({
      code: 'UnschedulableAndUnresolvable',
      reasons: [ERR_REASON_NODE_CONFLICT, ERR_REASON_BIND_CONFLICT],
    });
  });
});

describe('VolumeBinding args', () => {
  it('rejects a bindTimeoutSeconds that is not a positive whole number', () => {
    const handle = handleFor(clusterOf(nodes));
    expect(() => createVolumeBinding()({ bindTimeoutSeconds: 0 }, handle)).toThrow(/args\.bindTimeoutSeconds/);
    expect(() => createVolumeBinding()({ bindTimeoutSeconds: '60' }, handle)).toThrow(/positive whole number/);
  });
});
