import { describe, expect, it } from 'vitest';
import { clusterOf, handleFor, makeNode, makePod } from '../../../test/harness';
import { makeClaim, makeClass, makeVolume } from '../../../test/volumeFixtures';
import { CycleState, type NodeInfo, podInfoOf, SKIP } from '../../framework/index';
import { createVolumeLister } from './lister';
import { createVolumeZone, ERR_REASON_VOLUME_ZONE_CONFLICT } from './volumeZone';

const GA_ZONE = 'topology.kubernetes.io/zone';
const GA_REGION = 'topology.kubernetes.io/region';
const BETA_ZONE = 'failure-domain.beta.kubernetes.io/zone';

const volumes = [
  makeVolume('pv-ga', { labels: { [GA_ZONE]: 'us-west1-a', [GA_REGION]: 'us-west1' } }),
  makeVolume('pv-beta', { labels: { [BETA_ZONE]: 'us-west1-b' } }),
  makeVolume('pv-multi', { labels: { [GA_ZONE]: 'us-west1-a__us-west1-c' } }),
  makeVolume('pv-plain'),
];
const claims = [
  makeClaim('ga', { volumeName: 'pv-ga' }),
  makeClaim('beta', { volumeName: 'pv-beta' }),
  makeClaim('multi', { volumeName: 'pv-multi' }),
  makeClaim('plain', { volumeName: 'pv-plain' }),
  makeClaim('later', { className: 'wait' }),
  makeClaim('stuck', { className: 'now' }),
  makeClaim('orphan', { volumeName: 'pv-gone' }),
];
const lister = createVolumeLister({
  claims,
  volumes,
  storageClasses: [makeClass('wait'), makeClass('now', { mode: 'Immediate' })],
});

function run(claimName: string, nodeLabels: Record<string, string>) {
  const node = makeNode('node', { labels: nodeLabels });
  const cluster = clusterOf([node]);
  const plugin = createVolumeZone({ volumes: lister })(undefined, handleFor(cluster));
  const pod = podInfoOf(makePod('p', { volumes: [{ name: 'v', persistentVolumeClaim: { claimName } }] } as object));
  const state = new CycleState();
  const pre = plugin.preFilter?.(state, pod, cluster.nodes);
  if (pre !== undefined) return pre;
  return plugin.filter?.(state, pod, cluster.nodes[0] as NodeInfo);
}

const conflict = { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_VOLUME_ZONE_CONFLICT] };

describe('VolumeZone (upstream TestSingleZone / TestMultiZone)', () => {
  it('passes a node in the volume’s zone and region', () => {
    expect(run('ga', { [GA_ZONE]: 'us-west1-a', [GA_REGION]: 'us-west1' })).toBeUndefined();
  });

  it('rejects a node in another zone, or another region', () => {
    expect(run('ga', { [GA_ZONE]: 'us-west1-b', [GA_REGION]: 'us-west1' })).toMatchObject(conflict);
    expect(run('ga', { [GA_ZONE]: 'us-west1-a', [GA_REGION]: 'us-east1' })).toMatchObject(conflict);
  });

  it('rejects a zoned node lacking one of the volume’s keys, passes a node with no zone labels at all', () => {
    expect(run('ga', { [GA_ZONE]: 'us-west1-a' })).toMatchObject(conflict);
    expect(run('ga', { other: 'label' })).toBeUndefined();
  });

  it('matches a legacy beta volume label against the node’s GA label', () => {
    expect(run('beta', { [GA_ZONE]: 'us-west1-b' })).toBeUndefined();
    expect(run('beta', { [BETA_ZONE]: 'us-west1-a' })).toMatchObject(conflict);
  });

  it('accepts any of several zones joined by "__"', () => {
    expect(run('multi', { [GA_ZONE]: 'us-west1-c' })).toBeUndefined();
    expect(run('multi', { [GA_ZONE]: 'us-west1-b' })).toMatchObject(conflict);
  });

  it('skips volumes without zone labels, and unbound WaitForFirstConsumer claims', () => {
    expect(run('plain', { [GA_ZONE]: 'anywhere' })).toBe(SKIP);
    expect(run('later', { [GA_ZONE]: 'anywhere' })).toBe(SKIP);
  });

  it('rejects, as unresolvable, claims not found, unbound Immediate claims and missing volumes', () => {
    const unresolvable = (reason: string) => ({ code: 'UnschedulableAndUnresolvable', reasons: [reason] });
    expect(run('nope', {})).toMatchObject(unresolvable('persistentvolumeclaim "nope" not found'));
    expect(run('stuck', {})).toMatchObject(unresolvable('PersistentVolume had no name'));
    expect(run('orphan', {})).toMatchObject(unresolvable('persistentvolume "pv-gone" not found'));
  });
});
