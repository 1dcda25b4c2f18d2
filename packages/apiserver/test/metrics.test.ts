import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type ServerFixture, startServer } from './serverHarness';

let s: ServerFixture;
afterEach(async () => {
  await s.close();
});

describe('metrics', () => {
  it('counts requests by verb, resource and code and serves them at /metrics', async () => {
    const registry = new Registry();
    s = await startServer({ metricsRegistry: registry });
    await s.request('/api/v1/namespaces');
    await s.request('/api/v1/namespaces/nope');
    await s.request('/api/v1/namespaces', { method: 'POST', json: { metadata: { name: 'team-a' } } });
    const watch = await s.request('/api/v1/pods?watch=1');
    const open = await (await s.request('/metrics')).text();
    expect(open).toMatch(
      /^keelson_apiserver_longrunning_requests\{verb="watch",group="",version="v1",resource="pods",subresource=""\} 1$/m,
    );
    await watch.body?.cancel();

    const answer = await s.request('/metrics');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/plain');
    const text = await answer.text();
    const line = (verb: string, code: number) =>
      new RegExp(
        `^keelson_apiserver_request_total\\{verb="${verb}",group="",version="v1",resource="namespaces",subresource="",code="${code}"\\} 1$`,
        'm',
      );
    expect(text).toMatch(line('list', 200));
    expect(text).toMatch(line('get', 404));
    expect(text).toMatch(line('create', 201));
    expect(text).toMatch(
      /^keelson_apiserver_request_duration_seconds_count\{verb="list",group="",version="v1",resource="namespaces",subresource=""\} 1$/m,
    );
    // Unauthenticated scrapes are refused, as kube-apiserver refuses them.
    expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
  });

  it('answers 404 at /metrics without a registry', async () => {
    s = await startServer();
    expect((await s.request('/metrics')).status).toBe(404);
  });
});
