/**
 * A pod's effective resource requests, as the scheduler and the kubelet
 * count them (`AggregateContainerRequests` in k8s.io/component-helpers).
 */
import { parseQuantity, type Quantity } from '../quantity/index';

/** The parts of a container that resource accounting reads. */
export interface ContainerResources {
  resources?: { requests?: Readonly<Record<string, string>>; limits?: Readonly<Record<string, string>> };
  restartPolicy?: 'Always';
}

/** The parts of a pod spec that resource accounting reads. */
export interface PodResourcesSpec {
  containers: readonly ContainerResources[];
  initContainers?: readonly ContainerResources[];
  /** What the pod's sandbox itself costs (from its RuntimeClass), added on top of the containers. */
  overhead?: Readonly<Record<string, string>>;
}

/**
 * A container's requests, where a resource with a limit but no request asks
 * for its limit (Kubernetes defaults pods' requests that way, so templates
 * and pods count alike).
 */
export function containerRequests(container: ContainerResources): Record<string, string> {
  return { ...(container.resources?.limits ?? {}), ...(container.resources?.requests ?? {}) };
}

function add(into: Map<string, Quantity>, list: Readonly<Record<string, string>>): void {
  for (const [name, text] of Object.entries(list)) {
    const value = parseQuantity(text);
    const current = into.get(name);
    into.set(name, current === undefined ? value : current.add(value));
  }
}

function max(into: Map<string, Quantity>, other: ReadonlyMap<string, Quantity>): void {
  for (const [name, value] of other) {
    const current = into.get(name);
    if (current === undefined || value.cmp(current) > 0) into.set(name, value);
  }
}

/**
 * What a pod asks for, per resource: the sum over its containers and
 * sidecars (init containers with `restartPolicy: Always`), or — if larger —
 * what any other init container needs while it runs next to the sidecars
 * started before it — plus the pod's `overhead`. That is the amount the
 * scheduler must find on a node.
 *
 * @example
 * ```ts
 * podRequests({ spec: { containers: [
 *   { resources: { requests: { cpu: '250m', memory: '64Mi' } } },
 *   { resources: { requests: { cpu: '500m' } } },
 * ], initContainers: [{ resources: { requests: { cpu: '1' } } }] } });
 * // { cpu: 1 (the init container wins), memory: 64Mi } as Quantity values
 * ```
 */
export function podRequests(pod: { spec: PodResourcesSpec }): Record<string, Quantity> {
  const total = new Map<string, Quantity>();
  for (const container of pod.spec.containers) add(total, containerRequests(container));
  const sidecars = new Map<string, Quantity>();
  const initPeak = new Map<string, Quantity>();
  for (const container of pod.spec.initContainers ?? []) {
    const requests = containerRequests(container);
    if (container.restartPolicy === 'Always') {
      add(total, requests);
      add(sidecars, requests);
      max(initPeak, sidecars);
    } else {
      const running = new Map(sidecars);
      add(running, requests);
      max(initPeak, running);
    }
  }
  max(total, initPeak);
  if (pod.spec.overhead !== undefined) add(total, pod.spec.overhead);
  return Object.fromEntries(total);
}
