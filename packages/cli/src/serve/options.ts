/** The options of `keelson serve`, checked before anything starts. */
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from 'commander';

/** What {@link startServe} runs. */
export interface ServeOptions {
  /** Mock nodes, named `node-1`… (default 3). */
  nodes?: number;
  /** Port to listen on; 0 picks a free one (default 6443, as Kubernetes). */
  port?: number;
  /** Address to listen on (default `127.0.0.1`). */
  host?: string;
  /** Keep the cluster in a file log in this directory (reopened if it exists). */
  data?: string;
  /** Keep the cluster in etcd at this client URL (instead of `data`). */
  etcd?: string;
  /** The etcd key prefix of the log (default `/keelson`). */
  etcdPrefix?: string;
  /** Where the kubeconfig is written (default `./.keelson/kubeconfig`). */
  kubeconfig?: string;
  /** Seed of every random choice in the cluster (default 1). */
  seed?: number;
  /** The admin's bearer token (default: 32 random hex characters). */
  token?: string;
  /** Let unauthenticated requests from loopback in as `system:anonymous`. */
  anonymous?: boolean;
  /** Serve over HTTPS with a self-signed certificate (default true); kubectl sends tokens only over TLS. */
  tls?: boolean;
  /** The least level of the log on stderr: requests and every cluster component (default `info`). */
  logLevel?: LogLevel;
}

/** The levels `--log-level` takes, pino's, lowest first, and `silent`. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Default port: the one kube-apiserver serves on. */
export const DEFAULT_PORT = 6443;
/** Default number of mock nodes. */
export const DEFAULT_NODES = 3;
/** Default kubeconfig path, relative to the working directory. */
export const DEFAULT_KUBECONFIG = '.keelson/kubeconfig';

function integer(value: string, min: number, max: number, what: string): number {
  if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected ${what}.`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected ${what}.`);
  return n;
}

/** `--nodes`: a whole number from 0 to 1000. */
export function parseNodes(value: string): number {
  return integer(value, 0, 1000, 'a whole number of nodes from 0 to 1000');
}

/** `--port`: 0 (any free port) to 65535. */
export function parsePort(value: string): number {
  return integer(value, 0, 65535, 'a port from 0 (any free port) to 65535');
}

/** `--seed`: any whole number. */
export function parseSeed(value: string): number {
  return integer(value, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'a whole number');
}

/** `--token`: printable, without whitespace, as a bearer token must be. */
export function parseToken(value: string): string {
  if (!/^[\x21-\x7e]{8,}$/.test(value)) {
    throw new InvalidArgumentError('expected at least 8 printable characters without spaces.');
  }
  return value;
}

/** `--etcd`: an etcd client URL. */
export function parseEtcdUrl(value: string): string {
  if (!/^https?:\/\/[^\s/]+(:\d+)?\/?$/.test(value)) {
    throw new InvalidArgumentError('expected an etcd client URL such as http://127.0.0.1:2379.');
  }
  return value;
}

/** `--log-level`: one of {@link LOG_LEVELS}. */
export function parseLogLevel(value: string): LogLevel {
  const level = LOG_LEVELS.find((l) => l === value);
  if (level === undefined) throw new InvalidArgumentError(`expected one of ${LOG_LEVELS.join(', ')}.`);
  return level;
}

/** A fresh admin token: 32 hex characters from the system's random source. */
export function randomToken(): string {
  return randomBytes(16).toString('hex');
}
