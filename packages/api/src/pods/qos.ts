/**
 * Quality of service classes, by Kubernetes' rules (`ComputePodQOS`): they
 * decide which pods the kubelet evicts first when a node runs short.
 */
import type { QOSClass } from '../kinds/podStatus';
import { parseQuantity, type Quantity } from '../quantity/index';
import { type ContainerResources, containerRequests, type PodResourcesSpec } from './resources';

/** Only CPU and memory decide the class. */
const QOS_RESOURCES = ['cpu', 'memory'] as const;

function positive(list: Readonly<Record<string, string>> | undefined): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const name of QOS_RESOURCES) {
    const text = list?.[name];
    if (text === undefined) continue;
    const value = parseQuantity(text);
    if (value.cmp(parseQuantity('0')) > 0) out.set(name, value);
  }
  return out;
}

function addAll(into: Map<string, Quantity>, from: Map<string, Quantity>): void {
  for (const [name, value] of from) into.set(name, into.get(name)?.add(value) ?? value);
}

/**
 * The QoS class of a pod spec:
 * - `BestEffort` when no container (init containers included) requests or
 *   limits CPU or memory;
 * - `Guaranteed` when every container has CPU and memory limits and the
 *   pod's summed requests equal its summed limits;
 * - `Burstable` otherwise.
 *
 * A limit without a request counts as a request of the limit, as Kubernetes
 * defaults it on pods, so a template and the pods made from it agree.
 *
 * @example
 * ```ts
 * qosClassOf({ containers: [{ resources: { limits: { cpu: '1', memory: '1Gi' } } }] }); // 'Guaranteed'
 * qosClassOf({ containers: [{ resources: { requests: { cpu: '1' } } }] }); // 'Burstable'
 * qosClassOf({ containers: [{}] }); // 'BestEffort'
 * ```
 */
export function qosClassOf(spec: PodResourcesSpec): QOSClass {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const all: readonly ContainerResources[] = [...spec.containers, ...(spec.initContainers ?? [])];
  for (const container of all) {
    addAll(requests, positive(containerRequests(container)));
    const containerLimits = positive(container.resources?.limits);
    addAll(limits, containerLimits);
    if (!QOS_RESOURCES.every((name) => containerLimits.has(name))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, request] of requests) {
      const limit = limits.get(name);
      if (limit === undefined || limit.cmp(request) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
