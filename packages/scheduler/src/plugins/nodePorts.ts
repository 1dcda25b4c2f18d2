/**
 * NodePorts: a pod whose containers claim host ports fits only a node where
 * none of those ports (same protocol and port, and the same host IP or
 * `0.0.0.0` on either side) is already taken.
 */
import type { Pod } from '@keelson/api';
import type { HostPort } from '../framework/podInfo';
import { SKIP, unschedulable } from '../framework/status';
import type { PluginFactory } from '../framework/types';
import { rejectArgs } from './args';

export const NODE_PORTS = 'NodePorts';

/** Kubernetes' reason for a host port conflict. */
export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

const REJECTED = unschedulable(ERR_REASON_NODE_PORTS);
const PORTS_KEY = `${NODE_PORTS}/hostPorts`;

/**
 * The host ports the pod asks for, as Kubernetes' `GetHostPorts`: those of
 * its containers and of its sidecars (init containers with `restartPolicy:
 * Always`, which run as long as the pod); a plain init container's ports
 * are released before the pod runs.
 */
export function wantedHostPorts(pod: Pod): readonly HostPort[] {
  const ports: HostPort[] = [];
  const add = (container: Pod['spec']['containers'][number]) => {
    for (const port of container.ports ?? []) {
      if (port.hostPort === undefined || port.hostPort <= 0) continue;
      ports.push({ hostIP: port.hostIP || '0.0.0.0', protocol: port.protocol ?? 'TCP', hostPort: port.hostPort });
    }
  };
  for (const container of pod.spec.initContainers ?? []) if (container.restartPolicy === 'Always') add(container);
  for (const container of pod.spec.containers) add(container);
  return ports;
}

/**
 * The NodePorts plugin: PreFilter (Skip for a pod without host ports) and
 * Filter. Rejections are Unschedulable: preempting the pod holding the
 * port frees it.
 */
export const nodePorts: PluginFactory = (args) => {
  rejectArgs(NODE_PORTS, args);
  return {
    name: NODE_PORTS,
    // A pod holding a port deleted, or a new node.
    events: ['AssignedPodDelete', 'NodeAdd'],
    preFilter(_state, pod) {
      return pod.memo(PORTS_KEY, wantedHostPorts).length === 0 ? SKIP : undefined;
    },
    filter(_state, pod, node) {
      const ports = pod.memo(PORTS_KEY, wantedHostPorts);
      for (let i = 0; i < ports.length; i++) if (node.portInUse(ports[i] as HostPort)) return REJECTED;
      return undefined;
    },
  };
};
