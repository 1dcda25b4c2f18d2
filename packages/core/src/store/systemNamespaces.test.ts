import { VirtualClock } from '@keelson/clock';
import { createMemoryLog } from '@keelson/eventlog';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Website } from '../../test/fixtures';
import { isKeelsonError } from '../errors/index';
import { defineResource } from '../resource/defineResource';
import { createStore } from './createStore';

const Namespace = defineResource({
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  namespaced: false,
  spec: z.object({ finalizers: z.array(z.string()).optional() }).default({}),
});

const names = async (store: Awaited<ReturnType<typeof createStore>>) =>
  (await store.list(Namespace)).items.map((n) => n.metadata.name).sort();

describe('createStore({ systemNamespaces })', () => {
  it('creates the namespaces the API server bootstraps, once, keeping ones that exist', async () => {
    const log = createMemoryLog();
    const clock = new VirtualClock(0);
    const first = await createStore({ log, clock, types: [Namespace], systemNamespaces: true });
    expect(await names(first)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const before = first.revision;
    // a second process on the same log finds them all and writes nothing
    const second = await createStore({ log, clock, types: [Namespace], systemNamespaces: true });
    expect(second.revision).toBe(before);
    expect(await names(second)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  });

  it('creates only the missing ones, and nothing unless asked', async () => {
    const log = createMemoryLog();
    const plain = await createStore({ log, types: [Namespace] });
    expect(await names(plain)).toEqual([]);
    await plain.create(Namespace, { metadata: { name: 'default', labels: { mine: 'yes' } } });
    const store = await createStore({ log, types: [Namespace], systemNamespaces: true });
    expect(await names(store)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    expect((await store.get(Namespace, 'default')).metadata.labels).toEqual({ mine: 'yes' });
  });

  it('refuses the option without a v1 Namespace kind, naming the field', async () => {
    const error = await createStore({ types: [Website], systemNamespaces: true }).catch((e: unknown) => e);
    expect(isKeelsonError(error, 'Invalid')).toBe(true);
    expect((error as Error).message).toContain('systemNamespaces');
  });
});
