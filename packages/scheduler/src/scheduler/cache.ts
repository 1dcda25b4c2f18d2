/**
 * The scheduler's incremental view of the cluster (kube-scheduler's cache):
 * node infos updated from informer events, plus assumed pods — placed by a
 * scheduling cycle whose bind has not landed yet — so the next pod already
 * sees the last one's resources. Never rebuilt per pod.
 */
import type { Node } from '@keelson/api';
import { NodeInfoList } from '../framework/clusterView';
import { NodeInfo } from '../framework/nodeInfo';
import type { PodInfo } from '../framework/podInfo';

export class SchedulerCache {
  readonly nodes = new NodeInfoList();
  /** Where each counted pod is: key → node name. */
  readonly #placement = new Map<string, string>();
  /** Pods counted on nodes the cache does not know (yet): node name → pods. */
  readonly #orphans = new Map<string, Map<string, PodInfo>>();
  readonly #assumed = new Set<string>();

  get podCount(): number {
    return this.#placement.size;
  }

  setNode(node: Node): void {
    const existing = this.nodes.get(node.metadata.name);
    if (existing !== undefined) {
      const images = existing.images;
      existing.setNode(node);
      if (existing.images !== images) this.nodes.imagesChanged(images, existing);
      return;
    }
    const info = new NodeInfo(node);
    const orphans = this.#orphans.get(info.name);
    if (orphans !== undefined) {
      for (const pod of orphans.values()) info.addPod(pod);
      this.#orphans.delete(info.name);
    }
    this.nodes.set(info);
  }

  removeNode(name: string): void {
    const info = this.nodes.delete(name);
    if (info !== undefined && info.pods.size > 0) this.#orphans.set(name, new Map(info.pods));
  }

  /** Counts `pod` on `nodeName` (a bound pod seen by the informer, or an assumed one). */
  addPod(pod: PodInfo, nodeName: string): void {
    const before = this.#placement.get(pod.key);
    if (before !== undefined && before !== nodeName) this.removePod(pod.key);
    this.#placement.set(pod.key, nodeName);
    this.#assumed.delete(pod.key);
    const info = this.nodes.get(nodeName);
    if (info !== undefined) {
      info.addPod(pod);
      return;
    }
    let orphans = this.#orphans.get(nodeName);
    if (orphans === undefined) {
      orphans = new Map();
      this.#orphans.set(nodeName, orphans);
    }
    orphans.set(pod.key, pod);
  }

  removePod(key: string): void {
    const nodeName = this.#placement.get(key);
    if (nodeName === undefined) return;
    this.#placement.delete(key);
    this.#assumed.delete(key);
    const info = this.nodes.get(nodeName);
    if (info !== undefined) info.removePod(key);
    else this.#orphans.get(nodeName)?.delete(key);
  }

  /** Places `pod` on `nodeName` before its bind lands. */
  assume(pod: PodInfo, nodeName: string): void {
    this.addPod(pod, nodeName);
    this.#assumed.add(pod.key);
  }

  /** Undoes {@link assume} (the bind failed). A pod the informer has since confirmed stays. */
  forget(key: string): void {
    if (this.#assumed.has(key)) this.removePod(key);
  }

  isAssumed(key: string): boolean {
    return this.#assumed.has(key);
  }

  /** The node a pod is counted on, if any. */
  nodeOf(key: string): string | undefined {
    return this.#placement.get(key);
  }
}
