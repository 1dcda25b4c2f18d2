import { createRandom, VirtualClock } from '@keelson/clock';
import { createStore, isKeelsonError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { builtinTypes } from '../builtinTypes';
import { Namespace } from '../kinds/namespace';
import { Pod } from '../kinds/pod';
import { rejection } from '../kinds/testStore';
import { builtinAdmission, ensureSystemNamespaces, SYSTEM_NAMESPACES } from './index';

async function apiStore() {
  const store = await createStore({
    types: builtinTypes,
    admission: builtinAdmission(),
    clock: new VirtualClock(0),
    random: createRandom(3, 'admission'),
    logger: { warn: () => undefined },
  });
  await ensureSystemNamespaces(store);
  return store;
}

interface TolerationInput {
  key?: string;
  operator?: 'Exists' | 'Equal';
  effect?: 'NoExecute';
  tolerationSeconds?: number;
}

const pod = (name: string, namespace = 'default', tolerations?: TolerationInput[]) => ({
  metadata: { name, namespace },
  spec: { containers: [{ name: 'c', image: 'busybox:1.36' }], ...(tolerations ? { tolerations } : {}) },
});

describe('namespaceLifecycle', () => {
  it('creates the system namespaces once', async () => {
    const store = await apiStore();
    await ensureSystemNamespaces(store);
    expect((await store.list(Namespace)).items.map((n) => n.metadata.name)).toEqual([...SYSTEM_NAMESPACES].sort());
  });

  it('refuses objects in a namespace that does not exist', async () => {
    const store = await apiStore();
    const error = await rejection(store.create(Pod, pod('p', 'nowhere')));
    expect(isKeelsonError(error, 'NotFound')).toBe(true);
    expect(error.message).toBe('namespaces "nowhere" not found');
  });

  it('refuses new content in a terminating namespace', async () => {
    const store = await apiStore();
    await store.create(Namespace, { metadata: { name: 'team', finalizers: ['example.dev/hold'] } });
    await store.delete(Namespace, 'team');
    const error = await rejection(store.create(Pod, pod('p', 'team')));
    expect(isKeelsonError(error, 'Forbidden')).toBe(true);
    expect(error.message).toMatch(/unable to create new content in namespace team because it is being terminated/);
  });

  it('protects the system namespaces from deletion', async () => {
    const store = await apiStore();
    const error = await rejection(store.delete(Namespace, 'default'));
    expect(isKeelsonError(error, 'Forbidden')).toBe(true);
    expect((await store.get(Namespace, 'default')).metadata.deletionTimestamp).toBeUndefined();
  });
});

describe('defaultTolerationSeconds', () => {
  it('adds 300 s tolerations for the not-ready and unreachable taints', async () => {
    const store = await apiStore();
    const created = await store.create(Pod, pod('p'));
    expect(created.spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });

  it('keeps a pod’s own toleration for a taint and adds only the missing one', async () => {
    const store = await apiStore();
    const own: TolerationInput = {
      key: 'node.kubernetes.io/unreachable',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 6000,
    };
    const created = await store.create(Pod, pod('p', 'default', [own]));
    expect(created.spec.tolerations?.map((t) => [t.key, t.tolerationSeconds])).toEqual([
      ['node.kubernetes.io/unreachable', 6000],
      ['node.kubernetes.io/not-ready', 300],
    ]);
    const everything = await store.create(Pod, pod('q', 'default', [{ operator: 'Exists' }]));
    expect(everything.spec.tolerations).toEqual([{ operator: 'Exists' }]);
  });
});
