/**
 * Scheduling without a store, for unit-testing a policy:
 * `createClusterSnapshot(nodes, pods)` builds the node infos once and
 * `schedule(pod, { profile })` answers where the pod would go and why —
 * the same filter, score and tie-break code `createScheduler` runs.
 */
import { Node, Pod } from '@keelson/api';
import { createRandom, type Random, systemClock } from '@keelson/clock';
import { InvalidError, isKeelsonError, validateObject } from '@keelson/core';
import { decide } from './algorithm/cycle';
import type { FilterContext } from './algorithm/feasible';
import { fitErrorMessage, NO_NODES_AVAILABLE } from './algorithm/fitError';
import { NodeInfoList } from './framework/clusterView';
import type { NodeInfo as NodeInfoType } from './framework/nodeInfo';
import { NodeInfo } from './framework/nodeInfo';
import { podInfoOf } from './framework/podInfo';
import type { PluginFactory, SchedulerProfile } from './framework/types';
import { DEFAULT_PLUGINS, defaultRegistry } from './profile/defaults';
import { Framework } from './profile/framework';

/** Where a pod would go and why (DESIGN §10's result shape). */
export interface ScheduleResult {
  /** The chosen node; absent when no node fits. */
  nodeName?: string;
  /** Each rejected node's reasons, in Kubernetes' words (`Insufficient cpu`). */
  rejected: Record<string, string[]>;
  /** Each scored node's total and per-plugin normalised, weighted scores. */
  scores: Record<string, { total: number; plugins: Record<string, number> }>;
  /** Why the pod is unschedulable: `0/5 nodes are available: …`. */
  message?: string;
  /** When no node fits and preemption would help: the node it would nominate. */
  nominatedNodeName?: string;
}

export interface SnapshotOptions {
  /** Seeds the tie-break between equally scored nodes (default 0). */
  seed?: number | string;
  /** Or a random source of your own. */
  random?: Random;
  /** Out-of-tree plugins by name, usable in profiles. */
  registry?: Record<string, PluginFactory>;
}

export interface ScheduleOptions {
  /** Default: Kubernetes' default profile. */
  profile?: SchedulerProfile;
  /** Count the pod on its chosen node afterwards, so the next `schedule` sees it (default false). */
  assume?: boolean;
}

export interface ClusterSnapshot {
  schedule(pod: unknown, options?: ScheduleOptions): ScheduleResult;
  /** Counts a bound pod (its `spec.nodeName` names a node of the snapshot). */
  addPod(pod: unknown): void;
  /** The node infos, for assertions (requested resources, pods). */
  readonly nodes: readonly NodeInfoType[];
}

function validated<T>(type: typeof Node | typeof Pod, input: unknown, where: string): T {
  try {
    return validateObject(type, input).object as unknown as T;
  } catch (error) {
    if (isKeelsonError(error)) throw new InvalidError(`${where}: ${(error as Error).message}`);
    throw error;
  }
}

class Snapshot implements ClusterSnapshot {
  readonly #list = new NodeInfoList();
  readonly #random: Random;
  readonly #tieBreaks: Random;
  readonly #registry: Record<string, PluginFactory>;
  readonly #frameworks = new WeakMap<SchedulerProfile, FilterContext>();
  readonly #defaultProfile: SchedulerProfile = {};

  constructor(nodes: readonly unknown[], pods: readonly unknown[], options: SnapshotOptions) {
    if (!Array.isArray(nodes)) throw new InvalidError('createClusterSnapshot: nodes must be an array of Node objects');
    if (!Array.isArray(pods)) throw new InvalidError('createClusterSnapshot: pods must be an array of Pod objects');
    this.#random = options.random ?? createRandom(options.seed ?? 0, 'scheduler');
    // The same streams as createScheduler's: the same seed breaks ties the same way.
    this.#tieBreaks = this.#random.fork('select-host');
    this.#registry = { ...defaultRegistry };
    for (const [name, factory] of Object.entries(options.registry ?? {})) {
      if (this.#registry[name] !== undefined) {
        throw new InvalidError(
          `createClusterSnapshot: registry: a plugin named "${name}" already exists; choose another name`,
        );
      }
      this.#registry[name] = factory;
    }
    const parsed = nodes.map((node, i) => validated<Node>(Node, node, `nodes[${i}]`));
    const seen = new Set<string>();
    for (const [i, node] of parsed.entries()) {
      if (seen.has(node.metadata.name))
        throw new InvalidError(`nodes[${i}]: a node named "${node.metadata.name}" is listed twice`);
      seen.add(node.metadata.name);
    }
    const parsedPods = pods.map((pod, i) => this.#boundPod(pod, `pods[${i}]`, seen));
    for (const node of parsed) this.#list.set(new NodeInfo(node));
    for (const pod of parsedPods)
      if (pod !== undefined) this.#list.get(pod.spec.nodeName as string)?.addPod(podInfoOf(pod));
  }

  get nodes(): readonly NodeInfoType[] {
    return this.#list.nodes;
  }

  #boundPod(input: unknown, where: string, nodes: ReadonlySet<string>): Pod | undefined {
    const pod = validated<Pod>(Pod, input, where);
    if (!pod.spec.nodeName) return undefined; // pending pods take nothing
    if (!nodes.has(pod.spec.nodeName)) {
      throw new InvalidError(`${where}: spec.nodeName "${pod.spec.nodeName}" is not one of the snapshot's nodes`);
    }
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return undefined;
    return pod;
  }

  addPod(input: unknown): void {
    const names = new Set(this.#list.nodes.map((n) => n.name));
    const pod = this.#boundPod(input, 'addPod', names);
    if (pod === undefined) throw new InvalidError('addPod: the pod must be bound (spec.nodeName) and not finished');
    this.#list.get(pod.spec.nodeName as string)?.addPod(podInfoOf(pod));
  }

  #context(profile: SchedulerProfile): FilterContext {
    let ctx = this.#frameworks.get(profile);
    if (ctx === undefined) {
      const framework = new Framework(profile, {
        registry: this.#registry,
        defaults: DEFAULT_PLUGINS,
        cluster: () => this.#list,
        clock: systemClock,
        random: this.#random.fork(`profile/${profile.schedulerName ?? 'default-scheduler'}`),
      });
      ctx = { framework, cluster: this.#list, cursor: 0 };
      this.#frameworks.set(profile, ctx);
    }
    return ctx;
  }

  schedule(input: unknown, options: ScheduleOptions = {}): ScheduleResult {
    const pod = validated<Pod>(Pod, input, 'schedule: pod');
    const info = podInfoOf(pod);
    const ctx = this.#context(options.profile ?? this.#defaultProfile);
    if (this.#list.nodes.length === 0) return { rejected: {}, scores: {}, message: NO_NODES_AVAILABLE };
    const outcome = decide(ctx, this.#tieBreaks, info, true);
    if (outcome.error !== undefined) {
      throw new InvalidError(
        `schedule: plugin ${outcome.error.plugin ?? '?'} failed: ${outcome.error.reasons.join(', ')}`,
      );
    }
    const rejected: Record<string, string[]> = {};
    for (const [node, status] of outcome.statuses) rejected[node] = [...status.reasons];
    const scores: ScheduleResult['scores'] = {};
    outcome.feasible.forEach((node, i) => {
      const plugins: Record<string, number> = {};
      for (const [plugin, values] of outcome.scores?.byPlugin ?? []) plugins[plugin] = values[i] as number;
      scores[node.name] = { total: outcome.scores?.totals[i] ?? 0, plugins };
    });
    if (outcome.nodeName !== undefined) {
      if (options.assume)
        this.#list
          .get(outcome.nodeName)
          ?.addPod(podInfoOf({ ...pod, spec: { ...pod.spec, nodeName: outcome.nodeName } }));
      return { nodeName: outcome.nodeName, rejected, scores };
    }
    let postFilterMessage: string | undefined;
    let nominatedNodeName: string | undefined;
    for (const plugin of ctx.framework.profile.points.postFilter) {
      const result = plugin.postFilter?.(outcome.state, info, outcome.statuses);
      if (result === undefined || result instanceof Promise) continue;
      if (result.nominatedNodeName) {
        nominatedNodeName = result.nominatedNodeName;
        break;
      }
      if (result.status?.reasons.length) postFilterMessage = result.status.reasons.join(', ');
    }
    const message = fitErrorMessage(
      this.#list.nodes.length,
      outcome.statuses,
      outcome.preFilterMessage,
      postFilterMessage,
    );
    return { rejected, scores, message, ...(nominatedNodeName ? { nominatedNodeName } : {}) };
  }
}

/**
 * A snapshot of `nodes` with `pods` (bound ones count on their nodes;
 * pending and finished ones are ignored) to schedule many pods against.
 * Input is validated and defaulted as the store would; bad input throws
 * `InvalidError` naming the position and field.
 */
export function createClusterSnapshot(
  nodes: readonly unknown[],
  pods: readonly unknown[] = [],
  options: SnapshotOptions = {},
): ClusterSnapshot {
  return new Snapshot(nodes, pods, options);
}

/**
 * Where `pod` would be scheduled among `nodes` (with the bound `pods`
 * already on them), under `profile` (default: Kubernetes' default profile).
 *
 * @example
 * ```ts
 * const result = schedulePod(pod, [node1, node2], { pods: running });
 * result.nodeName; // 'node-2'
 * result.rejected; // { 'node-1': ['Insufficient cpu'] }
 * ```
 */
export function schedulePod(
  pod: unknown,
  nodes: readonly unknown[],
  options: { pods?: readonly unknown[]; profile?: SchedulerProfile } & SnapshotOptions = {},
): ScheduleResult {
  const { pods = [], profile, ...snapshotOptions } = options;
  return createClusterSnapshot(nodes, pods, snapshotOptions).schedule(pod, profile ? { profile } : {});
}
