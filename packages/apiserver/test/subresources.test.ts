import { afterEach, describe, expect, it } from 'vitest';
import type { PodLogRequest } from '../src/index';
import { type ServerFixture, startServer } from './serverHarness';

let s: ServerFixture;
afterEach(async () => {
  await s.close();
});

const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx' }] },
});

describe('pod subresources', () => {
  it('binds a pod to a node once', async () => {
    s = await startServer();
    await s.request('/api/v1/namespaces/default/pods', { method: 'POST', json: pod('web') });
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'web' },
      target: { kind: 'Node', name: 'node-1' },
    };
    const bound = await s.request('/api/v1/namespaces/default/pods/web/binding', { method: 'POST', json: binding });
    expect(bound.status).toBe(201);
    expect(await bound.json()).toMatchObject({ kind: 'Status', status: 'Success' });
    const got = await s.json<{ spec: { nodeName: string } }>('/api/v1/namespaces/default/pods/web');
    expect(got.spec.nodeName).toBe('node-1');
    const again = await s.request('/api/v1/namespaces/default/pods/web/binding', {
      method: 'POST',
      json: { ...binding, target: { name: 'node-2' } },
    });
    expect(again.status).toBe(409);
    const missing = await s.request('/api/v1/namespaces/default/pods/web/binding', {
      method: 'POST',
      json: { target: {} },
    });
    expect(missing.status).toBe(422);
  });

  it('evicts a pod unless a disruption budget forbids it (429)', async () => {
    s = await startServer();
    for (const name of ['a', 'b']) {
      await s.request('/api/v1/namespaces/default/pods', { method: 'POST', json: pod(name) });
      // Pending pods are evicted without asking a budget: make them Running through the status subresource.
      const running = await s.request(`/api/v1/namespaces/default/pods/${name}/status`, {
        method: 'PATCH',
        body: JSON.stringify({ status: { phase: 'Running' } }),
        headers: { 'content-type': 'application/merge-patch+json' },
      });
      expect(((await running.json()) as { status: { phase: string } }).status.phase).toBe('Running');
    }
    const budget = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web' },
      spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
    };
    expect(
      (await s.request('/apis/policy/v1/namespaces/default/poddisruptionbudgets', { method: 'POST', json: budget }))
        .status,
    ).toBe(201);
    const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'a' } };
    // The budget's controller has not counted healthy pods: it allows no disruption.
    const refused = await s.request('/api/v1/namespaces/default/pods/a/eviction', { method: 'POST', json: eviction });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ kind: 'Status', reason: 'TooManyRequests', code: 429 });
    expect((await s.request('/api/v1/namespaces/default/pods/a')).status).toBe(200);
    await s.request('/apis/policy/v1/namespaces/default/poddisruptionbudgets/web', { method: 'DELETE' });
    const evicted = await s.request('/api/v1/namespaces/default/pods/a/eviction', { method: 'POST', json: eviction });
    expect(evicted.status).toBe(201);
    expect((await s.request('/api/v1/namespaces/default/pods/a')).status).toBe(404);
  });

  it('streams pod logs from the log source with its options', async () => {
    const seen: PodLogRequest[] = [];
    s = await startServer({
      podLogs: async function* (request) {
        seen.push(request);
        if (request.container === 'nope') throw Object.assign(new Error('container nope is not valid for pod web'));
        yield 'one\n';
        yield 'two\n';
      },
    });
    await s.request('/api/v1/namespaces/default/pods', { method: 'POST', json: pod('web') });
    const answer = await s.request('/api/v1/namespaces/default/pods/web/log?tailLines=2&previous=true&container=web');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/plain');
    expect(await answer.text()).toBe('one\ntwo\n');
    expect(seen[0]).toMatchObject({
      namespace: 'default',
      pod: 'web',
      container: 'web',
      tailLines: 2,
      previous: true,
      follow: false,
    });
    const bad = await s.request('/api/v1/namespaces/default/pods/web/log?container=nope');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('container nope is not valid');
    expect((await s.request('/api/v1/namespaces/default/pods/ghost/log')).status).toBe(404);
  });

  it('refuses exec, attach and port-forward with a Status saying why', async () => {
    s = await startServer();
    await s.request('/api/v1/namespaces/default/pods', { method: 'POST', json: pod('web') });
    for (const sub of ['exec', 'attach', 'portforward', 'ephemeralcontainers']) {
      const answer = await s.request(`/api/v1/namespaces/default/pods/web/${sub}`, { method: 'POST' });
      expect(answer.status).toBe(405);
      expect(((await answer.json()) as { message: string }).message).toContain('not supported by Keelson');
    }
  });
});
