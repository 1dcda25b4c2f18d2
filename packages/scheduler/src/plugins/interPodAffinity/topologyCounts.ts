/**
 * Counts per topology pair (`topologyKey`, value), as Kubernetes'
 * `topologyToMatchedTermCount`: pairs that drop to zero disappear, so
 * `size` says whether anything matched at all. Lookups allocate nothing.
 */
import type { NodeInfo } from '../../framework/nodeInfo';

/** Counts keyed by topology pair; cloneable for preemption's what-if runs. */
export class TopologyCounts {
  readonly #byKey = new Map<string, Map<string, number>>();
  /** Every topology key ever counted, for allocation-free iteration. */
  readonly #keys: string[] = [];
  #pairs = 0;

  /** Pairs with a non-zero count. */
  get size(): number {
    return this.#pairs;
  }

  /** Topology keys seen (some may have no pairs left). */
  get keys(): readonly string[] {
    return this.#keys;
  }

  get(key: string, value: string): number {
    return this.#byKey.get(key)?.get(value) ?? 0;
  }

  add(key: string, value: string, delta: number): void {
    let values = this.#byKey.get(key);
    if (values === undefined) {
      values = new Map();
      this.#byKey.set(key, values);
      this.#keys.push(key);
    }
    const before = values.get(value) ?? 0;
    const after = before + delta;
    if (after === 0) values.delete(value);
    else values.set(value, after);
    if (before === 0 && after !== 0) this.#pairs++;
    else if (before !== 0 && after === 0) this.#pairs--;
  }

  /** Adds `delta` to the pair of the node's value for `key`, if the node has that label. */
  addForNode(key: string, node: NodeInfo, delta: number): boolean {
    const value: unknown = node.node.metadata.labels?.[key];
    if (typeof value !== 'string') return false;
    this.add(key, value, delta);
    return true;
  }

  clone(): TopologyCounts {
    const copy = new TopologyCounts();
    for (const [key, values] of this.#byKey) for (const [value, count] of values) copy.add(key, value, count);
    return copy;
  }
}
