import { builtinAdmission, builtinTypes } from '@keelson/api';
import { VirtualClock } from '@keelson/clock';
import { createStore, type ResourceType, type Store } from '@keelson/core';
import { type ApiServer, type ApiServerOptions, createApiServer, tokenAuthenticator } from '../src/index';

export const TOKEN = 'test-token-0123456789';

/** A store of the built-in kinds behind a listening API server, and a fetch that sends the token. */
export interface ServerFixture {
  store: Store;
  server: ApiServer;
  url: string;
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  json<T = Record<string, unknown>>(path: string, init?: RequestInit & { json?: unknown }): Promise<T>;
  close(): Promise<void>;
}

export async function startServer(
  options: Partial<ApiServerOptions> & { types?: readonly ResourceType[]; store?: Store } = {},
): Promise<ServerFixture> {
  const store =
    options.store ??
    (await createStore({
      types: [...builtinTypes, ...(options.types ?? [])],
      clock: new VirtualClock(Date.parse('2026-01-01T00:00:00Z')),
      admission: builtinAdmission(),
      systemNamespaces: true,
      logger: { warn() {} },
    }));
  const server = createApiServer({
    authenticate: tokenAuthenticator({ [TOKEN]: { username: 'admin', groups: ['system:masters'] } }),
    ...options,
    store,
  });
  const { url } = await server.listen();
  const request = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${TOKEN}`);
    let body = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    return fetch(url + path, { ...init, headers, body: body ?? null });
  };
  return {
    store,
    server,
    url,
    request,
    async json(path, init) {
      const response = await request(path, init);
      return (await response.json()) as never;
    },
    async close() {
      await server.close();
      await store.close();
    },
  };
}
