/**
 * `keelson serve`: a whole simulated cluster on the system clock — mock
 * nodes, the scheduler and every built-in controller, composed by
 * `createTestCluster` — behind the Kubernetes API server, with a kubeconfig.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createApiServer, kubeconfigYaml, servingCertificate, tokenAuthenticator } from '@keelson/apiserver';
import { systemClock } from '@keelson/clock';
import { createMemoryLog, type EventLog, openFileLog } from '@keelson/eventlog';
import { openEtcdLog } from '@keelson/eventlog-etcd';
import { createTestCluster } from '@keelson/testing';
import { Registry } from 'prom-client';
import { type CliIo, writeLine } from '../io';
import { DEFAULT_KUBECONFIG, DEFAULT_NODES, DEFAULT_PORT, randomToken, type ServeOptions } from './options';
import { createRequestLog } from './requestLog';

/** A running `keelson serve`. */
export interface RunningServe {
  /** The API server's URL (`https://127.0.0.1:6443`). */
  url: string;
  /** The kubeconfig written for it (absolute). */
  kubeconfigPath: string;
  /** The admin's bearer token, as in the kubeconfig. */
  token: string;
  /** The PEM certificate the server presents (`undefined` without TLS). */
  certificate: string | undefined;
  /** Stops accepting requests, ends watches, stops the cluster and closes its log. Safe to call twice. */
  stop(): Promise<void>;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

function describeLog(options: ServeOptions): string {
  if (options.data !== undefined) return `file log in ${resolve(options.data)}`;
  if (options.etcd !== undefined) return `etcd log at ${options.etcd} (prefix ${options.etcdPrefix ?? '/keelson'})`;
  return 'memory log (gone when the server stops; --data DIR keeps it)';
}

async function openLog(options: ServeOptions): Promise<EventLog> {
  if (options.data !== undefined && options.etcd !== undefined) {
    throw new Error('serve: --data and --etcd are alternatives; give one');
  }
  if (options.data !== undefined) {
    await mkdir(options.data, { recursive: true });
    return openFileLog(options.data);
  }
  if (options.etcd !== undefined) {
    return openEtcdLog({ hosts: options.etcd, prefix: options.etcdPrefix ?? '/keelson', clock: systemClock });
  }
  return createMemoryLog();
}

/**
 * Starts the cluster and the API server, writes the kubeconfig (mode 0600)
 * and prints how to use it to `io.stdout`; requests and the cluster's components log to `io.stderr`.
 *
 * @example
 * ```ts
 * const serve = await startServe({ nodes: 2, port: 0, data: './data' }, processIo);
 * // kubectl --kubeconfig serve.kubeconfigPath get nodes
 * await serve.stop();
 * ```
 */
export async function startServe(options: ServeOptions, io: CliIo): Promise<RunningServe> {
  const nodes = options.nodes ?? DEFAULT_NODES;
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomToken();
  const kubeconfigPath = resolve(options.kubeconfig ?? DEFAULT_KUBECONFIG);
  const log = await openLog(options);
  const cleanup: (() => Promise<void>)[] = [() => log.close()];
  const unwind = async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  };
  const logger = createRequestLog(io, options.logLevel ?? 'info');
  try {
    const cluster = await createTestCluster({
      nodes,
      seed: options.seed ?? 1,
      clock: systemClock,
      log,
      logger,
    });
    cleanup.push(() => cluster.close());
    const server = createApiServer({
      store: cluster.store,
      authenticate: tokenAuthenticator({ [token]: { username: 'admin', groups: ['system:masters'] } }),
      anonymous: options.anonymous ?? false,
      logger,
      podLogs: cluster.podLogs,
      resourceMetrics: cluster.metrics,
      // kube-apiserver's /metrics, for `kubectl get --raw /metrics` or a Prometheus scrape with the token.
      metricsRegistry: new Registry(),
    });
    cleanup.push(() => server.close());
    const tls =
      options.tls === false
        ? undefined
        : await servingCertificate(['127.0.0.1', '::1', 'localhost', ...(WILDCARDS.has(host) ? [] : [host])]);
    const listening = await server.listen({
      port: options.port ?? DEFAULT_PORT,
      host,
      ...(tls === undefined ? {} : { tls }),
    });
    // A wildcard address is where the server listens, not one to connect to.
    const url = WILDCARDS.has(host)
      ? listening.url.replace(/\/\/(0\.0\.0\.0|\[::\])/, host.includes(':') ? '//[::1]' : '//127.0.0.1')
      : listening.url;
    await mkdir(dirname(kubeconfigPath), { recursive: true });
    const yaml = kubeconfigYaml({
      server: url,
      token,
      ...(tls === undefined ? {} : { certificateAuthority: tls.cert }),
    });
    await writeFile(kubeconfigPath, yaml, { mode: 0o600 });
    await chmod(kubeconfigPath, 0o600);
    printUsage(io, { url, kubeconfigPath, nodes, log: describeLog(options), tls: tls !== undefined });
    let stopping: Promise<void> | undefined;
    return {
      url,
      kubeconfigPath,
      token,
      certificate: tls?.cert,
      stop() {
        stopping ??= unwind();
        return stopping;
      },
    };
  } catch (error) {
    await unwind().catch(() => undefined);
    throw error;
  }
}

function printUsage(
  io: CliIo,
  info: { url: string; kubeconfigPath: string; nodes: number; log: string; tls: boolean },
): void {
  const lines = [
    `Keelson API server at ${info.url}`,
    `  ${info.nodes} mock node${info.nodes === 1 ? '' : 's'}, ${info.log}`,
    `  kubeconfig ${info.kubeconfigPath}`,
    ...(info.tls ? [] : ['  without TLS kubectl sends no token: only --anonymous requests get in']),
    '',
    'Use it with kubectl:',
    `  export KUBECONFIG=${info.kubeconfigPath}`,
    '  kubectl get nodes',
    '',
    'Requests are logged below. Ctrl-C (SIGINT) or SIGTERM stops the cluster.',
  ];
  for (const line of lines) writeLine(io.stdout, line);
}
