/**
 * @internal Test fixtures for PodTopologySpread: builders for constrained
 * pods, placed pods and labelled nodes, and drivers that run one scheduling
 * cycle's PreFilter/Filter or PreScore/Score/NormalizeScore over a cluster.
 */
import { Node, type Pod } from '@keelson/api';
import { validateObject } from '@keelson/core';
import { clusterOf, handleFor, makeNode, makePod } from '../../../test/harness';
import { CycleState, podInfoOf, type Status } from '../../framework/index';
import type { PluginFactory } from '../../framework/types';
import type { TopologySpreadConstraintSpec } from './constraints';
import { podTopologySpread } from './plugin';

export const HOST = 'kubernetes.io/hostname';
export const fooExists = { matchExpressions: [{ key: 'foo', operator: 'Exists' as const }] };
export const barExists = { matchExpressions: [{ key: 'bar', operator: 'Exists' as const }] };

type Extra = Partial<TopologySpreadConstraintSpec>;

/** A DoNotSchedule constraint counting pods with label `foo`. */
export function hard(topologyKey: string, maxSkew = 1, extra: Extra = {}): TopologySpreadConstraintSpec {
  return { maxSkew, topologyKey, whenUnsatisfiable: 'DoNotSchedule', labelSelector: fooExists, ...extra };
}

/** A ScheduleAnyway constraint counting pods with label `foo`. */
export function soft(topologyKey: string, maxSkew = 1, extra: Extra = {}): TopologySpreadConstraintSpec {
  return { maxSkew, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: fooExists, ...extra };
}

/** The pod to schedule, labelled `foo` unless told otherwise. */
export function incoming(
  constraints: TopologySpreadConstraintSpec[],
  labels: Record<string, string> = { foo: '' },
  spec: object = {},
): Pod {
  return makePod('p', { topologySpreadConstraints: constraints, ...spec }, { labels });
}

/** A pod bound to `nodeName`. */
export function placed(
  name: string,
  nodeName: string,
  labels: Record<string, string> = { foo: '' },
  meta: Record<string, unknown> = {},
): Pod {
  return makePod(name, { nodeName }, { labels, ...meta });
}

/** `n` pods labelled `labels` on each node, e.g. `{ 'node-a': 2, 'node-b': 1 }`. */
export function spread(counts: Record<string, number>, labels: Record<string, string> = { foo: '' }): Pod[] {
  return Object.entries(counts).flatMap(([node, n]) =>
    Array.from({ length: n }, (_, i) => makePod(`p-${node}-${i}`, { nodeName: node }, { labels })),
  );
}

/** node-a, node-b in zone1; node-x, node-y in zone2 (upstream's test topology), with a `node` label. */
export function fourNodes(): Node[] {
  return [
    makeNode('node-a', { labels: { zone: 'zone1', node: 'node-a' } }),
    makeNode('node-b', { labels: { zone: 'zone1', node: 'node-b' } }),
    makeNode('node-x', { labels: { zone: 'zone2', node: 'node-x' } }),
    makeNode('node-y', { labels: { zone: 'zone2', node: 'node-y' } }),
  ];
}

/** Nodes named `names`, each with only its hostname label. */
export const hosts = (...names: string[]): Node[] => names.map((name) => makeNode(name));

/** Nodes with a `zone` label, by name. */
export const zoned = (zones: Record<string, string>): Node[] =>
  Object.entries(zones).map(([name, zone]) => makeNode(name, { labels: { zone } }));

/** A node with exactly these labels (`makeNode` always adds a hostname label). */
export function bareNode(name: string, labels: Record<string, string>): Node {
  const input = { metadata: { name, labels, uid: `uid-${name}` }, spec: {}, status: { capacity: { cpu: '4' } } };
  return validateObject(Node, input).object as unknown as Node;
}

/** Runs PreFilter then Filter on every node: each node's code and status, and the cycle's pieces. */
export function filterEach(
  pod: Pod,
  nodes: Node[],
  pods: Pod[],
  args: unknown = { defaultingType: 'List' },
  factory: PluginFactory = podTopologySpread,
) {
  const cluster = clusterOf(nodes, pods);
  const plugin = factory(args, handleFor(cluster));
  const state = new CycleState();
  const info = podInfoOf(pod);
  const result = plugin.preFilter?.(state, info, cluster.nodes);
  const pre = result !== undefined && 'code' in result ? result : undefined;
  const codes: Record<string, string> = {};
  const statuses: Record<string, Status | undefined> = {};
  if (pre === undefined) {
    for (const node of cluster.nodes) {
      const status = plugin.filter?.(state, info, node);
      codes[node.name] = status?.code ?? 'Success';
      statuses[node.name] = status;
    }
  }
  return { pre, codes, statuses, state, plugin, cluster, info };
}

/**
 * PreScore on the candidate nodes (`feasible`, default all), Score each, then
 * NormalizeScore: the raw and normalised scores by node, or PreScore's code.
 */
export function scoreEach(
  pod: Pod,
  nodes: Node[],
  pods: Pod[],
  feasible?: string[],
  factory: PluginFactory = podTopologySpread,
  args: unknown = { defaultingType: 'List' },
) {
  const cluster = clusterOf(nodes, pods);
  const plugin = factory(args, handleFor(cluster));
  const state = new CycleState();
  const info = podInfoOf(pod);
  const candidates = cluster.nodes.filter((n) => feasible === undefined || feasible.includes(n.name));
  const pre = plugin.preScore?.(state, info, candidates);
  if (pre !== undefined) return { status: pre.code, scores: {}, raw: [] as number[] };
  const raw = candidates.map((node) => plugin.score?.(state, info, node) ?? Number.NaN);
  const normalized = [...raw];
  plugin.normalizeScore?.(state, info, normalized, candidates);
  return { status: 'Success', raw, scores: Object.fromEntries(candidates.map((n, i) => [n.name, normalized[i]])) };
}
