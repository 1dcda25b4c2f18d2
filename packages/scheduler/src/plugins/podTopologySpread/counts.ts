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
import type { CachedCount, NodeInfo } from '../../framework/nodeInfo';
import { podCounts } from './constraints';

/** How many (namespace, selector) counts a node keeps; older ones are dropped first. */
const COUNTS_PER_NODE = 32;

/** A selector's cache key in one namespace. */
interface SelectorKey {
  readonly namespace: string;
  readonly key: string;
}

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
  if (node.podCount === 0) return 0;
  let memo = node.selectorCounts;
  if (memo === undefined) {
    memo = { lastSelector: undefined, lastNamespace: '', last: { generation: -1, count: 0 }, byKey: new Map() };
    node.selectorCounts = memo;
  }
  // Pods of one owner share one selector object: most lookups hit the last one without hashing its key.
  let cached: CachedCount | undefined;
  if (memo.lastSelector === selector && memo.lastNamespace === namespace) {
    cached = memo.last;
  } else {
    const key = keyOf(selector, namespace);
    cached = memo.byKey.get(key);
    if (cached === undefined) {
      cached = { generation: -1, count: 0 };
      if (memo.byKey.size >= COUNTS_PER_NODE) memo.byKey.delete(memo.byKey.keys().next().value as string);
      memo.byKey.set(key, cached);
    }
    memo.lastSelector = selector;
    memo.lastNamespace = namespace;
    memo.last = cached;
  }
  if (cached.generation !== node.matchGeneration) {
    cached.count = countOnNode(node, selector, namespace);
    cached.generation = node.matchGeneration;
  }
  return cached.count;
}
