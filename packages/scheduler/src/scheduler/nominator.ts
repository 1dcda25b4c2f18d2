/**
 * Pods nominated to nodes by preemption (kube-scheduler's nominator): while
 * the victims terminate, lower-priority pods must leave room for them.
 */
import type { PodInfo } from '../framework/podInfo';

export class Nominator {
  readonly #byNode = new Map<string, Map<string, PodInfo>>();
  readonly #nodeOf = new Map<string, string>();

  /** Records (or moves, or with `undefined` clears) the nomination of `pod`. */
  set(pod: PodInfo, nodeName: string | undefined): void {
    const before = this.#nodeOf.get(pod.key);
    if (before !== undefined && before !== nodeName) this.delete(pod.key);
    if (!nodeName) return;
    let pods = this.#byNode.get(nodeName);
    if (pods === undefined) {
      pods = new Map();
      this.#byNode.set(nodeName, pods);
    }
    pods.set(pod.key, pod);
    this.#nodeOf.set(pod.key, nodeName);
  }

  delete(key: string): void {
    const nodeName = this.#nodeOf.get(key);
    if (nodeName === undefined) return;
    this.#nodeOf.delete(key);
    const pods = this.#byNode.get(nodeName);
    pods?.delete(key);
    if (pods?.size === 0) this.#byNode.delete(nodeName);
  }

  /** The pods nominated to `nodeName`. */
  podsOn(nodeName: string): readonly PodInfo[] {
    const pods = this.#byNode.get(nodeName);
    return pods === undefined ? EMPTY : [...pods.values()];
  }

  get size(): number {
    return this.#nodeOf.size;
  }
}

const EMPTY: readonly PodInfo[] = Object.freeze([]);
