import { type Clock, cryptoRandom, type Random, systemClock } from '@keelson/clock';
import { DEFAULT_MAX_ENTRY_BYTES, InvalidError } from '@keelson/eventlog';

/** Options for {@link openEtcdLog}. */
export interface EtcdLogOptions {
  /** etcd client URLs, such as `http://127.0.0.1:2379` (every member of the cluster, ideally). */
  hosts: string | readonly string[];
  /**
   * Where the log lives in etcd: its keys are `<prefix>/k/…` and `<prefix>/t/…`.
   * Each log needs its own prefix, and no prefix may lie under another's.
   */
  prefix: string;
  /** Timers (timeouts, backoff) run on this clock (default `systemClock`). */
  clock?: Clock;
  /** Source of the `meta.requestId` given to entries without one (default: crypto-backed). */
  random?: Random;
  /** Largest encoded entry accepted, in bytes (default 2 MiB; etcd needs `--max-request-bytes` above it). */
  maxEntryBytes?: number;
  /** How long one etcd call may take before the log stops waiting for it (default 5 s). */
  requestTimeoutMs?: number;
  /**
   * How long a call keeps retrying while etcd is unreachable or leaderless, and
   * how long an append in doubt keeps trying to read its key back (default 30 s).
   */
  unavailableTimeoutMs?: number;
  /** etcd password authentication. */
  auth?: { username: string; password: string };
  /** TLS material for `https://` hosts. */
  credentials?: { rootCertificate: Buffer; privateKey?: Buffer; certChain?: Buffer };
}

/** @internal Options after validation, with defaults filled in. */
export interface ResolvedOptions {
  hosts: string[];
  /** The prefix with exactly one trailing `/`. */
  root: string;
  clock: Clock;
  random: Random;
  maxEntryBytes: number;
  requestTimeoutMs: number;
  unavailableTimeoutMs: number;
  auth: EtcdLogOptions['auth'];
  credentials: EtcdLogOptions['credentials'];
}

const HOST = /^(https?:\/\/)?[^\s/]+(:\d+)?\/?$/;

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function positiveInteger(options: EtcdLogOptions, field: keyof EtcdLogOptions, fallback: number, min = 1): number {
  const value = options[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidError(`openEtcdLog: options.${field} must be an integer of at least ${min}, got ${show(value)}`);
  }
  return value;
}

/** @internal Checks every option before anything connects or writes; names the bad field. */
export function resolveOptions(options: EtcdLogOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidError('openEtcdLog: options must be an object with hosts and prefix');
  }
  const hosts = typeof options.hosts === 'string' ? [options.hosts] : options.hosts;
  if (!Array.isArray(hosts) || hosts.length === 0) {
    throw new InvalidError(
      `openEtcdLog: options.hosts must be a non-empty list of etcd client URLs such as "http://127.0.0.1:2379", got ${show(options.hosts)}`,
    );
  }
  hosts.forEach((host: unknown, i) => {
    if (typeof host !== 'string' || !HOST.test(host)) {
      throw new InvalidError(
        `openEtcdLog: options.hosts[${i}] must be an etcd client URL such as "http://127.0.0.1:2379", got ${show(host)}`,
      );
    }
  });
  const protocols = new Set(hosts.map((host) => host.startsWith('https://')));
  if (protocols.size > 1) {
    throw new InvalidError('openEtcdLog: options.hosts must be all http:// or all https://, not a mix');
  }
  const prefix: unknown = options.prefix;
  if (typeof prefix !== 'string' || prefix.replace(/\/+$/, '').length === 0) {
    throw new InvalidError(
      `openEtcdLog: options.prefix must be a non-empty string such as "keelson/prod", got ${show(prefix)}`,
    );
  }
  for (const field of ['clock', 'random'] as const) {
    if (options[field] !== undefined && (typeof options[field] !== 'object' || options[field] === null)) {
      throw new InvalidError(`openEtcdLog: options.${field} must be a ${field === 'clock' ? 'Clock' : 'Random'}`);
    }
  }
  return {
    hosts: [...hosts],
    root: `${prefix.replace(/\/+$/, '')}/`,
    clock: options.clock ?? systemClock,
    random: options.random ?? cryptoRandom(),
    maxEntryBytes: positiveInteger(options, 'maxEntryBytes', DEFAULT_MAX_ENTRY_BYTES, 1024),
    requestTimeoutMs: positiveInteger(options, 'requestTimeoutMs', 5_000),
    unavailableTimeoutMs: positiveInteger(options, 'unavailableTimeoutMs', 30_000),
    auth: options.auth,
    credentials: options.credentials,
  };
}
