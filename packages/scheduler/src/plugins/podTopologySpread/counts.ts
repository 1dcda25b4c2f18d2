/**
 * Matching-pod counts per node, remembered between scheduling cycles. Every
 * pod of a ReplicaSet spreads with the same selector, so without this each
 * pod would walk every pod of the cluster again (Kubernetes'
 * `countPodsMatchSelector` on every node, for every pod). A count is kept
 * per node for the few selectors seen last and is valid while the node's
 * `matchGeneration` — bumped when a pod is added or removed, or its labels,
 * namespace or deletion timestamp change — holds.
 */
import type { LabelSelector } from '@keelson/core';
import type { NodeInfo } from '../../framework/nodeInfo';
import { podCounts } from './constraints';

/** How many (namespace, selector) counts a node keeps; older ones are dropped first. */
const COUNTS_PER_NODE = 32;

interface CachedCount {
  generation: number;
  count: number;
}

/** A selector's cache key in one namespace. */
interface SelectorKey {
  readonly namespace: string;
  readonly key: string;
}

const nodeCounts = new WeakMap<NodeInfo, Map<string, CachedCount>>();
const selectorKeys = new WeakMap<LabelSelector, SelectorKey>();

function keyOf(selector: LabelSelector, namespace: string): string {
  const known = selectorKeys.get(selector);
  if (known !== undefined && known.namespace === namespace) return known.key;
  // `everything` and `nothing` both print as '': tell them apart.
  const text = selector.toString();
  const printed = text === '' && !selector.empty ? '\u0000nothing' : text;
  const key = `${namespace}\u0000${printed}`;
  selectorKeys.set(selector, { namespace, key });
  return key;
}

function countOnNode(node: NodeInfo, selector: LabelSelector, namespace: string): number {
  let count = 0;
  for (const info of node.pods.values()) if (podCounts(info.pod, selector, namespace)) count++;
  return count;
}

/** How many pods on the node count for `selector` (Kubernetes' `countPodsMatchSelector`). */
export function countMatchingPods(node: NodeInfo, selector: LabelSelector, namespace: string): number {
  if (node.pods.size === 0) return 0;
  const key = keyOf(selector, namespace);
  let counts = nodeCounts.get(node);
  if (counts === undefined) {
    counts = new Map();
    nodeCounts.set(node, counts);
  }
  const cached = counts.get(key);
  if (cached !== undefined) {
    if (cached.generation === node.matchGeneration) return cached.count;
    cached.count = countOnNode(node, selector, namespace);
    cached.generation = node.matchGeneration;
    return cached.count;
  }
  const count = countOnNode(node, selector, namespace);
  if (counts.size >= COUNTS_PER_NODE) counts.delete(counts.keys().next().value as string);
  counts.set(key, { generation: node.matchGeneration, count });
  return count;
}
