/**
 * @internal Test fixtures for InterPodAffinity: pods with affinity terms,
 * labelled nodes, and drivers that run one scheduling cycle's
 * PreFilter/Filter or PreScore/Score/NormalizeScore over a cluster.
 */
import type { Node, Pod } from '@keelson/api';
import { clusterOf, handleFor, makeNode, makePod } from '../../../test/harness';
import { CycleState, podInfoOf } from '../../framework/index';
import type { PluginFactory } from '../../framework/types';
import { interPodAffinity } from './plugin';

/** A pod affinity term as written in a manifest. */
export type Term = {
  labelSelector?: object;
  topologyKey: string;
  namespaces?: string[];
  namespaceSelector?: object;
  matchLabelKeys?: string[];
  mismatchLabelKeys?: string[];
};

/** What {@link affinityPod} builds: labels, placement and required terms. */
export interface PodOptions {
  labels?: Record<string, string>;
  nodeName?: string;
  namespace?: string;
  affinity?: Term[];
  antiAffinity?: Term[];
}

/** A pod with required affinity / anti-affinity terms, bound when `nodeName` is given. */
export function affinityPod(name: string, options: PodOptions = {}): Pod {
  const affinity: Record<string, object> = {};
  if (options.affinity) affinity.podAffinity = { requiredDuringSchedulingIgnoredDuringExecution: options.affinity };
  if (options.antiAffinity) {
    affinity.podAntiAffinity = { requiredDuringSchedulingIgnoredDuringExecution: options.antiAffinity };
  }
  const spec = {
    ...(options.nodeName ? { nodeName: options.nodeName } : {}),
    ...(Object.keys(affinity).length > 0 ? { affinity } : {}),
  };
  return makePod(name, spec, {
    labels: options.labels ?? {},
    ...(options.namespace ? { namespace: options.namespace } : {}),
  });
}

/** A selector `key In (values)`. */
export const inValues = (key: string, ...values: string[]) => ({
  matchExpressions: [{ key, operator: 'In' as const, values }],
});

/** Runs PreFilter and Filter on every node; returns codes and the first reason per node. */
export function filterEach(pod: Pod, nodes: Node[], pods: Pod[], factory: PluginFactory = interPodAffinity) {
  const cluster = clusterOf(nodes, pods);
  const plugin = factory({}, handleFor(cluster));
  const state = new CycleState();
  const info = podInfoOf(pod);
  const result = plugin.preFilter?.(state, info, cluster.nodes);
  const pre = result !== undefined && 'code' in result ? result.code : 'Success';
  const codes: Record<string, string> = {};
  const reasons: Record<string, string | undefined> = {};
  if (pre === 'Success') {
    for (const node of cluster.nodes) {
      const status = plugin.filter?.(state, info, node);
      codes[node.name] = status?.code ?? 'Success';
      reasons[node.name] = status?.reasons[0];
    }
  }
  return { pre, codes, reasons, state, plugin, cluster, info };
}

/** A preferred term and its weight. */
export type Weighted = { weight: number; podAffinityTerm: Term };
/** `spec.affinity` with pod (anti-)affinity only. */
export interface Affinity {
  podAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: Term[];
    preferredDuringSchedulingIgnoredDuringExecution?: Weighted[];
  };
  podAntiAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: Term[];
    preferredDuringSchedulingIgnoredDuringExecution?: Weighted[];
  };
}

let count = 0;
/** An uniquely named pod with labels, optional affinity, node and namespace. */
export function pod(labels: Record<string, string>, affinity?: Affinity, nodeName?: string, namespace?: string): Pod {
  const spec = { ...(affinity ? { affinity } : {}), ...(nodeName ? { nodeName } : {}) };
  return makePod(`pod-${count++}`, spec, { labels, ...(namespace ? { namespace } : {}) });
}

/** One `matchExpressions` requirement. */
export const expr = (key: string, operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist', values?: string[]) => ({
  key,
  operator,
  ...(values ? { values } : {}),
});
/** A selector `security In (value)`, as upstream's scoring tests use. */
export const securityIn = (value: string) => ({ matchExpressions: [expr('security', 'In', [value])] });
/** A weighted preferred term. */
export const preferred = (
  weight: number,
  labelSelector: object,
  topologyKey: string,
  extra: Partial<Term> = {},
): Weighted => ({
  weight,
  podAffinityTerm: { labelSelector, topologyKey, ...extra },
});

/** Nodes by name with the given labels. */
export const nodesOf = (labels: Record<string, Record<string, string>>): Node[] =>
  Object.entries(labels).map(([name, l]) => makeNode(name, { labels: l }));

/** PreScore, Score and NormalizeScore over every node; the normalised scores by node, or PreScore's code. */
export function scoreEach(
  incoming: Pod,
  nodes: Node[],
  pods: Pod[],
  args: unknown = {},
  factory: PluginFactory = interPodAffinity,
) {
  const cluster = clusterOf(nodes, pods);
  const plugin = factory(args, handleFor(cluster));
  const state = new CycleState();
  const info = podInfoOf(incoming);
  const pre = plugin.preScore?.(state, info, cluster.nodes);
  if (pre !== undefined) return pre.code;
  const scores = cluster.nodes.map((node) => plugin.score?.(state, info, node) ?? Number.NaN);
  plugin.normalizeScore?.(state, info, scores, cluster.nodes);
  return Object.fromEntries(cluster.nodes.map((node, i) => [node.name, scores[i]]));
}
