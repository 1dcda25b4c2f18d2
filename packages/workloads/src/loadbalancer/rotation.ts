/**
 * Which endpoints of a Service take traffic, read from its EndpointSlices
 * the way a proxy reads them: pure functions, no store.
 */
import type { EndpointSlice, Service } from '@keelson/api';
import { InvalidError } from '@keelson/core';

/** An endpoint in a load balancer's rotation. */
export interface ServiceEndpoint {
  /** The endpoint's (first) address. */
  address: string;
  /** The port to connect to: the target port the slice publishes for the chosen Service port. */
  port: number;
  /** The pod behind the endpoint, when the slice names one. */
  pod: string | undefined;
  /** The node the endpoint runs on, when known. */
  node: string | undefined;
  /** The node's zone, when known. */
  zone: string | undefined;
}

/** How to find the chosen port in each slice: by the Service port's name, by number, or the slice's first. */
export type SlicePort = { name: string } | { number: number } | 'first';

/**
 * Resolves a load balancer's `port` option. With the Service known, a name
 * must be one of its port names and a number one of its port numbers
 * (`spec.ports[].port`), either mapped to the port's name as slices carry
 * it; no option means its first port. Without the Service, a name is
 * matched against slice port names, a number against slice port numbers,
 * and no option means each slice's first port.
 *
 * @throws InvalidError when the Service has no such port.
 */
export function resolveSlicePort(service: Service | undefined, port: string | number | undefined): SlicePort {
  if (service === undefined) {
    if (port === undefined) return 'first';
    return typeof port === 'number' ? { number: port } : { name: port };
  }
  const ports = service.spec.ports ?? [];
  if (port === undefined) {
    const first = ports[0];
    return first === undefined ? 'first' : { name: first.name ?? '' };
  }
  const found = ports.find((p) => (typeof port === 'number' ? p.port === port : p.name === port));
  if (found === undefined) {
    const known = ports.map((p) => (p.name ? `${p.name} (${p.port})` : String(p.port))).join(', ') || 'none';
    const what = typeof port === 'number' ? `port number ${port}` : `port named "${port}"`;
    throw new InvalidError(
      `load balancer option "port": Service ${service.metadata.namespace}/${service.metadata.name} has no ${what}; its ports: ${known}`,
    );
  }
  return { name: found.name ?? '' };
}

function portIn(slice: EndpointSlice, choice: SlicePort): number | undefined {
  const port =
    choice === 'first'
      ? slice.ports[0]
      : 'name' in choice
        ? slice.ports.find((p) => p.name === choice.name)
        : slice.ports.find((p) => p.port === choice.number);
  return port?.port;
}

/** Orders IPv4 addresses numerically (10.0.0.9 before 10.0.0.10), anything else as text. */
function addressRank(address: string): string {
  const parts = address.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p))) return `1${address}`;
  return `0${parts.map((p) => p.padStart(3, '0')).join('.')}`;
}

/** The rotation's order: by address, then port. Picking strategies rely on it being total. */
export function compareEndpoints(a: ServiceEndpoint, b: ServiceEndpoint): number {
  const ra = addressRank(a.address);
  const rb = addressRank(b.address);
  if (ra !== rb) return ra < rb ? -1 : 1;
  return a.port - b.port;
}

/** The identity of an endpoint in a rotation (and of its in-flight count). */
export function endpointId(endpoint: ServiceEndpoint): string {
  return `${endpoint.address}:${endpoint.port}`;
}

/**
 * The endpoints that take traffic: `ready` (unset counts as ready, as
 * Kubernetes tells consumers) and not `terminating`, serving the chosen
 * port; each address and port once, even while an endpoint moves between
 * slices; sorted by {@link compareEndpoints}.
 */
export function rotationOf(slices: Iterable<EndpointSlice>, port: SlicePort): ServiceEndpoint[] {
  const byId = new Map<string, ServiceEndpoint>();
  for (const slice of slices) {
    const number = portIn(slice, port);
    if (number === undefined) continue;
    for (const endpoint of slice.endpoints) {
      const { ready, terminating } = endpoint.conditions;
      const address = endpoint.addresses[0];
      if (ready === false || terminating === true || address === undefined) continue;
      const entry: ServiceEndpoint = {
        address,
        port: number,
        pod: endpoint.targetRef?.name,
        node: endpoint.nodeName,
        zone: endpoint.zone,
      };
      byId.set(endpointId(entry), entry);
    }
  }
  return [...byId.values()].sort(compareEndpoints);
}
