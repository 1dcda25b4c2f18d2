import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineResource } from '../resource/defineResource';
import { createStore } from './createStore';

const Widget = defineResource({
  group: 'example.dev',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: false,
  spec: z.object({ size: z.number().int().min(0) }),
});

describe('store metrics', () => {
  it('counts requests by kind, verb and code on the registry given, and nowhere else', async () => {
    const registry = new Registry();
    const store = await createStore({ types: [Widget], metricsRegistry: registry });
    await store.create(Widget, { metadata: { name: 'a' }, spec: { size: 1 } });
    await store.get(Widget, 'a');
    await expect(store.get(Widget, 'missing')).rejects.toThrow(/not found/);
    await expect(store.create(Widget, { metadata: { name: 'a' }, spec: { size: 1 } })).rejects.toThrow();
    await store.list(Widget);
    const text = await registry.metrics();
    const line = (verb: string, code: string) =>
      `keelson_store_requests_total{group="example.dev",kind="Widget",verb="${verb}",code="${code}"} 1`;
    expect(text).toContain(line('create', '201'));
    expect(text).toContain(line('get', '200'));
    expect(text).toContain(line('get', '404'));
    expect(text).toContain(line('create', '409'));
    expect(text).toContain(line('list', '200'));
    expect(text).toContain(
      'keelson_store_request_duration_seconds_count{group="example.dev",kind="Widget",verb="get"} 2',
    );
    await store.close();
  });

  it('registers nothing without a registry', async () => {
    const store = await createStore({ types: [Widget] });
    await store.create(Widget, { metadata: { name: 'a' }, spec: { size: 1 } });
    expect((store as unknown as { core: { metrics: unknown } }).core.metrics).toBeUndefined();
    await store.close();
  });
});
