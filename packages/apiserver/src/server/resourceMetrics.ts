import type { ServerResponse } from 'node:http';
import { formatTime } from '@keelson/core';
import type { VirtualResource } from './discovery';
import { sendJson } from './http';
import { HttpError } from './status';
import type { ResourceMetricsSource } from './types';

const GROUP = 'metrics.k8s.io';
const VERSION = 'v1beta1';

/** `metrics.k8s.io/v1beta1` nodes and pods, as metrics-server serves them for `kubectl top`. */
export const METRICS_RESOURCES: readonly VirtualResource[] = [
  {
    group: GROUP,
    version: VERSION,
    plural: 'nodes',
    singular: '',
    kind: 'NodeMetrics',
    namespaced: false,
    verbs: ['get', 'list'],
  },
  {
    group: GROUP,
    version: VERSION,
    plural: 'pods',
    singular: '',
    kind: 'PodMetrics',
    namespaced: true,
    verbs: ['get', 'list'],
  },
];

/** What a metrics request asks for, from its path (undefined when the path is not under metrics.k8s.io). */
export interface MetricsPath {
  resource: 'nodes' | 'pods';
  namespace?: string;
  name?: string;
}

export function parseMetricsPath(path: string): MetricsPath | undefined {
  const prefix = `/apis/${GROUP}/${VERSION}/`;
  if (!path.startsWith(prefix)) return undefined;
  const parts = path.slice(prefix.length).split('/').map(decodeURIComponent);
  if (parts[0] === 'namespaces' && parts[2] === 'pods' && parts.length <= 4) {
    return { resource: 'pods', namespace: parts[1] as string, ...(parts[3] ? { name: parts[3] } : {}) };
  }
  if ((parts[0] === 'nodes' || parts[0] === 'pods') && parts.length <= 2) {
    if (parts[0] === 'nodes') return { resource: 'nodes', ...(parts[1] ? { name: parts[1] } : {}) };
    if (parts.length === 1) return { resource: 'pods' };
  }
  throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
}

/** Kubernetes quantities: CPU in millicores (`250m`), memory in KiB (`1024Ki`), as metrics-server writes them. */
const cpu = (millicores: number) => `${Math.round(millicores)}m`;
const memory = (bytes: number) => `${Math.round(bytes / 1024)}Ki`;
const window = (ms: number) => `${Math.round(ms / 1000)}s`;

/** Answers a metrics.k8s.io request from the source; `labelSelector` is not supported on pods and is a 400. */
export function serveResourceMetrics(
  source: ResourceMetricsSource,
  path: MetricsPath,
  query: URLSearchParams,
  response: ServerResponse,
): void {
  if (query.get('labelSelector')) {
    throw new HttpError(
      400,
      'BadRequest',
      'labelSelector is not supported by this metrics API: list and filter by name',
    );
  }
  if (path.resource === 'nodes') {
    const items = source
      .nodes()
      .filter((n) => path.name === undefined || n.name === path.name)
      .map((n) => ({
        metadata: { name: n.name, creationTimestamp: formatTime(n.timestamp) },
        timestamp: formatTime(n.timestamp),
        window: window(n.windowMs),
        usage: { cpu: cpu(n.cpu), memory: memory(n.memory) },
      }));
    answer(response, 'NodeMetrics', items, path.name, 'nodes');
    return;
  }
  const items = source
    .pods(path.namespace)
    .filter((p) => path.name === undefined || p.name === path.name)
    .map((p) => ({
      metadata: { name: p.name, namespace: p.namespace, creationTimestamp: formatTime(p.timestamp) },
      timestamp: formatTime(p.timestamp),
      window: window(p.windowMs),
      containers: p.containers.map((c) => ({ name: c.name, usage: { cpu: cpu(c.cpu), memory: memory(c.memory) } })),
    }));
  answer(response, 'PodMetrics', items, path.name, 'pods');
}

function answer(
  response: ServerResponse,
  kind: string,
  items: object[],
  name: string | undefined,
  plural: string,
): void {
  const apiVersion = `${GROUP}/${VERSION}`;
  if (name === undefined) {
    sendJson(response, 200, { kind: `${kind}List`, apiVersion, metadata: {}, items });
    return;
  }
  const [item] = items;
  if (item === undefined) {
    throw new HttpError(404, 'NotFound', `${plural}.${GROUP} "${name}" not found`, {
      name,
      group: GROUP,
      kind: plural,
    });
  }
  sendJson(response, 200, { kind, apiVersion, ...item });
}
