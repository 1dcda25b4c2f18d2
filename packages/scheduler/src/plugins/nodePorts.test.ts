import type { Pod } from '@keelson/api';
import { InvalidError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { clusterOf, handleFor, makeNode, makePod } from '../../test/harness';
import { CycleState, type NodeInfo, podInfoOf, SKIP } from '../framework/index';
import { ERR_REASON_NODE_PORTS, NODE_PORTS, nodePorts, wantedHostPorts } from './nodePorts';

let count = 0;

/** A pod with host ports written `PROTOCOL/hostIP/port`, as upstream's test helper. */
function podWithPorts(ports: string[], extra: object = {}): Pod {
  const containerPorts = ports.map((text) => {
    const [protocol, hostIP, port] = text.split('/') as [string, string, string];
    return { containerPort: Number(port), hostPort: Number(port), hostIP, protocol };
  });
  return makePod(`m${count++}`, {
    containers: [{ name: 'main', image: 'app:1', ports: containerPorts }],
    ...extra,
  } as object);
}

/** Runs PreFilter then Filter for `pod` on a node already running pods with `existing` ports. */
function run(pod: Pod, existing: string[]) {
  const holder = podWithPorts(existing, { nodeName: 'node-a' });
  const cluster = clusterOf([makeNode('node-a')], existing.length > 0 ? [holder] : []);
  const plugin = nodePorts(undefined, handleFor(cluster));
  const state = new CycleState();
  const info = podInfoOf(pod);
  const pre = plugin.preFilter?.(state, info, cluster.nodes);
  if (pre === SKIP) return { pre };
  return { pre, filter: plugin.filter?.(state, info, cluster.nodes[0] as NodeInfo) };
}

const conflict = { code: 'Unschedulable', reasons: ["node(s) didn't have free ports for the requested pod ports"] };

describe('NodePorts (upstream TestNodePorts)', () => {
  it('skips a pod without host ports', () => {
    expect(run(makePod('plain'), ['TCP/127.0.0.1/8080'])).toEqual({ pre: SKIP });
  });

  const table: Array<[string, string[], string[], boolean]> = [
    ['other port', ['UDP/127.0.0.1/8080'], ['UDP/127.0.0.1/9090'], true],
    ['same udp port', ['UDP/127.0.0.1/8080'], ['UDP/127.0.0.1/8080'], false],
    ['same tcp port', ['TCP/127.0.0.1/8080'], ['TCP/127.0.0.1/8080'], false],
    ['different host ip', ['TCP/127.0.0.1/8080'], ['TCP/127.0.0.2/8080'], true],
    ['different protocol', ['UDP/127.0.0.1/8080'], ['TCP/127.0.0.1/8080'], true],
    ['second udp port conflict', ['UDP/127.0.0.1/8000', 'UDP/127.0.0.1/8080'], ['UDP/127.0.0.1/8080'], false],
    [
      'first tcp port conflict',
      ['TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8080'],
      ['TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8081'],
      false,
    ],
    ['first tcp port conflict due to 0.0.0.0 hostIP', ['TCP/0.0.0.0/8001'], ['TCP/127.0.0.1/8001'], false],
    [
      'TCP hostPort conflict due to 0.0.0.0 hostIP',
      ['TCP/10.0.10.10/8001', 'TCP/0.0.0.0/8001'],
      ['TCP/127.0.0.1/8001'],
      false,
    ],
    ['second tcp port conflict to 0.0.0.0 hostIP', ['TCP/127.0.0.1/8001'], ['TCP/0.0.0.0/8001'], false],
    ['second different protocol', ['UDP/127.0.0.1/8001'], ['TCP/0.0.0.0/8001'], true],
    [
      'UDP hostPort conflict due to 0.0.0.0 hostIP',
      ['UDP/127.0.0.1/8001'],
      ['TCP/0.0.0.0/8001', 'UDP/0.0.0.0/8001'],
      false,
    ],
  ];
  for (const [name, wanted, existing, fits] of table) {
    it(`${name}: ${fits ? 'fits' : 'conflicts'}`, () => {
      const result = run(podWithPorts(wanted), existing);
      expect(result.pre).toBeUndefined();
      if (fits) expect(result.filter).toBeUndefined();
      else expect(result.filter).toMatchObject(conflict);
    });
  }

  it('defaults hostIP to 0.0.0.0 and protocol to TCP', () => {
    const pod = makePod('defaults', {
      containers: [{ name: 'main', image: 'app:1', ports: [{ containerPort: 80, hostPort: 80 }] }],
    });
    expect(wantedHostPorts(pod)).toEqual([{ hostIP: '0.0.0.0', protocol: 'TCP', hostPort: 80 }]);
    expect(run(pod, ['TCP/10.1.2.3/80']).filter).toMatchObject(conflict);
  });

  it("counts sidecars' host ports but not a plain init container's (Kubernetes' GetHostPorts)", () => {
    const pod = makePod('sidecar', {
      initContainers: [
        { name: 'init', image: 'init:1', ports: [{ containerPort: 70, hostPort: 70 }] },
        { name: 'proxy', image: 'proxy:1', restartPolicy: 'Always', ports: [{ containerPort: 90, hostPort: 90 }] },
      ],
      containers: [{ name: 'main', image: 'app:1', ports: [{ containerPort: 8080 }] }],
    });
    expect(wantedHostPorts(pod)).toEqual([{ hostIP: '0.0.0.0', protocol: 'TCP', hostPort: 90 }]);
    expect(run(pod, ['TCP/0.0.0.0/70']).filter).toBeUndefined();
    expect(run(pod, ['TCP/0.0.0.0/90']).filter).toMatchObject(conflict);
  });

  it('has the plugin name, reason, events, and takes no args', () => {
    const plugin = nodePorts(undefined, handleFor(clusterOf([])));
    expect(plugin.name).toBe(NODE_PORTS);
    expect(ERR_REASON_NODE_PORTS).toBe("node(s) didn't have free ports for the requested pod ports");
    expect(plugin.events).toEqual(['AssignedPodDelete', 'NodeAdd']);
    expect(() => nodePorts({ ports: [] }, handleFor(clusterOf([])))).toThrow(InvalidError);
  });
});
