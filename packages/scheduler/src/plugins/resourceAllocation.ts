/**
 * What NodeResourcesFit's and NodeResourcesBalancedAllocation's scoring reads
 * of a pod and a node (kube-scheduler's `resourceAllocationScorer`): the
 * pod's request per configured resource, and per node the allocatable and the
 * node's requested total plus the pod's request. Score runs for every
 * feasible node, so the per-node arrays are scratch buffers owned by the
 * scorer and nothing is allocated per node.
 */
import type { NodeInfo } from '../framework/nodeInfo';
import type { PodInfo } from '../framework/podInfo';
import { isScalarResourceName } from './resourceNames';
import type { ResourceScorer, ResourceSpec } from './resourceScoring';

const CPU = 0;
const MEMORY = 1;
const EPHEMERAL_STORAGE = 2;
const SCALAR = 3;
const OTHER = 4;
type ResourceKind = typeof CPU | typeof MEMORY | typeof EPHEMERAL_STORAGE | typeof SCALAR | typeof OTHER;

function kindOf(name: string): ResourceKind {
  if (name === 'cpu') return CPU;
  if (name === 'memory') return MEMORY;
  if (name === 'ephemeral-storage') return EPHEMERAL_STORAGE;
  return isScalarResourceName(name) ? SCALAR : OTHER;
}

/**
 * Scores nodes for a pod with one {@link ResourceScorer}.
 *
 * `useRequested: false` (NodeResourcesFit) scores cpu and memory with the
 * non-zero stand-ins (100m / 200Mi for containers that request nothing);
 * `true` (BalancedAllocation) with the actual requests. Ephemeral storage and
 * scalar resources always use actual requests. A scalar resource the pod does
 * not request, or any resource the node does not offer, is left out.
 */
export class ResourceAllocationScorer {
  readonly #kinds: ResourceKind[];
  readonly #requested: Float64Array;
  readonly #allocatable: Float64Array;

  constructor(
    readonly resources: readonly ResourceSpec[],
    readonly scorer: ResourceScorer,
    readonly useRequested: boolean,
  ) {
    this.#kinds = resources.map((resource) => kindOf(resource.name));
    this.#requested = new Float64Array(resources.length);
    this.#allocatable = new Float64Array(resources.length);
  }

  /** The pod's request for each configured resource, in order (computed once per cycle, in PreScore). */
  podRequests(pod: PodInfo): number[] {
    return this.resources.map((resource, i) => {
      switch (this.#kinds[i]) {
        case CPU:
          return this.useRequested ? pod.requests.milliCpu : pod.nonZeroMilliCpu;
        case MEMORY:
          return this.useRequested ? pod.requests.memory : pod.nonZeroMemory;
        case EPHEMERAL_STORAGE:
          return pod.requests.ephemeralStorage;
        default:
          return pod.requests.scalar.get(resource.name) ?? 0;
      }
    });
  }

  /** Whether the pod requests none of the configured resources. */
  static requestsNothing(podRequests: readonly number[]): boolean {
    for (const request of podRequests) if (request !== 0) return false;
    return true;
  }

  /** The node's raw score for a pod whose {@link podRequests} are given. */
  score(node: NodeInfo, podRequests: readonly number[]): number {
    const requested = this.#requested;
    const allocatable = this.#allocatable;
    for (let i = 0; i < this.resources.length; i++) {
      requested[i] = 0;
      allocatable[i] = 0;
      this.#fill(i, node, podRequests[i] ?? 0);
    }
    return this.scorer(requested, allocatable);
  }

  #fill(i: number, node: NodeInfo, podRequest: number): void {
    const kind = this.#kinds[i];
    let allocatable = 0;
    let requested = 0;
    if (kind === CPU) {
      allocatable = node.allocatable.milliCpu;
      requested = (this.useRequested ? node.requested.milliCpu : node.nonZeroMilliCpu) + podRequest;
    } else if (kind === MEMORY) {
      allocatable = node.allocatable.memory;
      requested = (this.useRequested ? node.requested.memory : node.nonZeroMemory) + podRequest;
    } else if (kind === EPHEMERAL_STORAGE) {
      allocatable = node.allocatable.ephemeralStorage;
      requested = node.requested.ephemeralStorage + podRequest;
    } else {
      // An extended resource the pod does not ask for says nothing about this pod's fit.
      if (kind === SCALAR && podRequest === 0) return;
      const name = (this.resources[i] as ResourceSpec).name;
      const offered = node.allocatable.scalar.get(name);
      if (offered === undefined) return;
      allocatable = offered;
      requested = (node.requested.scalar.get(name) ?? 0) + podRequest;
    }
    if (allocatable === 0) return;
    this.#allocatable[i] = allocatable;
    this.#requested[i] = requested;
  }
}
