import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { rejection, site, testStore, Website } from '../../test/fixtures';
import { isKeelsonError } from '../errors/index';
import { defineResource } from '../resource/defineResource';
import { createStore } from './createStore';

const Gadget = defineResource({
  group: 'toys.example.dev',
  version: 'v1',
  kind: 'Gadget',
  plural: 'gadgets',
  namespaced: true,
  spec: z.object({ size: z.number().int() }),
});

describe('store: kinds registered at run time, dry runs and managedFields', () => {
  it('serves a kind registered after creation and adopts its entries already in the log on a rebuild', async () => {
    const { store, log } = await testStore({ types: [Website] });
    expect(store.types.map((t) => t.kind)).toEqual(['Website']);
    store.registerType(Gadget);
    expect(store.types.map((t) => t.kind)).toEqual(['Website', 'Gadget']);
    await store.create(Gadget, { metadata: { name: 'g', namespace: 'default' }, spec: { size: 2 } });

    // A new store on the same log knows only Website at first: the Gadget waits until registered.
    const again = await createStore({ log, types: [Website] });
    expect(isKeelsonError(await rejection(again.list(Gadget)), 'Invalid')).toBe(true);
    again.registerType(Gadget);
    const { items } = await again.list(Gadget);
    expect(items.map((g) => [g.metadata.name, g.spec.size])).toEqual([['g', 2]]);

    again.unregisterType(Gadget);
    expect(again.types.map((t) => t.kind)).toEqual(['Website']);
    expect(() => again.registerType({} as never)).toThrow(/defineResource/);
  });

  it('dryRun checks everything and returns the result, writing nothing', async () => {
    const { store, log } = await testStore();
    const created = await store.create(Website, site('a'));
    const head = await log.head();
    const dry = await store.create(Website, site('b'), { dryRun: true });
    expect(dry.metadata.name).toBe('b');
    expect(await log.head()).toBe(head);
    await expect(store.get(Website, 'b', { namespace: 'default' })).rejects.toThrow(/not found/);
    // The same refusals as a real write.
    expect(isKeelsonError(await rejection(store.create(Website, site('a'), { dryRun: true })), 'AlreadyExists')).toBe(
      true,
    );
    const updated = await store.update({ ...created, spec: { ...created.spec, replicas: 9 } }, { dryRun: true });
    expect(updated.spec.replicas).toBe(9);
    expect((await store.get(Website, 'a', { namespace: 'default' })).spec.replicas).toBe(created.spec.replicas);
    await store.delete(Website, 'a', { namespace: 'default', dryRun: true });
    expect(await log.head()).toBe(head);
  });

  it('keeps metadata.managedFields as written, and an update without them keeps the stored ones', async () => {
    const { store } = await testStore();
    const managedFields = [
      {
        manager: 'kubectl',
        operation: 'Apply' as const,
        apiVersion: 'example.dev/v1',
        time: '2026-01-01T00:00:00Z',
        fieldsType: 'FieldsV1' as const,
        fieldsV1: { 'f:spec': { 'f:image': {} } },
      },
    ];
    const created = await store.create(Website, site('a', {}, { managedFields }));
    expect(created.metadata.managedFields).toEqual(managedFields);
    const { managedFields: _dropped, ...meta } = created.metadata;
    const updated = await store.update<typeof created>({
      ...created,
      metadata: meta,
      spec: { ...created.spec, replicas: 4 },
    });
    expect(updated.metadata.managedFields).toEqual(managedFields);
    const cleared = await store.update({ ...updated, metadata: { ...updated.metadata, managedFields: [] } });
    expect(cleared.metadata.managedFields).toBeUndefined();
  });
});
