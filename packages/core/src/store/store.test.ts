import { createRandom, VirtualClock } from '@keelson/clock';
import { describe, expect, it, vi } from 'vitest';
import { rejection, START, site, testStore, Website, Zone } from '../../test/fixtures';
import { isKeelsonError } from '../errors/index';
import { createMemoryLogger } from '../observability/memoryLogger';
import { createStore } from './createStore';

describe('store: create and read', () => {
  it('creates with server-set metadata from the clock and the seeded random source', async () => {
    const { store, clock } = await testStore();
    await clock.advance(1_500);
    const created = await store.create(Website, site('blog'));
    expect(created).toMatchObject({
      apiVersion: 'example.dev/v1',
      kind: 'Website',
      metadata: { name: 'blog', namespace: 'default', generation: 1, creationTimestamp: '2026-01-01T00:00:01Z' },
      spec: { image: 'nginx:1.25', replicas: 1, tags: [] },
    });
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.resourceVersion).toBe(String(store.revision));
    expect(await store.get(Website, 'blog')).toBe(created);
    expect(START).toBeLessThan(Date.parse(created.metadata.creationTimestamp));
  });

  it('gives the same uids and generated names for the same seed', async () => {
    const run = async () => {
      const { store } = await testStore({ random: createRandom(99, 'store') });
      const a = await store.create(Website, { metadata: { generateName: 'web-' }, spec: { image: 'x' } });
      return [a.metadata.name, a.metadata.uid];
    };
    const first = await run();
    expect(first[0]).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(await run()).toEqual(first);
  });

  it('keeps status as given on create and returns deeply frozen objects', async () => {
    const { store } = await testStore();
    const created = await store.create(Website, { ...site('a'), status: { readyReplicas: 2 } });
    expect(created.status).toEqual({ readyReplicas: 2 });
    expect(Object.isFrozen(created)).toBe(true);
    expect(Object.isFrozen(created.spec.tags)).toBe(true);
    expect(() => {
      (created.spec as { replicas: number }).replicas = 5;
    }).toThrow(TypeError);
    expect((await store.get(Website, 'a')).spec.replicas).toBe(1);
  });

  it('refuses a taken name, a resourceVersion on create, and bad names', async () => {
    const { store } = await testStore();
    await store.create(Website, site('a'));
    const taken = await rejection(store.create(Website, site('a')));
    expect(isKeelsonError(taken, 'AlreadyExists')).toBe(true);
    expect(taken.message).toBe('websites.example.dev "a" already exists');
    const withVersion = await rejection(store.create(Website, site('b', {}, { resourceVersion: '5' })));
    expect(isKeelsonError(withVersion, 'Invalid')).toBe(true);
    const badName = await rejection(store.create(Website, site('Not_Valid')));
    expect(isKeelsonError(badName, 'Validation')).toBe(true);
    expect(badName.message).toMatch(/metadata\.name: must consist of lower case/);
    const longLabel = await rejection(
      store.create(Zone, { metadata: { name: 'a'.repeat(64) }, spec: { region: 'eu' } }),
    );
    expect(longLabel.message).toMatch(/no more than 63 characters/);
    expect((await store.list(Website)).items.map((w) => w.metadata.name)).toEqual(['a']);
  });

  it('names every bad field in one ValidationError and writes nothing', async () => {
    const { store, log } = await testStore();
    const head = await log.head();
    const error = await rejection(
      store.create(Website, {
        metadata: { name: 'bad', labels: { 'bad key!': 'v' } },
        spec: { image: '', replicas: -1 },
      } as never),
    );
    expect(isKeelsonError(error, 'Validation')).toBe(true);
    expect(error.message).toContain('Website "bad" is invalid');
    expect(error.message).toMatch(/spec\.image: .*/);
    expect(error.message).toMatch(/spec\.replicas: .*/);
    expect(error.message).toMatch(/metadata\.labels\.bad key!: label key/);
    expect((error as unknown as { issues: unknown[] }).issues).toHaveLength(3);
    const both = await rejection(store.create(Website, { metadata: { name: 'Bad_Name' }, spec: { image: '' } }));
    expect(both.message).toMatch(/metadata\.name: must consist of lower case.*; spec\.image: /);
    expect(await log.head()).toBe(head);
  });

  it('drops unknown fields and reports each as a warning', async () => {
    const { store, warnings } = await testStore();
    const seen: string[] = [];
    const created = await store.create(
      Website,
      { metadata: { name: 'a', colour: 'red' }, spec: { image: 'x', extra: { deep: 1 } }, surprise: true } as never,
      { onWarning: (w) => seen.push(w) },
    );
    expect(seen.sort()).toEqual([
      'unknown field "metadata.colour"',
      'unknown field "spec.extra"',
      'unknown field "surprise"',
    ]);
    expect(created.spec).not.toHaveProperty('extra');
    await store.create(Website, { metadata: { name: 'b' }, spec: { image: 'x', more: 1 } } as never);
    expect(warnings).toEqual(['unknown field "spec.more"']);
  });

  it('sends those warnings to a pino-compatible logger, and prints nothing without one', async () => {
    const logger = createMemoryLogger();
    const { store } = await testStore({ logger });
    await store.create(Website, { metadata: { name: 'b' }, spec: { image: 'x', more: 1 } } as never);
    expect(logger.lines).toEqual([{ level: 'warn', message: 'unknown field "spec.more"', fields: {} }]);
    const warn = vi.spyOn(console, 'warn');
    const silent = await createStore({ types: [Website], clock: new VirtualClock(START) });
    await silent.create(Website, { metadata: { name: 'b' }, spec: { image: 'x', more: 1 } } as never);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('treats properties set to undefined as unset', async () => {
    const { store } = await testStore();
    // What JavaScript callers (or spreads of optional values) send.
    const input = { metadata: { name: 'u', labels: undefined }, spec: { image: 'x', nodeName: undefined } };
    const created = await store.create(Website, input as never);
    expect(created.spec).not.toHaveProperty('nodeName');
    expect(created.metadata).not.toHaveProperty('labels');
  });

  it('refuses prototype keys anywhere and objects over the size limit', async () => {
    const { store, log } = await testStore();
    const polluted = JSON.parse('{"metadata":{"name":"p","labels":{"__proto__":{"x":"y"}}},"spec":{"image":"x"}}');
    const error = await rejection(store.create(Website, polluted));
    expect(isKeelsonError(error, 'Invalid')).toBe(true);
    expect(error.message).toMatch(/metadata\.labels\.__proto__ uses the reserved key "__proto__"/);
    const constructorKey = await rejection(
      store.create(Website, { ...site('c'), spec: { image: 'x', constructor: 1 } } as never),
    );
    expect(constructorKey.message).toMatch(/reserved key "constructor"/);
    const huge = await rejection(store.create(Website, site('h', { image: 'x'.repeat(2 * 1024 * 1024) })));
    expect(huge.message).toMatch(/over the 1572864-byte object limit/);
    expect(await log.head()).toBe(0);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('lists with namespace, label and field selectors, sorted, with the revision', async () => {
    const { store } = await testStore();
    await store.create(Website, site('b', { nodeName: 'n1' }, { labels: { app: 'web' } }));
    await store.create(Website, site('a', { nodeName: 'n2' }, { labels: { app: 'web', tier: 'front' } }));
    await store.create(Website, site('c', { nodeName: 'n1' }, { namespace: 'other', labels: { app: 'db' } }));
    const names = async (options: Parameters<typeof store.list>[1]) =>
      (await store.list(Website, options)).items.map((w) => `${w.metadata.namespace}/${w.metadata.name}`);
    expect(await names({})).toEqual(['default/a', 'default/b', 'other/c']);
    expect(await names({ namespace: 'default' })).toEqual(['default/a', 'default/b']);
    expect(await names({ labelSelector: 'app=web,!tier' })).toEqual(['default/b']);
    expect(
      await names({ labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['db'] }] } }),
    ).toEqual(['other/c']);
    expect(await names({ fieldSelector: 'spec.nodeName=n1' })).toEqual(['default/b', 'other/c']);
    expect(await names({ fieldSelector: 'metadata.name!=a,metadata.namespace=default' })).toEqual(['default/b']);
    const list = await store.list(Website);
    expect(list.resourceVersion).toBe(String(store.revision));
    const badField = await rejection(store.list(Website, { fieldSelector: 'spec.replicas=1' }));
    expect(badField.message).toMatch(/field label not supported: "spec.replicas"/);
  });

  it('handles cluster-scoped kinds without a namespace', async () => {
    const { store } = await testStore();
    const zone = await store.create(Zone, { metadata: { name: 'eu-1', namespace: 'ignored' }, spec: { region: 'eu' } });
    expect(zone.metadata.namespace).toBeUndefined();
    expect(await store.get(Zone, 'eu-1')).toBe(zone);
  });

  it('waits up to 3 s for a future resourceVersion, then times out', async () => {
    const { store, clock } = await testStore();
    await store.create(Website, site('a'));
    const next = String(store.revision + 1);
    const pending = store.get(Website, 'a', { resourceVersion: next });
    const created = store.create(Website, site('b'));
    await created;
    expect((await pending).metadata.name).toBe('a');
    const late = store.list(Website, { resourceVersion: String(store.revision + 5) });
    const outcome = rejection(late);
    await clock.advance(3_000);
    const error = await outcome;
    expect(isKeelsonError(error, 'Timeout')).toBe(true);
    expect(error.message).toMatch(/Too large resource version/);
  });

  it('reports missing objects and unknown types clearly', async () => {
    const { store } = await testStore();
    const missing = await rejection(store.get(Website, 'nope', { namespace: 'x' }));
    expect(isKeelsonError(missing, 'NotFound')).toBe(true);
    expect(missing.message).toBe('websites.example.dev "nope" not found in namespace "x"');
    const update = await rejection(store.update({ apiVersion: 'v9', kind: 'Nope', metadata: { name: 'x' } } as never));
    expect(update.message).toMatch(/no registered type for apiVersion "v9" kind "Nope"/);
  });
});
