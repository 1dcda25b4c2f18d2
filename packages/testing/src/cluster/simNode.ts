/**
 * One simulated machine: a mock runtime, the node agent running on it, and
 * the agent's link to the store.
 */
import type { Clock, Random } from '@keelson/clock';
import type { EventRecorder } from '@keelson/controller';
import { InvalidError, type Store } from '@keelson/core';
import { createNodeAgent, type NodeAgent, type NodeAgentOptions } from '@keelson/node-agent';
import {
  createMockCsiDriver,
  createMockRuntime,
  type MockDisks,
  type MockRegistry,
  type MockRuntime,
} from '@keelson/runtime-mock';
import { ProbeFaults } from './probeFaults';
import type { NodeSpec } from './types';
import type { StoreView, Wire } from './wire';

/** What every node of a cluster shares. */
export interface NodeContext {
  store: Store;
  clock: Clock;
  random: Random;
  registry: MockRegistry;
  /** The cluster's disks, which every node's CSI driver publishes. */
  disks: MockDisks;
  wire: Wire;
  recorder: (host: string) => EventRecorder;
  /** The cluster's metrics registry and logger, for every node agent. */
  observability: Pick<NodeAgentOptions, 'metricsRegistry' | 'logger'>;
}

export const DEFAULT_CAPACITY = { cpu: '4', memory: '8Gi', pods: '110' } as const;
const ZONE_LABEL = 'topology.kubernetes.io/zone';

/**
 * A /24 of its own per node, as `--allocate-node-cidrs` hands out from a
 * cluster CIDR: 10.244.0.0/16 and up to 10.255.255.0/24 for the first 3,072
 * nodes, then on from 10.0.0.0/24, so 10.0.0.0/8 holds 65,536 nodes.
 */
export function podCidrOf(index: number): string {
  const block = 244 * 256 + index;
  if (!Number.isInteger(index) || index < 0 || index >= 256 * 256) {
    throw new InvalidError(`createTestCluster: node ${index + 1} has no /24 left in 10.0.0.0/8 (65,536 nodes at most)`);
  }
  const second = Math.floor(block / 256) % 256;
  return `10.${second}.${block % 256}.0/24`;
}

/** A node of the cluster. */
export class SimNode {
  readonly runtime: MockRuntime;
  readonly probes: ProbeFaults;
  readonly view: StoreView;
  agent: NodeAgent;
  running = false;

  constructor(
    readonly name: string,
    private readonly spec: NodeSpec,
    private readonly index: number,
    private readonly ctx: NodeContext,
  ) {
    this.runtime = createMockRuntime({
      clock: ctx.clock,
      registry: ctx.registry,
      random: ctx.random.fork(name),
      podCidr: podCidrOf(index),
    });
    this.probes = new ProbeFaults(this.runtime);
    this.view = ctx.wire.view(`node ${name}`);
    this.agent = this.newAgent();
  }

  private newAgent(): NodeAgent {
    const { spec, ctx } = this;
    const labels = { ...(spec.labels ?? {}), ...(spec.zone === undefined ? {} : { [ZONE_LABEL]: spec.zone }) };
    return createNodeAgent({
      store: this.view.store.as(`system:node:${this.name}`),
      runtime: this.probes.runtime,
      images: this.probes.runtime,
      nodeName: this.name,
      clock: ctx.clock,
      capacity: spec.capacity ?? DEFAULT_CAPACITY,
      labels,
      ...(spec.taints === undefined ? {} : { taints: spec.taints }),
      recorder: ctx.recorder(this.name),
      hostIP: `10.0.${Math.floor(this.index / 250)}.${(this.index % 250) + 1}`,
      filesystem: this.runtime.hostFilesystem,
      csiDrivers: [createMockCsiDriver({ disks: ctx.disks, runtime: this.runtime, nodeId: this.name })],
      ...ctx.observability,
    });
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.agent.start();
    this.running = true;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.agent.stop();
  }

  /** A fresh agent over the same runtime, as a restarted kubelet finds its containers. */
  async restart(): Promise<void> {
    await this.stop();
    this.agent = this.newAgent();
    await this.start();
  }
}

/** The nodes' names and specs from the `nodes` option, checked. */
export function nodeSpecs(nodes: number | readonly NodeSpec[] | undefined, first = 1): Array<[string, NodeSpec]> {
  if (nodes === undefined) return nodeSpecs(3, first);
  if (typeof nodes === 'number') {
    if (!Number.isInteger(nodes) || nodes < 0 || nodes > 5_000) {
      throw new InvalidError(
        `createTestCluster: nodes must be a whole number from 0 to 5000 or a list of specs, got ${nodes}`,
      );
    }
    return Array.from({ length: nodes }, (_, i) => [`node-${first + i}`, {}]);
  }
  if (!Array.isArray(nodes)) throw new InvalidError('createTestCluster: nodes must be a count or a list of node specs');
  const seen = new Set<string>();
  return nodes.map((spec, i) => {
    if (spec === null || typeof spec !== 'object') {
      throw new InvalidError(`createTestCluster: nodes[${i}] must be an object such as { name: 'node-1' }`);
    }
    const name = spec.name ?? `node-${first + i}`;
    if (seen.has(name)) throw new InvalidError(`createTestCluster: nodes[${i}].name "${name}" is used twice`);
    seen.add(name);
    return [name, spec];
  });
}
