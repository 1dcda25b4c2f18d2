/**
 * The endpoint slice controller: keeps, for every Service with a selector,
 * EndpointSlices listing the pods it selects — their addresses, ports and
 * readiness — as Kubernetes' `endpointslice-controller` does.
 */
import { EndpointSlice, isPodReady, Node, Pod, Service } from '@keelson/api';
import {
  type Cache,
  type Controller,
  defineController,
  type Predicate,
  type ReconcileContext,
  type Request,
  watchSource,
} from '@keelson/controller';
import { InvalidError, isKeelsonError, type LabelSelector, labelSelectorFromStructured } from '@keelson/core';
import { DEFAULT_MAX_ENDPOINTS_PER_SLICE, type EndpointGroup, planEndpointSlices } from './planEndpointSlices';
import {
  type AddressType,
  endpointPortsFor,
  podToEndpoint,
  portSetKey,
  shouldPodBeInEndpoints,
  ZONE_LABEL,
} from './podEndpoints';
import { ServiceMemberships } from './serviceMemberships';
import { ENDPOINTSLICE_CONTROLLER_NAME, MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from './sliceLabels';
import { EndpointSliceTracker } from './sliceTracker';

const NAME = 'endpointslice-controller';

/** Options for {@link endpointSliceController}. */
export interface EndpointSliceControllerOptions {
  /** Endpoints per slice, 1–1000 (Kubernetes' `--max-endpoints-per-slice`, default 100). */
  maxEndpointsPerSlice?: number;
}

const selectors = new WeakMap<Service, LabelSelector>();

/** The pod selector of a Service, or `undefined` when it has none (an empty selector counts as none). */
function podSelectorOf(service: Service): LabelSelector | undefined {
  const selector = service.spec.selector;
  if (selector === undefined || Object.keys(selector).length === 0) return undefined;
  let parsed = selectors.get(service);
  if (!parsed) {
    parsed = labelSelectorFromStructured({ matchLabels: selector });
    selectors.set(service, parsed);
  }
  return parsed;
}

/** The one address family Keelson publishes per Service: that of its cluster IP, IPv4 by default. */
function addressTypeOf(service: Service): AddressType {
  return service.spec.clusterIP?.includes(':') ? 'IPv6' : 'IPv4';
}

function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
}

function requestOf(serviceKey: string): Request {
  const slash = serviceKey.indexOf('/');
  return { namespace: serviceKey.slice(0, slash), name: serviceKey.slice(slash + 1) };
}

function sameLabels(a: Readonly<Record<string, string>> = {}, b: Readonly<Record<string, string>> = {}): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function podIPs(pod: Pod): string {
  return (pod.status?.podIPs ?? []).map((entry) => entry.ip).join(',') || (pod.status?.podIP ?? '');
}

/**
 * Pod updates that can change an endpoint or a membership (Kubernetes'
 * `podEndpointsChanged`): labels, hostname/subdomain, deletion, readiness,
 * IPs — and node and finished phase, which Keelson's tests may set late.
 */
const podEndpointsChanged: Predicate<Pod> = {
  update: (old, pod) =>
    old.metadata.resourceVersion !== pod.metadata.resourceVersion &&
    (!sameLabels(old.metadata.labels, pod.metadata.labels) ||
      old.spec.hostname !== pod.spec.hostname ||
      old.spec.subdomain !== pod.spec.subdomain ||
      old.metadata.deletionTimestamp !== pod.metadata.deletionTimestamp ||
      shouldPodBeInEndpoints(old) !== shouldPodBeInEndpoints(pod) ||
      isPodReady(old) !== isPodReady(pod) ||
      podIPs(old) !== podIPs(pod) ||
      old.spec.nodeName !== pod.spec.nodeName),
};

/** Node updates that change an endpoint: only its zone label. */
const nodeZoneChanged: Predicate<Node> = {
  update: (old, node) => old.metadata.labels?.[ZONE_LABEL] !== node.metadata.labels?.[ZONE_LABEL],
};

function checkOptions(options: EndpointSliceControllerOptions): number {
  const max = options.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE;
  if (!Number.isSafeInteger(max) || max < 1 || max > 1000) {
    throw new InvalidError(
      `endpointSliceController: option "maxEndpointsPerSlice" must be an integer from 1 to 1000, got ${String(max)}`,
    );
  }
  return max;
}

/**
 * The endpoint slice controller, for a manager. For each Service with a
 * selector (not ExternalName) it publishes one endpoint per selected pod
 * that has an IP and has not finished — `ready`, `serving` and
 * `terminating` conditions, node, zone (the node's
 * `topology.kubernetes.io/zone` label), and a reference to the pod — in
 * slices of at most `maxEndpointsPerSlice`, grouped by the ports the pods
 * resolve. Slices carry `kubernetes.io/service-name`, the
 * `endpointslice.kubernetes.io/managed-by` label and a controller reference
 * to the Service (the garbage collector removes them with it). Changes are
 * made in place with as few writes as possible; an unchanged Service costs
 * none.
 *
 * @example
 * ```ts
 * manager.add(endpointSliceController({ maxEndpointsPerSlice: 100 }));
 * ```
 */
export function endpointSliceController(options: EndpointSliceControllerOptions = {}): Controller {
  const maxEndpointsPerSlice = checkOptions(options);
  const tracker = new EndpointSliceTracker();
  const memberships = new ServiceMemberships();

  const servicesForPod = (pod: Pod, cache: Cache): Request[] => {
    const namespace = pod.metadata.namespace;
    const keys = new Set(memberships.servicesOfPod(podKey(pod)));
    for (const service of cache.list(Service, { namespace })) {
      if (podSelectorOf(service)?.matches(pod.metadata.labels ?? {})) keys.add(`${namespace}/${service.metadata.name}`);
    }
    return [...keys].map(requestOf);
  };

  async function reconcile(request: Request, context: ReconcileContext): Promise<void> {
    const { cache, client } = context;
    const namespace = request.namespace ?? 'default';
    const serviceKey = `${namespace}/${request.name}`;
    const service = cache.get(Service, request.name, namespace);
    if (!service) {
      tracker.forget(serviceKey);
      memberships.remove(serviceKey);
      return;
    }
    const selector = podSelectorOf(service);
    // Without a selector the Service's endpoints are someone else's to write; ExternalName has none.
    if (service.spec.type === 'ExternalName' || selector === undefined) {
      memberships.remove(serviceKey);
      return;
    }

    const addressType = addressTypeOf(service);
    // The cache lists a namespace sorted by name already.
    const pods = cache.list(Pod, { namespace }).filter((pod) => selector.matches(pod.metadata.labels ?? {}));
    const groups = new Map<string, EndpointGroup>();
    const missingNodes = new Set<string>();
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod)) continue;
      const node = pod.spec.nodeName ? cache.get(Node, pod.spec.nodeName) : undefined;
      // As Kubernetes does, a pod whose node is unknown is left out until the node appears.
      if (node === undefined && service.spec.publishNotReadyAddresses !== true) {
        missingNodes.add(pod.spec.nodeName ?? '');
        continue;
      }
      const endpoint = podToEndpoint(pod, node, service, addressType);
      if (endpoint.addresses.length === 0) continue;
      const ports = endpointPortsFor(service, pod);
      const key = portSetKey(ports);
      const group = groups.get(key);
      if (group) group.endpoints.push(endpoint);
      else groups.set(key, { ports, endpoints: [endpoint] });
    }
    memberships.set(
      serviceKey,
      pods.map(podKey),
      pods.flatMap((pod) => (pod.spec.nodeName ? [pod.spec.nodeName] : [])),
    );
    if (missingNodes.size > 0) {
      context.logger.info(
        { service: serviceKey, nodes: [...missingNodes] },
        `left out pods of Service ${serviceKey} on unknown nodes`,
      );
    }

    const sliceSelector = {
      matchLabels: { [SERVICE_NAME_LABEL]: service.metadata.name, [MANAGED_BY_LABEL]: ENDPOINTSLICE_CONTROLLER_NAME },
    };
    let slices = cache.list(EndpointSlice, { namespace, labelSelector: sliceSelector });
    if (tracker.isStale(serviceKey, slices)) {
      // The cache has not seen our last writes yet: read the store itself rather than act on old state.
      slices = (await client.list(EndpointSlice, { namespace, labelSelector: sliceSelector })).items;
      tracker.settle(serviceKey, slices);
    }
    const plan = planEndpointSlices({
      service,
      addressType,
      existing: slices.filter((slice) => slice.metadata.deletionTimestamp === undefined),
      desired: [...groups.values()],
      maxEndpointsPerSlice,
    });

    const reason = `endpoints of Service ${serviceKey}`;
    try {
      // Creating beside a Service being deleted would race the garbage collector.
      if (service.metadata.deletionTimestamp === undefined) {
        for (const slice of plan.create)
          tracker.wrote(serviceKey, await client.create(EndpointSlice, slice, { reason }));
      }
      for (const slice of plan.update) tracker.wrote(serviceKey, await client.update(slice, { reason }));
      for (const slice of plan.delete) {
        try {
          await client.delete(EndpointSlice, slice.metadata.name, {
            namespace,
            preconditions: { uid: slice.metadata.uid },
            reason,
          });
        } catch (error) {
          if (!isKeelsonError(error, 'NotFound')) throw error;
        }
        tracker.deleted(serviceKey, slice.metadata.name);
      }
    } catch (error) {
      // A namespace being deleted refuses new slices for good: nothing to retry.
      if (isKeelsonError(error, 'Forbidden') && /being terminated/.test((error as Error).message)) return;
      await context.recorder
        ?.event(
          service,
          'Warning',
          'FailedToUpdateEndpointSlices',
          `Error updating Endpoint Slices for Service ${serviceKey}: ${(error as Error).message}`,
        )
        .catch(() => undefined);
      throw error;
    }
  }

  return defineController({
    name: NAME,
    for: Service,
    owns: [EndpointSlice],
    watches: [
      watchSource(Pod, servicesForPod, [podEndpointsChanged]),
      watchSource(Node, (node) => memberships.servicesOnNode(node.metadata.name).map(requestOf), [nodeZoneChanged]),
    ],
    reconcile,
  }) as unknown as Controller;
}
