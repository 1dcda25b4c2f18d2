import { type Pod, parseQuantity, podRequests, type Quantity } from '@keelson/api';

/** Why the agent refused a pod: the status reason (`OutOfcpu`, …) and message the kubelet writes. */
export interface Rejection {
  reason: string;
  message: string;
}

function amount(resource: string, quantity: Quantity): bigint {
  return resource === 'cpu' ? quantity.milliValue() : quantity.value();
}

/** Requested amounts of frozen (store-owned, never changing) pods, computed once each. */
const frozenAmounts = new WeakMap<Pod, ReadonlyArray<readonly [string, bigint]>>();

/** What `pod` requests, resource by resource, in milli-units for cpu. */
function amountsOf(pod: Pod): ReadonlyArray<readonly [string, bigint]> {
  const known = frozenAmounts.get(pod);
  if (known !== undefined) return known;
  const amounts = Object.entries(podRequests(pod)).map(([resource, q]) => [resource, amount(resource, q)] as const);
  if (Object.isFrozen(pod) && Object.isFrozen(pod.spec)) frozenAmounts.set(pod, amounts);
  return amounts;
}

/**
 * The kubelet's admission (`predicateAdmitHandler`): the runtime must have the
 * handler the pod's `runtimeClassName` names (Keelson maps a runtime class to
 * the CRI handler of the same name), and the pod's requests plus those of the
 * pods already admitted must fit in `allocatable`, and so must the pod count.
 */
export function admitPod(
  pod: Pod,
  admitted: readonly Pod[],
  allocatable: Readonly<Record<string, string>>,
  runtimeHandlers?: ReadonlySet<string>,
): Rejection | undefined {
  const handler = pod.spec.runtimeClassName;
  if (handler !== undefined && runtimeHandlers !== undefined && !runtimeHandlers.has(handler)) {
    return {
      reason: 'UnknownRuntimeHandler',
      message: `Pod was rejected: the container runtime has no handler "${handler}" (spec.runtimeClassName); use one of: ${[...runtimeHandlers].filter(Boolean).join(', ') || 'none but the default'}`,
    };
  }
  const podsLimit = allocatable.pods;
  if (podsLimit !== undefined && BigInt(admitted.length + 1) > parseQuantity(podsLimit).value()) {
    return { reason: 'OutOfpods', message: "Pod was rejected: Node didn't have enough resource: pods" };
  }
  const requests = podRequests(pod);
  const used = new Map<string, bigint>();
  for (const other of admitted) {
    for (const [resource, value] of amountsOf(other)) used.set(resource, (used.get(resource) ?? 0n) + value);
  }
  const order = [
    'cpu',
    'memory',
    ...Object.keys(requests)
      .filter((r) => r !== 'cpu' && r !== 'memory')
      .sort(),
  ];
  for (const resource of order) {
    const quantity = requests[resource];
    const capacity = allocatable[resource];
    if (quantity === undefined || capacity === undefined || quantity.isZero()) continue;
    const requested = amount(resource, quantity);
    const inUse = used.get(resource) ?? 0n;
    const available = amount(resource, parseQuantity(capacity));
    if (requested + inUse > available) {
      return {
        reason: `OutOf${resource}`,
        message: `Pod was rejected: Node didn't have enough resource: ${resource}, requested: ${requested}, used: ${inUse}, capacity: ${available}`,
      };
    }
  }
  return undefined;
}
