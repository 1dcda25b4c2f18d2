/**
 * Builders for plugin tests: nodes and pods from manifest-shaped input
 * (validated and defaulted like the store does), a cluster view over them,
 * and a plugin handle.
 */
import { Node, Pod, type PodSpecInput } from '@keelson/api';
import { createRandom, VirtualClock } from '@keelson/clock';
import { validateObject } from '@keelson/core';
import {
  type ClusterView,
  type CycleState,
  isRejection,
  NodeInfo,
  NodeInfoList,
  type PluginHandle,
  type PluginResult,
  type PodInfo,
  podInfoOf,
} from '../src/framework/index';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** A validated Node. `cpu` / `memory` / `pods` fill `status.capacity` when given. */
export function makeNode(
  name: string,
  options: {
    cpu?: string;
    memory?: string;
    pods?: string;
    capacity?: Record<string, string>;
    labels?: Record<string, string>;
    spec?: { unschedulable?: boolean; taints?: Array<{ key: string; value?: string; effect: string }> };
    images?: Array<{ names: string[]; sizeBytes: number }>;
  } = {},
): Node {
  const capacity: Record<string, string> = {
    cpu: options.cpu ?? '4',
    memory: options.memory ?? '32Gi',
    pods: options.pods ?? '110',
    ...options.capacity,
  };
  const input = {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...options.labels }, uid: `uid-${name}` },
    spec: options.spec ?? {},
    status: { capacity, ...(options.images ? { images: options.images } : {}) },
  };
  return validateObject(Node, input).object as unknown as Node;
}

let podCount = 0;

/** A validated Pod in `default` (unless `metadata.namespace` says otherwise), with a uid. */
export function makePod(
  name: string,
  spec: DeepPartial<PodSpecInput> & object = {},
  metadata: Record<string, unknown> = {},
): Pod {
  const input = {
    metadata: { name, namespace: 'default', uid: `uid-${name}-${podCount++}`, ...metadata },
    spec: { containers: [{ name: 'main', image: 'app:1' }], ...spec },
  };
  return validateObject(Pod, input).object as unknown as Pod;
}

/** A pod with one container requesting `cpu` / `memory`. */
export function podRequesting(name: string, requests: Record<string, string>, spec: object = {}): Pod {
  return makePod(name, { containers: [{ name: 'main', image: 'app:1', resources: { requests } }], ...spec });
}

/** A cluster view over `nodes`, with `pods` placed on the nodes their `spec.nodeName` names. */
export function clusterOf(nodes: Node[], pods: Pod[] = []): NodeInfoList {
  const list = new NodeInfoList();
  for (const node of nodes) list.set(new NodeInfo(node));
  for (const pod of pods) {
    const info = pod.spec.nodeName ? list.get(pod.spec.nodeName) : undefined;
    if (info === undefined) throw new Error(`test pod ${pod.metadata.name} names no known node`);
    info.addPod(podInfoOf(pod));
  }
  return list;
}

/** A handle for building a plugin in a test; `runFilters` runs the given filter plugins. */
export function handleFor(
  cluster: ClusterView,
  filters: Array<{ filter?: (s: CycleState, p: PodInfo, n: NodeInfo) => PluginResult }> = [],
): PluginHandle {
  return {
    cluster,
    clock: new VirtualClock(0),
    random: createRandom(1, 'test'),
    runFilters(state, pod, node) {
      for (const plugin of filters) {
        const status = plugin.filter?.(state, pod, node);
        if (isRejection(status)) return status;
      }
      return undefined;
    },
    runAddPod: () => undefined,
    runRemovePod: () => undefined,
  };
}
