import type { VirtualClock } from '@keelson/clock';
import { afterEach, describe, expect, it } from 'vitest';
import { type ServerFixture, startServer } from './serverHarness';

let s: ServerFixture;
afterEach(async () => {
  await s.close();
});

describe('limits', () => {
  it('refuses a body over the size limit with 413, writing nothing', async () => {
    s = await startServer({ maxRequestBytes: 1000 });
    const before = s.store.revision;
    const big = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'big', annotations: { a: 'x'.repeat(2000) } },
    };
    const answer = await s.request('/api/v1/namespaces', { method: 'POST', json: big });
    expect(answer.status).toBe(413);
    expect(await answer.json()).toMatchObject({ reason: 'RequestEntityTooLarge', code: 413 });
    expect(s.store.revision).toBe(before);
  });

  it('ends a request that outlives its timeout with a 504 Status', async () => {
    s = await startServer();
    const pending = s.request('/api/v1/namespaces/default?resourceVersion=999999&timeout=1s');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await (s.store.clock as VirtualClock).advance(1000);
    const answer = await pending;
    expect(answer.status).toBe(504);
    expect(await answer.json()).toMatchObject({ reason: 'Timeout', message: expect.stringContaining('within 1s') });
    expect((await s.request('/api/v1/namespaces?timeout=soon')).status).toBe(400);
  });

  it('bounds the watches one user holds open', async () => {
    s = await startServer({ maxWatchesPerUser: 1 });
    const first = await s.request('/api/v1/namespaces?watch=1');
    expect(first.status).toBe(200);
    const second = await s.request('/api/v1/pods?watch=1');
    expect(second.status).toBe(429);
    expect(await second.json()).toMatchObject({
      reason: 'TooManyRequests',
      message: expect.stringContaining('limit 1'),
    });
    await first.body?.cancel();
  });

  it('streams watch events as lines, resuming after a resourceVersion', async () => {
    s = await startServer();
    const listed = await s.json<{ metadata: { resourceVersion: string } }>('/api/v1/namespaces');
    const response = await s.request(`/api/v1/namespaces?watch=1&resourceVersion=${listed.metadata.resourceVersion}`);
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await s.request('/api/v1/namespaces', { method: 'POST', json: { metadata: { name: 'team-a' } } });
    const { value } = await reader.read();
    const event = JSON.parse(new TextDecoder().decode(value).split('\n')[0] as string);
    expect(event).toMatchObject({ type: 'ADDED', object: { kind: 'Namespace', metadata: { name: 'team-a' } } });
    await reader.cancel();
  });
});
