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

/** Parsed allocatable amounts, per (unchanging) allocatable record of a node. */
const parsedAllocatable = new WeakMap<object, Map<string, bigint>>();

function availableOf(allocatable: Readonly<Record<string, string>>, resource: string): bigint {
  let parsed = parsedAllocatable.get(allocatable);
  if (parsed === undefined) {
    parsed = new Map();
    if (Object.isFrozen(allocatable)) parsedAllocatable.set(allocatable, parsed);
  }
  let value = parsed.get(resource);
  if (value === undefined) {
    value = amount(resource, parseQuantity(allocatable[resource] as string));
    parsed.set(resource, value);
  }
  return value;
}

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
  if (podsLimit !== undefined && BigInt(admitted.length + 1) > availableOf(allocatable, 'pods')) {
    return { reason: 'OutOfpods', message: "Pod was rejected: Node didn't have enough resource: pods" };
  }
  const requests = podRequests(pod);
  const order = [
    'cpu',
    'memory',
    ...Object.keys(requests)
      .filter((r) => r !== 'cpu' && r !== 'memory')
      .sort(),
  ];
  // Only the resources this pod asks for (and the node offers) are checked, so only those are summed.
  const checked: Array<{ resource: string; requested: bigint; inUse: bigint }> = [];
  for (const resource of order) {
    const quantity = requests[resource];
    const capacity = allocatable[resource];
    if (quantity === undefined || capacity === undefined || quantity.isZero()) continue;
    checked.push({ resource, requested: amount(resource, quantity), inUse: 0n });
  }
  if (checked.length === 0) return undefined;
  for (const other of admitted) {
    for (const [resource, value] of amountsOf(other)) {
      for (const entry of checked) if (entry.resource === resource) entry.inUse += value;
    }
  }
  for (const { resource, requested, inUse } of checked) {
    const available = availableOf(allocatable, resource);
    if (requested + inUse > available) {
      return {
        reason: `OutOf${resource}`,
        message: `Pod was rejected: Node didn't have enough resource: ${resource}, requested: ${requested}, used: ${inUse}, capacity: ${available}`,
      };
    }
  }
  return undefined;
}
