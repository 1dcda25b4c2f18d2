import { type InputOf, isKeelsonError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { Pod } from '../kinds/pod';
import { builtinStore, rejection } from '../kinds/testStore';
import { bindPod } from './bindPod';

const pending: InputOf<typeof Pod> = {
  metadata: { name: 'web', namespace: 'default' },
  spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
};

describe('bindPod', () => {
  it('binds an unbound pod once; a second bind is a Conflict', async () => {
    const { store } = await builtinStore();
    const pod = await store.create(Pod, pending);
    const bound = await bindPod(store, pod, 'node-1');
    expect(bound.spec.nodeName).toBe('node-1');
    expect(bound.metadata.resourceVersion).not.toBe(pod.metadata.resourceVersion);
    const error = await rejection(bindPod(store, pod, 'node-2'));
    expect(isKeelsonError(error, 'Conflict')).toBe(true);
    expect(error.message).toBe('pod default/web is already assigned to node "node-1"');
    expect((await store.get(Pod, 'web', { namespace: 'default' })).spec.nodeName).toBe('node-1');
  });

  it('marks the pod PodScheduled=True in the same write, replacing an Unschedulable condition', async () => {
    const { store, clock } = await builtinStore();
    await store.create(Pod, pending);
    await store.patch(
      Pod,
      'web',
      (draft) => {
        draft.status = {
          phase: 'Pending',
          conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes' }],
        };
      },
      { namespace: 'default', subresource: 'status' },
    );
    await clock.advance(5_000);
    const bound = await bindPod(store, { metadata: { name: 'web', namespace: 'default' } }, 'node-1');
    const scheduled = bound.status?.conditions?.find((c) => c.type === 'PodScheduled');
    expect(scheduled).toMatchObject({ status: 'True', lastTransitionTime: '1970-01-01T00:00:05Z' });
    expect(scheduled?.reason).toBeUndefined();
    expect(bound.status?.phase).toBe('Pending');
  });

  it('lets one of two racing schedulers win', async () => {
    const { store } = await builtinStore();
    const pod = await store.create(Pod, pending);
    const results = await Promise.allSettled([bindPod(store, pod, 'node-1'), bindPod(store, pod, 'node-2')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(isKeelsonError(rejected?.reason, 'Conflict')).toBe(true);
  });

  it('refuses a replaced pod (uid precondition) and a pod being deleted', async () => {
    const { store } = await builtinStore();
    const first = await store.create(Pod, pending);
    await store.delete(Pod, 'web', { namespace: 'default' });
    await store.create(Pod, pending);
    const replaced = await rejection(bindPod(store, first, 'node-1'));
    expect(isKeelsonError(replaced, 'Conflict')).toBe(true);
    expect(replaced.message).toContain('Precondition failed: UID');

    await store.create(Pod, {
      ...pending,
      metadata: { name: 'held', namespace: 'default', finalizers: ['example.com/hold'] },
    });
    await store.delete(Pod, 'held', { namespace: 'default' });
    const deleting = await rejection(bindPod(store, { metadata: { name: 'held', namespace: 'default' } }, 'node-1'));
    expect(isKeelsonError(deleting, 'Conflict')).toBe(true);
    expect(deleting.message).toBe('pod default/held is being deleted, cannot be assigned to a host');
  });

  it('needs a node name', async () => {
    const { store } = await builtinStore();
    const pod = await store.create(Pod, pending);
    expect(isKeelsonError(await rejection(bindPod(store, pod, '')), 'Invalid')).toBe(true);
  });
});
