/**
 * What the scheduler knows about a pod, computed once per pod object: its
 * requests as plain numbers, its host ports, its priority. Store objects are
 * frozen and shared, so the cache is keyed by the object itself.
 */
import { type Pod, parseQuantity, podRequests } from '@keelson/api';

/** Kubernetes' stand-ins for a container without a cpu / memory request, used only for scoring. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** A resource amount per kind: cpu in millicores, everything else in units (bytes, devices). */
export interface ResourceAmounts {
  milliCpu: number;
  memory: number;
  ephemeralStorage: number;
  /** Extended and other resources (`nvidia.com/gpu`, `hugepages-2Mi`, …) by name. */
  scalar: Map<string, number>;
}

/** A host port a pod claims. */
export interface HostPort {
  readonly hostIP: string;
  readonly protocol: string;
  readonly hostPort: number;
}

export interface PodInfo {
  readonly pod: Pod;
  /** `namespace/name`. */
  readonly key: string;
  readonly uid: string;
  /** `spec.priority`, 0 when unset. */
  readonly priority: number;
  /** What the pod asks for (containers, init containers, sidecars and overhead, as Kubernetes counts). */
  readonly requests: Readonly<ResourceAmounts>;
  /** cpu and memory with 100m / 200Mi standing in for missing requests (scoring only). */
  readonly nonZeroMilliCpu: number;
  readonly nonZeroMemory: number;
  /** Whether the pod requests nothing at all (a best-effort pod). */
  readonly requestsNothing: boolean;
  readonly hostPorts: readonly HostPort[];
  /** The pod declares pod affinity or anti-affinity (of any kind). */
  readonly hasAffinity: boolean;
  /** The pod declares required pod anti-affinity. */
  readonly hasRequiredAntiAffinity: boolean;
  /** A per-pod cache for plugins' parsed data (selectors, terms), computed on first use. */
  memo<T>(key: string, compute: (pod: Pod) => T): T;
}

/** Converts a Kubernetes resource list into numbers. */
export function resourceAmounts(
  list: Readonly<Record<string, { milliValue(): bigint; value(): bigint }>>,
): ResourceAmounts {
  // Values go into locals and the object is built once, as a literal: objects whose fields
  // change representation after creation (Smi 0 → large double) end up slow to read.
  let milliCpu = 0;
  let memory = 0;
  let ephemeralStorage = 0;
  const scalar = new Map<string, number>();
  for (const [name, quantity] of Object.entries(list)) {
    if (name === 'cpu') milliCpu = Number(quantity.milliValue());
    else if (name === 'memory') memory = Number(quantity.value());
    else if (name === 'ephemeral-storage') ephemeralStorage = Number(quantity.value());
    else scalar.set(name, Number(quantity.value()));
  }
  return { milliCpu, memory, ephemeralStorage, scalar };
}

/** Parses a resource list of quantity strings (a node's allocatable, a request). */
export function parseResourceList(list: Readonly<Record<string, string>> | undefined): ResourceAmounts {
  const parsed: Record<string, ReturnType<typeof parseQuantity>> = {};
  for (const [name, text] of Object.entries(list ?? {})) parsed[name] = parseQuantity(text);
  return resourceAmounts(parsed);
}

type Container = Pod['spec']['containers'][number];

function withStandIns(container: Container): Container {
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  const missingCpu = requests.cpu === undefined && limits.cpu === undefined;
  const missingMemory = requests.memory === undefined && limits.memory === undefined;
  if (!missingCpu && !missingMemory) return container;
  return {
    ...container,
    resources: {
      ...container.resources,
      requests: {
        ...requests,
        ...(missingCpu ? { cpu: `${DEFAULT_MILLI_CPU_REQUEST}m` } : {}),
        ...(missingMemory ? { memory: String(DEFAULT_MEMORY_REQUEST) } : {}),
      },
    },
  };
}

/** Host ports of the containers and sidecars (init containers that keep running), as Kubernetes counts them. */
function hostPortsOf(pod: Pod): HostPort[] {
  const ports: HostPort[] = [];
  const sidecars = (pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const list of [pod.spec.containers, sidecars]) {
    for (const container of list) {
      for (const port of container.ports ?? []) {
        if (port.hostPort === undefined || port.hostPort <= 0) continue;
        ports.push({ hostIP: port.hostIP || '0.0.0.0', protocol: port.protocol ?? 'TCP', hostPort: port.hostPort });
      }
    }
  }
  return ports;
}

/** What a pod's containers ask for, computed once per containers array (bound pods share it with their pending selves). */
interface ContainerFacts {
  readonly initContainers: Pod['spec']['initContainers'];
  readonly overhead: Pod['spec']['overhead'];
  readonly requests: ResourceAmounts;
  readonly nonZeroMilliCpu: number;
  readonly nonZeroMemory: number;
  readonly requestsNothing: boolean;
  readonly hostPorts: readonly HostPort[];
}

const factsCache = new WeakMap<object, ContainerFacts>();

function containerFacts(pod: Pod): ContainerFacts {
  const { containers, initContainers, overhead } = pod.spec;
  const cached = factsCache.get(containers);
  if (cached !== undefined && cached.initContainers === initContainers && cached.overhead === overhead) return cached;
  const requests = resourceAmounts(podRequests(pod));
  const standIns = resourceAmounts(
    podRequests({
      spec: {
        containers: containers.map(withStandIns),
        ...(initContainers ? { initContainers: initContainers.map(withStandIns) } : {}),
        ...(overhead ? { overhead } : {}),
      },
    }),
  );
  const facts: ContainerFacts = {
    initContainers,
    overhead,
    requests,
    nonZeroMilliCpu: standIns.milliCpu,
    nonZeroMemory: standIns.memory,
    requestsNothing:
      requests.milliCpu === 0 && requests.memory === 0 && requests.ephemeralStorage === 0 && requests.scalar.size === 0,
    hostPorts: hostPortsOf(pod),
  };
  factsCache.set(containers, facts);
  return facts;
}

class CachedPodInfo implements PodInfo {
  readonly key: string;
  readonly uid: string;
  readonly priority: number;
  readonly requests: ResourceAmounts;
  readonly nonZeroMilliCpu: number;
  readonly nonZeroMemory: number;
  readonly requestsNothing: boolean;
  readonly hostPorts: readonly HostPort[];
  readonly hasAffinity: boolean;
  readonly hasRequiredAntiAffinity: boolean;
  #memo: Map<string, unknown> | undefined;

  constructor(readonly pod: Pod) {
    this.key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
    this.uid = pod.metadata.uid ?? '';
    this.priority = pod.spec.priority ?? 0;
    const facts = containerFacts(pod);
    this.requests = facts.requests;
    this.requestsNothing = facts.requestsNothing;
    this.nonZeroMilliCpu = facts.nonZeroMilliCpu;
    this.nonZeroMemory = facts.nonZeroMemory;
    this.hostPorts = facts.hostPorts;
    const affinity = pod.spec.affinity;
    this.hasAffinity = affinity?.podAffinity !== undefined || affinity?.podAntiAffinity !== undefined;
    this.hasRequiredAntiAffinity =
      (affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
  }

  memo<T>(key: string, compute: (pod: Pod) => T): T {
    this.#memo ??= new Map();
    if (this.#memo.has(key)) return this.#memo.get(key) as T;
    const value = compute(this.pod);
    this.#memo.set(key, value);
    return value;
  }
}

const cache = new WeakMap<Pod, PodInfo>();

/** The scheduler's view of `pod`, computed once per pod object. */
export function podInfoOf(pod: Pod): PodInfo {
  let info = cache.get(pod);
  if (info === undefined) {
    info = new CachedPodInfo(pod);
    cache.set(pod, info);
  }
  return info;
}
