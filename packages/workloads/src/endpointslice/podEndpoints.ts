/**
 * How a pod becomes an endpoint of a Service, as Kubernetes' endpoint slice
 * controller decides it (`podToEndpoint`, `getEndpointPorts`, `findPort`,
 * `ShouldPodBeInEndpoints`): pure functions of the pod, its node and the
 * Service.
 */
import { type EndpointSlice, isPodReady, isPodTerminal, type Node, type Pod, type Service } from '@keelson/api';

/** One endpoint of an EndpointSlice. */
export type Endpoint = EndpointSlice['endpoints'][number];
/** One port of an EndpointSlice. */
export type EndpointPort = EndpointSlice['ports'][number];
/** The kind of address every endpoint of a slice has. */
export type AddressType = EndpointSlice['addressType'];
type ServicePort = NonNullable<Service['spec']['ports']>[number];

/** The node label an endpoint's `zone` comes from. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/**
 * Whether a pod belongs in a Service's endpoints at all: it has an IP and
 * has not finished (Succeeded or Failed). Terminating pods stay, flagged
 * `terminating`, so that proxies can drain them.
 */
export function shouldPodBeInEndpoints(pod: Pod): boolean {
  if (isPodTerminal(pod)) return false;
  return Boolean(pod.status?.podIP) || (pod.status?.podIPs?.length ?? 0) > 0;
}

function isIPv6(address: string): boolean {
  return address.includes(':');
}

/** The pod's addresses of one family (`status.podIPs`, or `status.podIP` when the list is absent). */
export function podAddresses(pod: Pod, addressType: AddressType): string[] {
  const ips = pod.status?.podIPs?.map((entry) => entry.ip) ?? (pod.status?.podIP ? [pod.status.podIP] : []);
  if (addressType === 'FQDN') return [];
  return ips.filter((ip) => isIPv6(ip) === (addressType === 'IPv6'));
}

/**
 * The container port a Service port sends traffic to on this pod: a numeric
 * `targetPort` as is; a named one looked up by name and protocol among the
 * pod's containers, then its sidecars (init containers with
 * `restartPolicy: Always`). `undefined` when the pod has no such port.
 */
export function findPodPort(pod: Pod, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort;
  if (typeof target === 'number') return target;
  const sidecars = (pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const container of [...pod.spec.containers, ...sidecars]) {
    for (const port of container.ports ?? []) {
      if (port.name === target && port.protocol === servicePort.protocol) return port.containerPort;
    }
  }
  return undefined;
}

/**
 * The ports a pod serves for a Service, sorted by name: Service ports whose
 * target the pod does not have are left out (so pods of one Service may
 * serve different port sets, and land in different slices).
 */
export function endpointPortsFor(service: Service, pod: Pod): EndpointPort[] {
  const ports: EndpointPort[] = [];
  for (const servicePort of service.spec.ports ?? []) {
    const port = findPodPort(pod, servicePort);
    if (port === undefined) continue;
    ports.push({
      name: servicePort.name ?? '',
      protocol: servicePort.protocol,
      port,
      ...(servicePort.appProtocol === undefined ? {} : { appProtocol: servicePort.appProtocol }),
    });
  }
  return ports.sort((a, b) => compareText(a.name, b.name) || compareText(a.protocol, b.protocol));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A key that is equal for equal port sets, in any order: slices are grouped by it. */
export function portSetKey(ports: readonly EndpointPort[]): string {
  return ports
    .map((p) => JSON.stringify([p.name, p.protocol, p.port ?? null, p.appProtocol ?? null]))
    .sort()
    .join(',');
}

/**
 * The endpoint for a pod: its addresses, `ready` (Ready and not
 * terminating, or always with `publishNotReadyAddresses`), `serving` (Ready),
 * `terminating` (being deleted), its node and the node's zone, and a
 * reference to the pod. `hostname` is set for pods that name the Service as
 * their `subdomain`, as DNS needs it.
 */
export function podToEndpoint(pod: Pod, node: Node | undefined, service: Service, addressType: AddressType): Endpoint {
  const serving = isPodReady(pod);
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  const ready = service.spec.publishNotReadyAddresses === true || (serving && !terminating);
  const zone = node?.metadata.labels?.[ZONE_LABEL];
  const hostname = pod.spec.hostname;
  const setHostname =
    hostname !== undefined &&
    hostname !== '' &&
    pod.spec.subdomain === service.metadata.name &&
    pod.metadata.namespace === service.metadata.namespace;
  return {
    addresses: podAddresses(pod, addressType),
    conditions: { ready, serving, terminating },
    ...(setHostname ? { hostname } : {}),
    targetRef: {
      kind: 'Pod',
      ...(pod.metadata.namespace === undefined ? {} : { namespace: pod.metadata.namespace }),
      name: pod.metadata.name,
      uid: pod.metadata.uid,
    },
    ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    ...(zone ? { zone } : {}),
  };
}

/**
 * What identifies an endpoint across syncs: its addresses, hostname and the
 * pod it points at. Everything else (conditions, node, zone) may change in
 * place, so a readiness flip updates the endpoint where it is.
 */
export function endpointKey(endpoint: Endpoint): string {
  return JSON.stringify([
    [...endpoint.addresses].sort(),
    endpoint.hostname ?? '',
    endpoint.targetRef?.namespace ?? '',
    endpoint.targetRef?.name ?? '',
  ]);
}

/**
 * Whether two endpoints with the same {@link endpointKey} also agree on what
 * the key leaves out (conditions, node, zone, target uid, hints); the
 * target's resourceVersion is ignored so that unrelated pod writes cost no
 * slice write.
 */
export function endpointsEqualBeyondKey(a: Endpoint, b: Endpoint): boolean {
  const ca = a.conditions;
  const cb = b.conditions;
  const ta = a.targetRef;
  const tb = b.targetRef;
  return (
    a.nodeName === b.nodeName &&
    a.zone === b.zone &&
    ca.ready === cb.ready &&
    ca.serving === cb.serving &&
    ca.terminating === cb.terminating &&
    ta?.kind === tb?.kind &&
    ta?.uid === tb?.uid &&
    ta?.apiVersion === tb?.apiVersion &&
    (ta === undefined) === (tb === undefined) &&
    a.hints === undefined &&
    b.hints === undefined
  );
}
