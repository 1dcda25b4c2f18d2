import { type AdmissionPlugin, InvalidError, type KubeObject, ValidationError } from '@keelson/core';

/** The service range kubeadm and kind give a cluster (`--service-cluster-ip-range`). */
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';

interface ServiceInput {
  spec?: { type?: string; clusterIP?: string; clusterIPs?: string[] };
}

function parseIPv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

const formatIPv4 = (value: number) => [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');

function parseCidr(cidr: string): { base: number; size: number } {
  const [address = '', bits = ''] = cidr.split('/');
  const base = parseIPv4(address);
  const prefix = Number(bits);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > 30 || base % 2 ** (32 - prefix) !== 0) {
    throw new InvalidError(`serviceClusterIPs: cidr must be an IPv4 network such as "10.96.0.0/12", got "${cidr}"`);
  }
  return { base, size: 2 ** (32 - prefix) };
}

/**
 * Gives each new Service a cluster IP from the service range, as the API
 * server's allocator does: the lowest free address (after the network
 * address and the first, which Kubernetes keeps for the `kubernetes`
 * service), so the same writes always get the same IPs. A requested
 * `spec.clusterIP` must be in the range and free; headless (`None`) and
 * ExternalName services get none. `spec.clusterIPs` follows `clusterIP`.
 */
export function serviceClusterIPs(cidr = DEFAULT_SERVICE_CIDR): AdmissionPlugin {
  const { base, size } = parseCidr(cidr);
  // Handed out but maybe not stored yet: two creates in flight never get the same address.
  const handed = new Set<number>();
  return {
    name: 'ServiceClusterIPAllocator',
    async mutate({ operation, type, object, store }) {
      if (operation !== 'CREATE' || type.kind !== 'Service' || type.group !== '') return undefined;
      const service = object as KubeObject & ServiceInput;
      const spec = service.spec ?? {};
      if (spec.type === 'ExternalName' || spec.clusterIP === 'None') return undefined;
      const used = new Set<number>();
      for (const item of (await store.list(type)).items as (KubeObject & ServiceInput)[]) {
        const ip = parseIPv4(item.spec?.clusterIP ?? '');
        if (ip !== undefined) used.add(ip);
      }
      for (const ip of handed) if (used.has(ip)) handed.delete(ip);
      const taken = (ip: number) => used.has(ip) || handed.has(ip);
      let ip: number | undefined;
      if (spec.clusterIP !== undefined && spec.clusterIP !== '') {
        ip = parseIPv4(spec.clusterIP);
        const problem =
          ip === undefined
            ? 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'
            : ip <= base || ip >= base + size - 1
              ? `provided IP is not in the valid range. The range of valid IPs is ${cidr}`
              : taken(ip)
                ? 'provided IP is already allocated'
                : undefined;
        if (problem !== undefined) {
          throw new ValidationError('Service', service.metadata?.name ?? '', [
            { path: 'spec.clusterIPs[0]', message: `Invalid value: "${spec.clusterIP}": ${problem}` },
          ]);
        }
      } else {
        for (let candidate = base + 2; candidate < base + size - 1; candidate++) {
          if (!taken(candidate)) {
            ip = candidate;
            break;
          }
        }
        if (ip === undefined) {
          throw new ValidationError('Service', service.metadata?.name ?? '', [
            {
              path: 'spec.clusterIPs',
              message: `Internal error: failed to allocate a serviceIP: range ${cidr} is full`,
            },
          ]);
        }
      }
      handed.add(ip as number);
      const address = formatIPv4(ip as number);
      return { ...service, spec: { ...spec, clusterIP: address, clusterIPs: [address] } } as KubeObject;
    },
  };
}
