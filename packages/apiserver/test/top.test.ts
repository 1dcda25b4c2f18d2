import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiServer,
  createApiServer,
  type ResourceMetricsSource,
  servingCertificate,
  tokenAuthenticator,
} from '../src/index';
import { kubectl, writeKubeconfig } from './kubectl';
import { type ServerFixture, startServer, TOKEN } from './serverHarness';

const at = Date.parse('2026-01-01T00:00:00Z');
const source: ResourceMetricsSource = {
  nodes: () => [{ name: 'node-1', timestamp: at, windowMs: 15_000, cpu: 250, memory: 512 * 1024 * 1024 }],
  pods: (namespace) =>
    [
      {
        namespace: 'default',
        name: 'web',
        timestamp: at,
        windowMs: 15_000,
        containers: [
          { name: 'web', cpu: 120, memory: 64 * 1024 * 1024 },
          { name: 'log', cpu: 5, memory: 16 * 1024 * 1024 },
        ],
      },
    ].filter((p) => namespace === undefined || p.namespace === namespace),
};

let s: ServerFixture;
let dir: string;
let kubeconfig: string;
let secure: ApiServer;
beforeAll(async () => {
  s = await startServer({ resourceMetrics: source });
  // kubectl sends its token only over TLS: a second server on the same store, over HTTPS.
  const tls = await servingCertificate();
  secure = createApiServer({
    store: s.store,
    authenticate: tokenAuthenticator({ [TOKEN]: { username: 'admin' } }),
    resourceMetrics: source,
    customResources: false,
  });
  const { url } = await secure.listen({ tls });
  dir = await mkdtemp(join(tmpdir(), 'keelson-top-'));
  kubeconfig = await writeKubeconfig(dir, { server: url, token: TOKEN, certificateAuthority: tls.cert });
  await s.store.create(
    s.store.types.find((t) => t.kind === 'Node') as never,
    {
      metadata: { name: 'node-1' },
      status: { capacity: { cpu: '2', memory: '4Gi' }, allocatable: { cpu: '2', memory: '4Gi' } },
    } as never,
  );
});
afterAll(async () => {
  await secure.close();
  await s.close();
  await rm(dir, { recursive: true, force: true });
});

describe('metrics.k8s.io', () => {
  it('serves NodeMetrics and PodMetrics lists and items, read-only', async () => {
    const nodes = await s.json<{ kind: string; items: { usage: object; window: string }[] }>(
      '/apis/metrics.k8s.io/v1beta1/nodes',
    );
    expect(nodes.kind).toBe('NodeMetricsList');
    expect(nodes.items[0]).toMatchObject({ usage: { cpu: '250m', memory: '524288Ki' }, window: '15s' });
    const pod = await s.json<{ kind: string; containers: { name: string }[] }>(
      '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web',
    );
    expect(pod.kind).toBe('PodMetrics');
    expect(pod.containers.map((c) => c.name)).toEqual(['web', 'log']);
    expect((await s.request('/apis/metrics.k8s.io/v1beta1/namespaces/other/pods/web')).status).toBe(404);
    expect((await s.request('/apis/metrics.k8s.io/v1beta1/nodes', { method: 'POST', json: {} })).status).toBe(405);
    const group = await s.json<{ groups: { name: string }[] }>('/apis');
    expect(group.groups.map((g) => g.name)).toContain('metrics.k8s.io');
  });

  it('answers kubectl top nodes and top pods', async () => {
    const nodes = await kubectl(['top', 'nodes'], { kubeconfig });
    expect(nodes.stderr).toBe('');
    expect(nodes.stdout).toMatch(/^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)/);
    expect(nodes.stdout).toMatch(/^node-1\s+250m\s+12%\s+512Mi\s+12%/m);
    const pods = await kubectl(['top', 'pods', '--containers'], { kubeconfig });
    expect(pods.stderr).toBe('');
    expect(pods.stdout).toMatch(/^web\s+web\s+120m\s+64Mi/m);
    expect(pods.stdout).toMatch(/^web\s+log\s+5m\s+16Mi/m);
  }, 30_000);
});
