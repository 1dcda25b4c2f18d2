/**
 * A {@link ClusterView} over a list of node infos, kept in step as pods and
 * nodes come and go. `createClusterSnapshot` and the scheduler's cache both
 * build on it.
 */
import type { NodeInfo } from './nodeInfo';
import type { ClusterView } from './types';

export class NodeInfoList implements ClusterView {
  readonly nodes: NodeInfo[] = [];
  readonly #byName = new Map<string, NodeInfo>();
  readonly #imageCounts = new Map<string, number>();
  /** Bumped by the node infos when pods with pod affinity come or go (and here when nodes do). */
  readonly #affinity = { version: 0 };
  #withAffinity: { version: number; all: NodeInfo[]; antiAffinity: NodeInfo[] } | undefined;

  get(nodeName: string): NodeInfo | undefined {
    return this.#byName.get(nodeName);
  }

  /** Cached until a pod with pod affinity (or a node) comes or goes: most clusters have none. */
  nodesWithAffinityPods(): readonly NodeInfo[] {
    return this.#affinityLists().all;
  }

  nodesWithRequiredAntiAffinityPods(): readonly NodeInfo[] {
    return this.#affinityLists().antiAffinity;
  }

  #affinityLists(): { all: NodeInfo[]; antiAffinity: NodeInfo[] } {
    const cached = this.#withAffinity;
    if (cached !== undefined && cached.version === this.#affinity.version) return cached;
    const all = this.nodes.filter((node) => node.podsWithAffinity.size > 0);
    const antiAffinity = all.filter((node) => node.podsWithRequiredAntiAffinity.size > 0);
    this.#withAffinity = { version: this.#affinity.version, all, antiAffinity };
    return this.#withAffinity;
  }

  imageNodeCount(image: string): number {
    return this.#imageCounts.get(image) ?? 0;
  }

  /** Adds a node info (or replaces the one with its name, keeping its place). */
  set(info: NodeInfo): void {
    const existing = this.#byName.get(info.name);
    if (existing !== undefined) {
      this.#countImages(existing, -1);
      this.nodes[this.nodes.indexOf(existing)] = info;
    } else {
      this.nodes.push(info);
    }
    this.#byName.set(info.name, info);
    info.affinityTracker = this.#affinity;
    this.#affinity.version++;
    this.#countImages(info, 1);
  }

  /** Call after a node's images changed in place (`NodeInfo.setNode`), with its images before. */
  imagesChanged(before: ReadonlyMap<string, number>, info: NodeInfo): void {
    for (const image of before.keys()) this.#bump(image, -1);
    this.#countImages(info, 1);
  }

  delete(nodeName: string): NodeInfo | undefined {
    const existing = this.#byName.get(nodeName);
    if (existing === undefined) return undefined;
    this.#byName.delete(nodeName);
    this.nodes.splice(this.nodes.indexOf(existing), 1);
    existing.affinityTracker = undefined;
    this.#affinity.version++;
    this.#countImages(existing, -1);
    return existing;
  }

  #countImages(info: NodeInfo, sign: 1 | -1): void {
    for (const image of info.images.keys()) this.#bump(image, sign);
  }

  #bump(image: string, by: number): void {
    const next = (this.#imageCounts.get(image) ?? 0) + by;
    if (next <= 0) this.#imageCounts.delete(image);
    else this.#imageCounts.set(image, next);
  }
}
