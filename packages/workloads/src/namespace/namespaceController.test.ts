import { Event, getCondition, Namespace, Pod, ReplicaSet, Service } from '@keelson/api';
import { isKeelsonError, type Store } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { garbageCollectorController } from '../gc/index';
import { startWorkloads, type WorkloadHarness } from '../testSupport';
import { namespaceController } from './namespaceController';

const labels = { app: 'web' };
const podSpec = { containers: [{ name: 'c', image: 'nginx' }] };

async function gone(store: Store, name: string): Promise<boolean> {
  try {
    await store.get(Namespace, name);
    return false;
  } catch (error) {
    if (isKeelsonError(error, 'NotFound')) return true;
    throw error;
  }
}

async function fill(store: Store, namespace: string): Promise<void> {
  await store.create(Pod, { metadata: { name: 'p', namespace, labels }, spec: podSpec });
  await store.create(ReplicaSet, {
    metadata: { name: 'rs', namespace },
    spec: { replicas: 0, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
  });
  await store.create(Service, { metadata: { name: 'svc', namespace }, spec: { ports: [{ port: 80 }] } });
  await store.create(Event, {
    metadata: { name: 'e', namespace },
    involvedObject: { kind: 'Pod', name: 'p', namespace },
    reason: 'Started',
    message: 'started',
    type: 'Normal',
  });
}

async function contentCount(store: Store, namespace: string): Promise<number> {
  let n = 0;
  for (const type of [Pod, ReplicaSet, Service, Event] as const) {
    n += (await store.list(type as typeof Pod, { namespace })).items.length;
  }
  return n;
}

describe('namespaceController', () => {
  let h: WorkloadHarness;
  afterEach(async () => {
    expect(h.errors).toEqual([]);
    await h.stop();
  });

  it('holds the kubernetes finalizer on a live namespace', async () => {
    h = await startWorkloads([namespaceController()]);
    await h.store.create(Namespace, { metadata: { name: 'shop' } });
    await h.advance();
    const ns = await h.store.get(Namespace, 'shop');
    expect(ns.spec.finalizers).toEqual(['kubernetes']);
    expect(ns.metadata.finalizers).toEqual(['kubernetes']);
    expect(ns.status?.phase).toBe('Active');
  });

  it('deletes everything in a deleted namespace, then the namespace', async () => {
    h = await startWorkloads([namespaceController(), garbageCollectorController()]);
    await h.store.create(Namespace, { metadata: { name: 'shop' } });
    await fill(h.store, 'shop');
    await fill(h.store, 'default');
    await h.advance();
    await h.store.delete(Namespace, 'shop');
    await h.advance();
    expect(await contentCount(h.store, 'shop')).toBe(0);
    expect(await gone(h.store, 'shop')).toBe(true);
    expect(await contentCount(h.store, 'default')).toBe(4);
  });

  it('stays Terminating while content held by a finalizer remains, and refuses new content', async () => {
    h = await startWorkloads([namespaceController()]);
    await h.store.create(Namespace, { metadata: { name: 'shop' } });
    await h.store.create(Pod, {
      metadata: { name: 'held', namespace: 'shop', finalizers: ['example.dev/hold'] },
      spec: podSpec,
    });
    await fill(h.store, 'shop');
    await h.advance();
    await h.store.delete(Namespace, 'shop');
    await h.advance();
    const terminating = await h.store.get(Namespace, 'shop');
    expect(terminating.status?.phase).toBe('Terminating');
    expect(getCondition(terminating.status?.conditions, 'NamespaceContentRemaining')).toMatchObject({
      status: 'True',
      message: 'Some resources are remaining: pods. has 1 resource instances',
    });
    expect(getCondition(terminating.status?.conditions, 'NamespaceFinalizersRemaining')).toMatchObject({
      status: 'True',
      message: 'Some content in the namespace has finalizers remaining: example.dev/hold in 1 resource instances',
    });
    const refused = await h.store.create(Pod, { metadata: { name: 'new', namespace: 'shop' }, spec: podSpec }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isKeelsonError(refused, 'Forbidden')).toBe(true);
    expect((refused as Error).message).toMatch(
      /unable to create new content in namespace shop because it is being terminated/,
    );

    const held = await h.store.get(Pod, 'held', { namespace: 'shop' });
    await h.store.update({ ...held, metadata: { ...held.metadata, finalizers: [] } });
    await h.advance();
    expect(await gone(h.store, 'shop')).toBe(true);
  });

  it('waits for other spec finalizers after its own', async () => {
    h = await startWorkloads([namespaceController()]);
    await h.store.create(Namespace, { metadata: { name: 'shop' }, spec: { finalizers: ['example.dev/audit'] } });
    await h.advance();
    await h.store.delete(Namespace, 'shop');
    await h.advance();
    const waiting = await h.store.get(Namespace, 'shop');
    expect(waiting.spec.finalizers).toEqual(['example.dev/audit']);
    await h.store.patch(Namespace, 'shop', (draft) => {
      delete draft.spec.finalizers;
      return draft;
    });
    await h.advance();
    expect(await gone(h.store, 'shop')).toBe(true);
  });
});
