/**
 * `cluster.faults`: failures aimed at containers, nodes and the links
 * between components and the store. Faults with `for` heal themselves on
 * the cluster's clock; every one can be healed early.
 */
import { Pod } from '@keelson/api';
import type { Clock } from '@keelson/clock';
import { InvalidError, type Store } from '@keelson/core';
import { type Duration, toMs } from './duration';
import type { ProbeTarget } from './probeFaults';
import type { SimNode } from './simNode';
import type { ActiveFault, ClusterFaults, ContainerTarget } from './types';
import type { Wire } from './wire';

/** What the faults act on. */
export interface FaultHost {
  store: Store;
  clock: Clock;
  wire: Wire;
  node(name: string): SimNode;
}

interface Located {
  node: SimNode;
  pod: Pod;
  containerId: string;
  container: Pod['spec']['containers'][number];
}

async function locate(host: FaultHost, target: ContainerTarget, what: string): Promise<Located> {
  if (target === null || typeof target !== 'object' || typeof target.pod !== 'string') {
    throw new InvalidError(`faults.${what}: pass { namespace?, pod, container? } with the pod's name`);
  }
  const namespace = target.namespace ?? 'default';
  const pod = await host.store.get(Pod, target.pod, { namespace });
  const container =
    target.container === undefined
      ? pod.spec.containers[0]
      : pod.spec.containers.find((c) => c.name === target.container);
  if (container === undefined) {
    throw new InvalidError(`faults.${what}: pod ${namespace}/${target.pod} has no container "${target.container}"`);
  }
  const status = pod.status?.containerStatuses?.find((c) => c.name === container.name);
  if (!pod.spec.nodeName || !status?.containerID || status.state?.running === undefined) {
    throw new InvalidError(
      `faults.${what}: container ${container.name} of pod ${namespace}/${target.pod} is not running yet; wait for it (cluster.waitFor) first`,
    );
  }
  const containerId = status.containerID.slice(status.containerID.indexOf('://') + 3);
  return { node: host.node(pod.spec.nodeName), pod, containerId, container };
}

function portOf(container: Located['container'], port: number | string): number {
  if (typeof port === 'number') return port;
  const named = container.ports?.find((p) => p.name === port);
  if (named === undefined) throw new InvalidError(`faults.failProbe: the container has no port named "${port}"`);
  return named.containerPort;
}

function probeTarget(located: Located, probe: 'readiness' | 'liveness' | 'startup'): ProbeTarget {
  const spec = located.container[`${probe}Probe`];
  const name = `${located.pod.metadata.namespace}/${located.pod.metadata.name}`;
  if (spec === undefined) {
    throw new InvalidError(`faults.failProbe: container ${located.container.name} of ${name} has no ${probe}Probe`);
  }
  if (spec.httpGet)
    return { kind: 'http', path: spec.httpGet.path ?? '/', port: portOf(located.container, spec.httpGet.port) };
  if (spec.tcpSocket) return { kind: 'tcp', port: portOf(located.container, spec.tcpSocket.port) };
  if (spec.exec) return { kind: 'exec', command: (spec.exec.command ?? []).join('\u0000') };
  throw new InvalidError(`faults.failProbe: the ${probe}Probe of ${name} is of a kind faults cannot fail (grpc)`);
}

/** A fault that `heal` ends, at once or after `forMs` on the clock. */
function activeFault(clock: Clock, heal: () => void, duration: Duration | undefined, field: string): ActiveFault {
  let healed = false;
  const once = () => {
    if (healed) return;
    healed = true;
    heal();
  };
  if (duration !== undefined) clock.setTimeout(once, toMs(duration, field));
  return { heal: once };
}

/** The faults of one cluster. */
export function createFaults(host: FaultHost): ClusterFaults {
  const { clock, wire } = host;
  return {
    async crashContainer(target) {
      const { node, containerId } = await locate(host, target, 'crashContainer');
      node.runtime.faults.crash(containerId, target.exitCode ?? 1);
    },
    async oomKill(target) {
      const { node, containerId } = await locate(host, target, 'oomKill');
      node.runtime.faults.oom(containerId);
    },
    async failProbe(target) {
      const probe = target.probe;
      if (probe !== 'readiness' && probe !== 'liveness' && probe !== 'startup') {
        throw new InvalidError(
          `faults.failProbe: probe must be 'readiness', 'liveness' or 'startup', got ${String(probe)}`,
        );
      }
      const located = await locate(host, target, 'failProbe');
      const heal = located.node.probes.fail(located.containerId, probeTarget(located, probe));
      return activeFault(clock, heal, target.for, 'faults.failProbe: for');
    },
    async stopNode(name) {
      await host.node(name).stop();
    },
    async restartNode(name) {
      await host.node(name).restart();
    },
    partitionNode(name, options = {}) {
      const { view } = host.node(name);
      view.partitioned = true;
      view.dropWatches(new Error(`${name} is partitioned from the API server`));
      return activeFault(clock, () => (view.partitioned = false), options.for, 'faults.partitionNode: for');
    },
    runtimeOutage(name, options = {}) {
      const { runtime } = host.node(name);
      runtime.faults.runtimeDown();
      return activeFault(clock, () => runtime.faults.runtimeUp(), options.for, 'faults.runtimeOutage: for');
    },
    dropWatches() {
      wire.dropWatches();
    },
    conflicts(options) {
      const rate = options?.rate;
      if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
        throw new InvalidError(`faults.conflicts: rate must be a number from 0 to 1, got ${String(rate)}`);
      }
      wire.state.conflictRate = rate;
      return activeFault(clock, () => (wire.state.conflictRate = 0), options.for, 'faults.conflicts: for');
    },
    slowNode(name, options) {
      const latencyMs = options?.latencyMs;
      if (typeof latencyMs !== 'number' || !(latencyMs >= 0) || !Number.isFinite(latencyMs)) {
        throw new InvalidError(
          `faults.slowNode: latencyMs must be a number of milliseconds >= 0, got ${String(latencyMs)}`,
        );
      }
      const { view } = host.node(name);
      view.latencyMs = latencyMs;
      return activeFault(clock, () => (view.latencyMs = 0), options.for, 'faults.slowNode: for');
    },
  };
}
