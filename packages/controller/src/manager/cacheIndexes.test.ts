import { bindPod, Pod } from '@keelson/api';
import type { KubeObject } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { harness, settle, Widget } from '../../test/harness';
import { createInformer } from '../informer/informer';
import { CACHE_INDEXERS, cacheOver } from './cacheIndexes';

const ref = (uid: string, controller = true) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  name: `rs-${uid}`,
  uid,
  controller,
});

const item = (name: string, namespace: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name, namespace, ...extra },
  spec: { size: 1 },
});

async function cached() {
  const { clock, store } = await harness();
  const informer = createInformer(store, Widget, { indexers: CACHE_INDEXERS });
  informer.start();
  await informer.waitForSync();
  const cache = cacheOver(() => informer as never);
  const names = (objects: readonly KubeObject[]) => objects.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
  return { clock, store, informer, cache, names };
}

describe('the manager cache indexes', () => {
  it('controlledBy reads one controller’s objects of one namespace, sorted by name', async () => {
    const { clock, store, cache, names } = await cached();
    await store.create(Widget, item('b', 'default', { ownerReferences: [ref('u1')] }));
    await store.create(Widget, item('a', 'default', { ownerReferences: [ref('u1')] }));
    await store.create(Widget, item('c', 'default', { ownerReferences: [ref('u2')] }));
    // Same uid in another namespace: not the owner's (owners and dependents share a namespace).
    await store.create(Widget, item('d', 'other', { ownerReferences: [ref('u1')] }));
    await settle(clock);
    expect(names(cache.controlledBy(Widget, 'default', 'u1'))).toEqual(['default/a', 'default/b']);
    expect(names(cache.controlledBy(Widget, 'default', 'u2'))).toEqual(['default/c']);
    expect(names(cache.controlledBy(Widget, 'other', 'u1'))).toEqual(['other/d']);
    expect(cache.controlledBy(Widget, 'default', 'nobody')).toEqual([]);
  });

  it('undefined reads the orphans: no owner, or owners none of which is the controller', async () => {
    const { clock, store, cache, names } = await cached();
    await store.create(Widget, item('lone', 'default'));
    await store.create(Widget, item('shared', 'default', { ownerReferences: [ref('u1', false)] }));
    await store.create(Widget, item('owned', 'default', { ownerReferences: [ref('u1')] }));
    await store.create(Widget, item('lone', 'other'));
    await settle(clock);
    expect(names(cache.controlledBy(Widget, 'default', undefined))).toEqual(['default/lone', 'default/shared']);
    expect(names(cache.controlledBy(Widget, 'other', undefined))).toEqual(['other/lone']);
  });

  it('follows ownerReference changes and deletes', async () => {
    const { clock, store, cache, names } = await cached();
    const created = await store.create(Widget, item('w', 'default'));
    await settle(clock);
    expect(names(cache.controlledBy(Widget, 'default', undefined))).toEqual(['default/w']);
    const adopted = await store.update({
      ...created,
      metadata: { ...created.metadata, ownerReferences: [ref('u1')] },
    });
    await settle(clock);
    expect(cache.controlledBy(Widget, 'default', undefined)).toEqual([]);
    expect(names(cache.controlledBy(Widget, 'default', 'u1'))).toEqual(['default/w']);
    const moved = await store.update({
      ...adopted,
      metadata: { ...adopted.metadata, ownerReferences: [ref('u2')] },
    });
    await settle(clock);
    expect(cache.controlledBy(Widget, 'default', 'u1')).toEqual([]);
    expect(cache.controlledBy(Widget, 'default', 'u2')).toEqual([moved]);
    await store.delete(Widget, 'w', { namespace: 'default' });
    await settle(clock);
    expect(cache.controlledBy(Widget, 'default', 'u2')).toEqual([]);
    expect(cache.controlledBy(Widget, 'default', undefined)).toEqual([]);
  });

  it('list with a namespace reads only that namespace, with or without a label selector', async () => {
    const { clock, store, cache, names } = await cached();
    await store.create(Widget, item('b', 'default', { labels: { app: 'x' } }));
    await store.create(Widget, item('a', 'default', { labels: { app: 'y' } }));
    await store.create(Widget, item('a', 'other', { labels: { app: 'x' } }));
    await settle(clock);
    expect(names(cache.list(Widget, { namespace: 'default' }))).toEqual(['default/a', 'default/b']);
    expect(names(cache.list(Widget, { namespace: 'default', labelSelector: 'app=x' }))).toEqual(['default/b']);
    expect(names(cache.list(Widget, { namespace: 'missing' }))).toEqual([]);
    expect(names(cache.list(Widget))).toEqual(['default/a', 'default/b', 'other/a']);
    await store.delete(Widget, 'a', { namespace: 'default' });
    await settle(clock);
    expect(names(cache.list(Widget, { namespace: 'default' }))).toEqual(['default/b']);
  });
  it('onNode reads the pods bound to a node, of every namespace, and follows binding and deletion', async () => {
    const { clock, store, names } = await cached();
    const pods = createInformer(store, Pod, { indexers: CACHE_INDEXERS });
    pods.start();
    await pods.waitForSync();
    const cache = cacheOver(() => pods as never);
    const pod = (name: string, namespace: string, nodeName?: string) => ({
      metadata: { name, namespace },
      spec: { containers: [{ name: 'c', image: 'app:1' }], ...(nodeName === undefined ? {} : { nodeName }) },
    });
    await store.create(Pod, pod('b', 'default', 'node-1'));
    await store.create(Pod, pod('a', 'kube-system', 'node-1'));
    await store.create(Pod, pod('c', 'default', 'node-2'));
    await store.create(Pod, pod('pending', 'default'));
    await settle(clock);
    expect(names(cache.onNode(Pod, 'node-1'))).toEqual(['default/b', 'kube-system/a']);
    expect(names(cache.onNode(Pod, 'node-3'))).toEqual([]);
    await bindPod(store, { metadata: { name: 'pending', namespace: 'default' } }, 'node-1');
    await store.delete(Pod, 'b', { namespace: 'default', gracePeriodSeconds: 0 });
    await settle(clock);
    expect(names(cache.onNode(Pod, 'node-1'))).toEqual(['default/pending', 'kube-system/a']);
    pods.stop();
  });
});
