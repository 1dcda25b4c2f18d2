import type { VirtualClock } from '@keelson/clock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ServerFixture, startServer } from './serverHarness';

let s: ServerFixture;
beforeEach(async () => {
  s = await startServer();
});
afterEach(async () => {
  await s.close();
});

const namespace = (name: string, labels: Record<string, string> = {}) => ({ metadata: { name, labels } });

// biome-ignore lint/suspicious/noExplicitAny: events are read as loosely typed JSON.
type WatchLine = { type: string; object: Record<string, any> };

/** Reads watch events (one JSON object per line) until `count` have arrived. */
async function events(response: Response, count: number): Promise<WatchLine[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (text.split('\n').filter(Boolean).length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  await reader.cancel();
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe('watch', () => {
  it('starts with the existing objects, and with sendInitialEvents ends them with a bookmark', async () => {
    const listed = await s.json<{ items: { metadata: { name: string } }[] }>('/api/v1/namespaces');
    const names = listed.items.map((n) => n.metadata.name);
    expect(names.length).toBeGreaterThan(0);
    const response = await s.request(
      '/api/v1/namespaces?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan',
    );
    const got = await events(response, names.length + 1);
    expect(got.slice(0, names.length).map((e) => [e.type, e.object.metadata.name])).toEqual(
      names.map((name) => ['ADDED', name]),
    );
    expect(got[names.length]).toMatchObject({
      type: 'BOOKMARK',
      object: { metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } },
    });
  });

  it('filters by label selector and sends Table rows when asked', async () => {
    const response = await s.request('/api/v1/namespaces?watch=1&labelSelector=team%3Da', {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    await s.request('/api/v1/namespaces', { method: 'POST', json: namespace('b-ns', { team: 'b' }) });
    await s.request('/api/v1/namespaces', { method: 'POST', json: namespace('a-ns', { team: 'a' }) });
    const [first] = await events(response, 1);
    expect(first?.type).toBe('ADDED');
    expect(first?.object.kind).toBe('Table');
    expect(first?.object.rows[0].cells[0]).toBe('a-ns');
  });

  it('answers a compacted resourceVersion with an ERROR event carrying 410 Expired', async () => {
    await s.request('/api/v1/namespaces', { method: 'POST', json: namespace('one') });
    await s.request('/api/v1/namespaces', { method: 'POST', json: namespace('two') });
    await s.store.compact(s.store.revision);
    const response = await s.request('/api/v1/namespaces?watch=1&resourceVersion=1');
    expect(response.status).toBe(200);
    const [error] = await events(response, 1);
    expect(error).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });

  it('ends after timeoutSeconds of the store clock', async () => {
    const response = await s.request(`/api/v1/namespaces?watch=1&resourceVersion=${s.store.revision}&timeoutSeconds=5`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await (s.store.clock as VirtualClock).advance(5000);
    expect((await reader.read()).done).toBe(true);
  });
});

describe('list and delete options', () => {
  it('lists exactly at an older revision with resourceVersionMatch=Exact', async () => {
    await s.request('/api/v1/namespaces', { method: 'POST', json: namespace('early') });
    const at = s.store.revision;
    await s.request('/api/v1/namespaces', { method: 'POST', json: namespace('late') });
    const exact = await s.json<{ items: { metadata: { name: string } }[]; metadata: { resourceVersion: string } }>(
      `/api/v1/namespaces?resourceVersion=${at}&resourceVersionMatch=Exact`,
    );
    const names = exact.items.map((n) => n.metadata.name);
    expect(names).toContain('early');
    expect(names).not.toContain('late');
    expect((await s.request('/api/v1/namespaces?resourceVersionMatch=Exact')).status).toBe(400);
  });

  it('deletes a collection by selector, and honours preconditions', async () => {
    for (const [name, team] of [
      ['x1', 'x'],
      ['x2', 'x'],
      ['y1', 'y'],
    ] as const) {
      await s.request('/api/v1/namespaces', { method: 'POST', json: namespace(name, { team }) });
    }
    const deleted = await s.json<{ items: { metadata: { name: string } }[] }>(
      '/api/v1/namespaces?labelSelector=team%3Dx',
      {
        method: 'DELETE',
      },
    );
    expect(deleted.items.map((n) => n.metadata.name)).toEqual(['x1', 'x2']);
    const y1 = await s.json<{ metadata: { uid: string } }>('/api/v1/namespaces/y1');
    const wrong = await s.request('/api/v1/namespaces/y1', {
      method: 'DELETE',
      json: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'not-the-uid' } },
    });
    expect(wrong.status).toBe(409);
    const right = await s.request('/api/v1/namespaces/y1', {
      method: 'DELETE',
      json: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: y1.metadata.uid } },
    });
    expect(right.status).toBeLessThan(300);
    expect((await s.request('/api/v1/namespaces?propagationPolicy=Sideways', { method: 'DELETE' })).status).toBe(400);
  });
});
