/**
 * A node as the scheduler sees it (Kubernetes' `NodeInfo`): the node, the
 * pods on it (bound or assumed), and running totals of what they request, so
 * that fitting a pod costs a few comparisons instead of a walk over its pods.
 */
import type { Node } from '@keelson/api';
import { type HostPort, type PodInfo, parseResourceList, type ResourceAmounts } from './podInfo';

/** Kubernetes' default when a node does not report `pods` capacity. */
export const DEFAULT_MAX_PODS = 110;

/** What a node offers pods: its allocatable resources and how many pods it takes. */
export interface Allocatable extends ResourceAmounts {
  pods: number;
}

/** Kubernetes' image name normalisation for locality: an untagged name means `:latest`. */
export function normalizedImageName(name: string): string {
  if (name.includes('@')) return name;
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

function allocatableOf(node: Node): Allocatable {
  const list = node.status?.allocatable ?? node.status?.capacity;
  const { milliCpu, memory, ephemeralStorage, scalar } = parseResourceList(list);
  const pods = scalar.get('pods') ?? DEFAULT_MAX_PODS;
  scalar.delete('pods');
  // A literal, not a spread: spread copies are slow to read in the filter loop.
  return { milliCpu, memory, ephemeralStorage, scalar, pods };
}

/** A remembered matching-pod count and the `matchGeneration` it was taken at. */
export interface CachedCount {
  generation: number;
  count: number;
}

/** {@link NodeInfo.selectorCounts}: the last selector counted (checked by identity first), then the rest by key. */
export interface SelectorCounts {
  lastSelector: object | undefined;
  lastNamespace: string;
  last: CachedCount;
  readonly byKey: Map<string, CachedCount>;
}

function portKey(port: HostPort): string {
  return `${port.protocol}/${port.hostPort}`;
}

export class NodeInfo {
  node: Node;
  name: string;
  /** `spec.unschedulable` (kept here so the filter loop never reaches into the node object). */
  unschedulable: boolean;
  /** `spec.taints`, or `undefined` when there are none. */
  taints: Node['spec']['taints'];
  /** How many pods are counted here (`pods.size`, kept as a plain number for the filter loop). */
  podCount = 0;
  allocatable: Allocatable;
  /** What the pods here request, summed. */
  readonly requested: ResourceAmounts = { milliCpu: 0, memory: 0, ephemeralStorage: 0, scalar: new Map() };
  /** cpu and memory requested with Kubernetes' stand-ins for missing requests (for scoring). */
  nonZeroMilliCpu = 0;
  nonZeroMemory = 0;
  /** The pods here by `namespace/name`, bound or assumed. */
  readonly pods = new Map<string, PodInfo>();
  /** Pods here that declare pod affinity or anti-affinity. */
  readonly podsWithAffinity = new Map<string, PodInfo>();
  /** Pods here that declare required pod anti-affinity. */
  readonly podsWithRequiredAntiAffinity = new Map<string, PodInfo>();
  /** Host ports in use: `protocol/port` → the host IPs bound to it. */
  readonly usedPorts = new Map<string, string[]>();
  /** Images on the node (normalised names) → size in bytes. */
  images: Map<string, number>;
  /** Bumped on every change, so cached per-node results can be checked for staleness. */
  generation = 0;
  /**
   * Bumped only when what a label selector could match here changes: a pod
   * added or removed, or one replaced with other labels, namespace or
   * deletion timestamp (not on status-only updates), for matching-pod counts.
   */
  matchGeneration = 0;
  /**
   * Matching-pod counts remembered here by selector (PodTopologySpread's
   * `countPodsMatchSelector`), each valid while `matchGeneration` holds; not
   * copied by {@link clone}.
   */
  selectorCounts: SelectorCounts | undefined = undefined;
  /** Shared with the node list: bumped when pods with pod affinity come or go, so its lists stay cached. */
  affinityTracker: { version: number } | undefined;

  constructor(node: Node) {
    this.node = node;
    this.name = node.metadata.name;
    this.unschedulable = node.spec.unschedulable === true;
    this.taints = node.spec.taints?.length ? node.spec.taints : undefined;
    this.allocatable = allocatableOf(node);
    this.images = NodeInfo.#imagesOf(node);
  }

  static #imagesOf(node: Node): Map<string, number> {
    const images = new Map<string, number>();
    for (const image of node.status?.images ?? []) {
      for (const name of image.names ?? []) images.set(normalizedImageName(name), image.sizeBytes ?? 0);
    }
    return images;
  }

  /** Replaces the node object (labels, taints, allocatable may change); pods stay. */
  setNode(node: Node): void {
    if (node.status !== this.node.status) {
      this.allocatable = allocatableOf(node);
      this.images = NodeInfo.#imagesOf(node);
    }
    this.node = node;
    this.unschedulable = node.spec.unschedulable === true;
    this.taints = node.spec.taints?.length ? node.spec.taints : undefined;
    this.generation++;
  }

  /** Counts `pod` here. A pod already here under the same key is replaced. */
  addPod(pod: PodInfo): void {
    const existing = this.pods.get(pod.key);
    if (existing !== undefined) {
      // The same pod, updated (e.g. its bind confirmed): nothing to recount when what it asks for is shared.
      if (
        existing.requests === pod.requests &&
        existing.hostPorts === pod.hostPorts &&
        existing.hasAffinity === pod.hasAffinity &&
        existing.hasRequiredAntiAffinity === pod.hasRequiredAntiAffinity &&
        !pod.hasAffinity
      ) {
        const before = existing.pod.metadata;
        const after = pod.pod.metadata;
        if (
          before.labels !== after.labels ||
          before.namespace !== after.namespace ||
          before.deletionTimestamp !== after.deletionTimestamp
        ) {
          this.matchGeneration++;
        }
        this.pods.set(pod.key, pod);
        this.generation++;
        return;
      }
      this.removePod(pod.key);
    }
    this.pods.set(pod.key, pod);
    this.podCount = this.pods.size;
    this.#account(pod, 1);
    if (pod.hasAffinity) {
      this.podsWithAffinity.set(pod.key, pod);
      if (this.affinityTracker) this.affinityTracker.version++;
    }
    if (pod.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity.set(pod.key, pod);
    for (const port of pod.hostPorts) {
      const key = portKey(port);
      const ips = this.usedPorts.get(key);
      if (ips === undefined) this.usedPorts.set(key, [port.hostIP]);
      else ips.push(port.hostIP);
    }
    this.generation++;
    this.matchGeneration++;
  }

  /** Stops counting the pod with this key; returns it, or `undefined` if it was not here. */
  removePod(key: string): PodInfo | undefined {
    const pod = this.pods.get(key);
    if (pod === undefined) return undefined;
    this.pods.delete(key);
    this.podCount = this.pods.size;
    this.podsWithAffinity.delete(key);
    this.podsWithRequiredAntiAffinity.delete(key);
    if (pod.hasAffinity && this.affinityTracker) this.affinityTracker.version++;
    this.#account(pod, -1);
    for (const port of pod.hostPorts) {
      const key = portKey(port);
      const ips = this.usedPorts.get(key);
      if (ips === undefined) continue;
      const at = ips.indexOf(port.hostIP);
      if (at >= 0) ips.splice(at, 1);
      if (ips.length === 0) this.usedPorts.delete(key);
    }
    this.generation++;
    this.matchGeneration++;
    return pod;
  }

  #account(pod: PodInfo, sign: 1 | -1): void {
    const r = pod.requests;
    this.requested.milliCpu += sign * r.milliCpu;
    this.requested.memory += sign * r.memory;
    this.requested.ephemeralStorage += sign * r.ephemeralStorage;
    for (const [name, amount] of r.scalar) {
      const next = (this.requested.scalar.get(name) ?? 0) + sign * amount;
      if (next === 0) this.requested.scalar.delete(name);
      else this.requested.scalar.set(name, next);
    }
    this.nonZeroMilliCpu += sign * pod.nonZeroMilliCpu;
    this.nonZeroMemory += sign * pod.nonZeroMemory;
  }

  /**
   * Whether `port` conflicts with a port in use: same protocol and port, and
   * the same host IP or either side on `0.0.0.0` (all addresses).
   */
  portInUse(port: HostPort): boolean {
    const ips = this.usedPorts.get(portKey(port));
    if (ips === undefined) return false;
    if (port.hostIP === '0.0.0.0') return ips.length > 0;
    return ips.includes(port.hostIP) || ips.includes('0.0.0.0');
  }

  /** An independent copy (pods shared, totals copied), for preemption's what-if runs. */
  clone(): NodeInfo {
    const copy = new NodeInfo(this.node);
    for (const pod of this.pods.values()) copy.addPod(pod);
    copy.generation = this.generation;
    copy.matchGeneration = this.matchGeneration;
    return copy;
  }
}
