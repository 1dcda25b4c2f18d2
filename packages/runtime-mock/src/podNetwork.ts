import { CriError } from '@keelson/cri';
import { invalidArgument } from './errors';

/** containerd's default CNI bridge range. */
export const DEFAULT_POD_CIDR = '10.88.0.0/16';

interface Ipv4Range {
  readonly base: number;
  readonly size: number;
}

function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** The first IPv4 range of a (possibly dual-stack, comma-separated) pod CIDR. */
function parseCidr(cidr: string): Ipv4Range | undefined {
  for (const entry of cidr.split(',')) {
    const [address = '', prefixText = ''] = entry.trim().split('/');
    const ip = parseIpv4(address);
    const prefix = Number(prefixText);
    if (ip === undefined || !/^\d+$/.test(prefixText) || prefix > 30) continue;
    const size = 2 ** (32 - prefix);
    return { base: ip - (ip % size), size };
  }
  return undefined;
}

/**
 * Pod IPs for sandboxes that have their own network namespace, handed out in
 * order like CNI's host-local IPAM: from `.2` (after the network address and
 * the gateway), skipping addresses in use, wrapping at the end of the range.
 */
export class PodNetwork {
  private range: Ipv4Range;
  private cursor = 2;
  private readonly inUse = new Set<string>();

  constructor(cidr = DEFAULT_POD_CIDR) {
    this.range = PodNetwork.rangeOf(cidr);
  }

  private static rangeOf(cidr: string): Ipv4Range {
    const range = parseCidr(cidr);
    if (range === undefined) {
      throw invalidArgument(
        `pod CIDR "${cidr}" has no IPv4 range the mock can use (e.g. "10.244.1.0/24", prefix <= 30)`,
      );
    }
    return range;
  }

  /** Uses `cidr` for the next sandboxes (`updateRuntimeConfig`); IPs handed out already stay. */
  setCidr(cidr: string): void {
    this.range = PodNetwork.rangeOf(cidr);
    this.cursor = 2;
  }

  /** The next free IP. */
  allocate(): string {
    const usable = this.range.size - 3;
    for (let tried = 0; tried < usable; tried++) {
      if (this.cursor > this.range.size - 2) this.cursor = 2;
      const ip = formatIpv4(this.range.base + this.cursor++);
      if (!this.inUse.has(ip)) {
        this.inUse.add(ip);
        return ip;
      }
    }
    throw new CriError('ResourceExhausted', 'every pod IP of the node is in use; remove stopped sandboxes');
  }

  /** Gives an IP back when its sandbox stops. */
  release(ip: string): void {
    this.inUse.delete(ip);
  }
}
