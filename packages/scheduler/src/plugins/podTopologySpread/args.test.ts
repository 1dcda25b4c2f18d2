import { InvalidError, parseLabelSelector } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { clusterOf, handleFor, makeNode, makePod } from '../../../test/harness';
import { CycleState, podInfoOf } from '../../framework/index';
import { parsePodTopologySpreadArgs, SYSTEM_DEFAULT_CONSTRAINTS } from './args';
import { createPodTopologySpread, POD_TOPOLOGY_SPREAD, podTopologySpread } from './plugin';

const handle = () => handleFor(clusterOf([]));
const zoneHard = { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' };

describe('PodTopologySpread args', () => {
  it('defaults to System defaulting with the built-in soft constraints', () => {
    expect(parsePodTopologySpreadArgs(undefined)).toEqual({
      defaultConstraints: SYSTEM_DEFAULT_CONSTRAINTS,
      systemDefaulted: true,
    });
    expect(parsePodTopologySpreadArgs({})).toEqual({
      defaultConstraints: SYSTEM_DEFAULT_CONSTRAINTS,
      systemDefaulted: true,
    });
    expect(SYSTEM_DEFAULT_CONSTRAINTS).toEqual([
      { topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
      { topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
    ]);
  });

  it('List defaulting keeps the given constraints', () => {
    const config = parsePodTopologySpreadArgs({ defaultingType: 'List', defaultConstraints: [zoneHard] });
    expect(config).toEqual({ defaultConstraints: [zoneHard], systemDefaulted: false });
  });

  it.each([
    [[], 'PodTopologySpread args: expected an object with defaultConstraints and defaultingType'],
    [{ hardPodAffinityWeight: 1 }, 'PodTopologySpread args: unknown field "hardPodAffinityWeight"'],
    [{ defaultingType: 'Auto' }, 'PodTopologySpread args: defaultingType must be System or List'],
    [
      { defaultConstraints: [zoneHard] },
      'PodTopologySpread args: defaultingType System can not be used with defaultConstraints; set defaultingType: List',
    ],
    [
      { defaultingType: 'List', defaultConstraints: [{ ...zoneHard, maxSkew: 0 }] },
      'PodTopologySpread args: defaultConstraints[0].maxSkew must be an integer greater than zero',
    ],
    [
      { defaultingType: 'List', defaultConstraints: [{ ...zoneHard, topologyKey: '' }] },
      'PodTopologySpread args: defaultConstraints[0].topologyKey can not be empty',
    ],
    [
      { defaultingType: 'List', defaultConstraints: [{ ...zoneHard, whenUnsatisfiable: 'Never' }] },
      'PodTopologySpread args: defaultConstraints[0].whenUnsatisfiable must be DoNotSchedule or ScheduleAnyway',
    ],
    [
      { defaultingType: 'List', defaultConstraints: [{ ...zoneHard, nodeTaintsPolicy: 'Maybe' }] },
      'PodTopologySpread args: defaultConstraints[0].nodeTaintsPolicy must be Honor or Ignore',
    ],
    [
      { defaultingType: 'List', defaultConstraints: [{ ...zoneHard, skew: 1 }] },
      'PodTopologySpread args: defaultConstraints[0].skew is not a constraint field; remove it',
    ],
    [
      { defaultingType: 'List', defaultConstraints: [zoneHard, { ...zoneHard, maxSkew: 2 }] },
      'PodTopologySpread args: defaultConstraints[1] duplicates defaultConstraints[0] ({zone, DoNotSchedule})',
    ],
  ])('rejects %j', (args, message) => {
    expect(() => podTopologySpread(args, handle())).toThrow(InvalidError);
    expect(() => podTopologySpread(args, handle())).toThrow(message);
  });

  it('names the plugin and the events that may help', () => {
    const plugin = podTopologySpread(undefined, handle());
    expect(plugin.name).toBe(POD_TOPOLOGY_SPREAD);
    expect(plugin.events).toEqual([
      'AssignedPodAdd',
      'AssignedPodUpdate',
      'AssignedPodDelete',
      'NodeAdd',
      'NodeUpdate',
      'NodeDelete',
    ]);
  });
});

describe('PodTopologySpread List defaulting', () => {
  const nodes = () => [
    makeNode('node-a', { labels: { zone: 'zone1' } }),
    makeNode('node-b', { labels: { zone: 'zone2' } }),
  ];
  const pods = () => [
    makePod('web-1', { nodeName: 'node-a' }, { labels: { app: 'web' } }),
    makePod('web-2', { nodeName: 'node-a' }, { labels: { app: 'web' } }),
  ];

  function filterCodes(
    args: unknown,
    pod = makePod('web-3', {}, { labels: { app: 'web' } }),
    factory = podTopologySpread,
  ) {
    const cluster = clusterOf(nodes(), pods());
    const plugin = factory(args, handleFor(cluster));
    const state = new CycleState();
    const info = podInfoOf(pod);
    const pre = plugin.preFilter?.(state, info, cluster.nodes);
    if (pre !== undefined && 'code' in pre) return pre.code;
    return cluster.nodes.map((node) => plugin.filter?.(state, info, node)?.code ?? 'Success');
  }

  it('a default constraint with a labelSelector applies to pods without their own', () => {
    const args = {
      defaultingType: 'List',
      defaultConstraints: [{ ...zoneHard, labelSelector: { matchLabels: { app: 'web' } } }],
    };
    expect(filterCodes(args)).toEqual(['Unschedulable', 'Success']);
  });

  it('a default constraint without a labelSelector applies to no pod (nothing to derive one from)', () => {
    expect(filterCodes({ defaultingType: 'List', defaultConstraints: [zoneHard] })).toBe('Skip');
  });

  it('the defaultSelector hook stands in for Services / ReplicaSets selecting the pod', () => {
    const factory = createPodTopologySpread({
      defaultSelector: (pod) => parseLabelSelector({ matchLabels: { app: pod.metadata.labels?.app ?? '' } }),
    });
    expect(filterCodes({ defaultingType: 'List', defaultConstraints: [zoneHard] }, undefined, factory)).toEqual([
      'Unschedulable',
      'Success',
    ]);
  });

  it("a pod's own constraints replace the defaults", () => {
    const args = {
      defaultingType: 'List',
      defaultConstraints: [{ ...zoneHard, labelSelector: { matchLabels: { app: 'web' } } }],
    };
    const own = makePod(
      'web-3',
      {
        topologySpreadConstraints: [
          {
            ...zoneHard,
            maxSkew: 3,
            whenUnsatisfiable: 'DoNotSchedule',
            labelSelector: { matchLabels: { app: 'web' } },
          },
        ],
      },
      { labels: { app: 'web' } },
    );
    expect(filterCodes(args, own)).toEqual(['Success', 'Success']);
  });
});
