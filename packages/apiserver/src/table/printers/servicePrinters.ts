import { ageOf } from '../humanDuration';
import { formatLabels } from '../labelFormat';
import { at, type Json, listAt, numberAt, stringAt } from '../objectFields';
import type { PrintContext, Printer } from '../tableTypes';
import { ageColumn, column, nameColumn } from './columns';

const LOAD_BALANCER_WIDTH = 16;

export const servicePrinter: Printer = {
  columns: [
    nameColumn,
    column('Type', 'string', 'type determines how the Service is exposed.'),
    column('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    column(
      'External-IP',
      'string',
      'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
    ),
    column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageColumn,
    column('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', {
      priority: 1,
    }),
  ],
  cells: (service: Json, { now, wide }: PrintContext) => [
    stringAt(service, 'metadata', 'name'),
    stringAt(service, 'spec', 'type') || 'ClusterIP',
    String(listAt(service, 'spec', 'clusterIPs')[0] ?? '') || stringAt(service, 'spec', 'clusterIP') || '<none>',
    externalIP(service, wide),
    portString(service) || '<none>',
    ageOf(at(service, 'metadata', 'creationTimestamp'), now),
    formatLabels(at(service, 'spec', 'selector')),
  ],
};

function portString(service: Json): string {
  return listAt(service, 'spec', 'ports')
    .map((port) => {
      const protocol = stringAt(port, 'protocol') || 'TCP';
      const nodePort = numberAt(port, 'nodePort') ?? 0;
      const number = numberAt(port, 'port') ?? 0;
      return nodePort > 0 ? `${number}:${nodePort}/${protocol}` : `${number}/${protocol}`;
    })
    .join(',');
}

function externalIP(service: Json, wide: boolean): string {
  const externalIPs = listAt(service, 'spec', 'externalIPs').map(String);
  switch (stringAt(service, 'spec', 'type') || 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = loadBalancerIngress(service, wide);
      if (externalIPs.length > 0) return [...(ingress === '' ? [] : ingress.split(',')), ...externalIPs].join(',');
      return ingress === '' ? '<pending>' : ingress;
    }
    case 'ExternalName':
      return stringAt(service, 'spec', 'externalName');
    default:
      return '<unknown>';
  }
}

function loadBalancerIngress(service: Json, wide: boolean): string {
  const addresses = new Set<string>();
  for (const ingress of listAt(service, 'status', 'loadBalancer', 'ingress')) {
    const address = stringAt(ingress, 'ip') || stringAt(ingress, 'hostname');
    if (address !== '') addresses.add(address);
  }
  const text = [...addresses].sort().join(',');
  return !wide && text.length > LOAD_BALANCER_WIDTH ? `${text.slice(0, LOAD_BALANCER_WIDTH - 3)}...` : text;
}

/** At most three items, then `+ N more...`, as Kubernetes lists endpoints. */
function listWithMore(items: readonly string[], empty: string): string {
  const max = 3;
  if (items.length === 0) return empty;
  const shown = items.slice(0, max).join(',');
  return items.length > max ? `${shown} + ${items.length - max} more...` : shown;
}

export const endpointsPrinter: Printer = {
  columns: [
    nameColumn,
    column('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'),
    ageColumn,
  ],
  cells: (endpoints: Json, { now }: PrintContext) => [
    stringAt(endpoints, 'metadata', 'name'),
    listWithMore(endpointAddresses(endpoints), '<none>'),
    ageOf(at(endpoints, 'metadata', 'creationTimestamp'), now),
  ],
};

function endpointAddresses(endpoints: Json): string[] {
  return listAt(endpoints, 'subsets').flatMap((subset) => {
    const ips = listAt(subset, 'addresses').map((a) => stringAt(a, 'ip'));
    const ports = listAt(subset, 'ports');
    if (ports.length === 0) return ips;
    return ports.flatMap((port) => ips.map((ip) => hostPort(ip, numberAt(port, 'port') ?? 0)));
  });
}

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn,
    column('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    column('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn,
  ],
  cells: (slice: Json, { now }: PrintContext) => [
    stringAt(slice, 'metadata', 'name'),
    stringAt(slice, 'addressType'),
    listWithMore(
      listAt(slice, 'ports').map((p) => {
        const port = numberAt(p, 'port');
        return port !== undefined ? String(port) : stringAt(p, 'name') || '*';
      }),
      '<unset>',
    ),
    listWithMore(
      listAt(slice, 'endpoints').flatMap((e) => listAt(e, 'addresses').map(String)),
      '<unset>',
    ),
    ageOf(at(slice, 'metadata', 'creationTimestamp'), now),
  ],
};
