import { type InputOf, isKeelsonError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { Pod } from '../kinds/pod';
import { builtinStore, issuesOf, rejection } from '../kinds/testStore';

type PodInput = InputOf<typeof Pod>;

const base = (spec: Partial<PodInput['spec']> = {}): PodInput => ({
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    initContainers: [{ name: 'init', image: 'busybox:1.36' }],
    containers: [{ name: 'app', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }],
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
    activeDeadlineSeconds: 600,
    ...spec,
  },
});

async function withPod(spec: Partial<PodInput['spec']> = {}) {
  const { store, clock } = await builtinStore();
  await store.create(Pod, base(spec));
  // Recipes below may return a value (Object.assign, push); immer wants drafts changed and nothing returned.
  const change = (recipe: (pod: Pod) => unknown) =>
    store.patch(
      Pod,
      'web',
      (draft) => {
        recipe(draft);
      },
      { namespace: 'default' },
    );
  return { store, clock, change };
}

describe('pod spec immutability', () => {
  it.each<[string, (pod: Pod) => unknown]>([
    ['a container image', (p) => Object.assign(p.spec.containers[0] ?? {}, { image: 'nginx:1.27' })],
    ['an init container image', (p) => Object.assign(p.spec.initContainers?.[0] ?? {}, { image: 'busybox:1.37' })],
    ['a lower activeDeadlineSeconds', (p) => Object.assign(p.spec, { activeDeadlineSeconds: 60 })],
    ['an added toleration', (p) => p.spec.tolerations?.push({ key: 'gpu', operator: 'Exists' })],
    [
      'a changed tolerationSeconds',
      (p) => p.spec.tolerations?.push({ operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }),
    ],
    ['nodeName set once', (p) => Object.assign(p.spec, { nodeName: 'node-1' })],
  ])('allows %s', async (_what, recipe) => {
    const { change } = await withPod();
    await expect(change(recipe)).resolves.toBeDefined();
  });

  it('allows moving a negative grace period to 1, and adding activeDeadlineSeconds', async () => {
    const { change } = await withPod({ terminationGracePeriodSeconds: -1 });
    await expect(change((p) => Object.assign(p.spec, { terminationGracePeriodSeconds: 1 }))).resolves.toBeDefined();
    const { store } = await builtinStore();
    const { activeDeadlineSeconds: _none, ...spec } = base().spec;
    await store.create(Pod, { ...base(), spec });
    const added = await store.patch(
      Pod,
      'web',
      (p) => {
        p.spec.activeDeadlineSeconds = 30;
      },
      { namespace: 'default' },
    );
    expect(added.spec.activeDeadlineSeconds).toBe(30);
  });

  it.each<[string, (pod: Pod) => unknown, string]>([
    [
      'a container port',
      (p) => Object.assign(p.spec.containers[0] ?? {}, { ports: [{ containerPort: 81, protocol: 'TCP' }] }),
      'spec.containers[0].ports[0].containerPort',
    ],
    ['a command', (p) => Object.assign(p.spec.containers[0] ?? {}, { command: ['sh'] }), 'spec.containers[0].command'],
    [
      'an added container',
      (p) => p.spec.containers.push({ ...(p.spec.containers[0] as Pod['spec']['containers'][0]), name: 'b' }),
      'spec.containers',
    ],
    ['restartPolicy', (p) => Object.assign(p.spec, { restartPolicy: 'Never' }), 'spec.restartPolicy'],
    [
      'terminationGracePeriodSeconds',
      (p) => Object.assign(p.spec, { terminationGracePeriodSeconds: 10 }),
      'spec.terminationGracePeriodSeconds',
    ],
    [
      'a higher activeDeadlineSeconds',
      (p) => Object.assign(p.spec, { activeDeadlineSeconds: 6000 }),
      'spec.activeDeadlineSeconds',
    ],
    ['a removed activeDeadlineSeconds', (p) => delete p.spec.activeDeadlineSeconds, 'spec.activeDeadlineSeconds'],
    ['a removed toleration', (p) => Object.assign(p.spec, { tolerations: [] }), 'spec.tolerations'],
    [
      'a modified toleration',
      (p) => Object.assign(p.spec.tolerations?.[0] ?? {}, { value: 'api' }),
      'spec.tolerations',
    ],
    ['the node selector', (p) => Object.assign(p.spec, { nodeSelector: { zone: 'a' } }), 'spec.nodeSelector'],
  ])('refuses %s, naming the field', async (_what, recipe, path) => {
    const { change } = await withPod();
    const issues = await issuesOf(change(recipe));
    expect(issues.map((i) => i.path)).toEqual([path]);
  });

  it('says that the pod spec is immutable and what may change', async () => {
    const { change } = await withPod();
    const [issue] = await issuesOf(change((p) => Object.assign(p.spec, { hostname: 'other' })));
    expect(issue?.path).toBe('spec.hostname');
    expect(issue?.message).toContain('the pod spec is immutable');
    expect(issue?.message).toContain('pod updates may not change fields other than `spec.containers[*].image`');
  });

  it('binds nodeName once: it never changes afterwards', async () => {
    const { change } = await withPod();
    await change((p) => Object.assign(p.spec, { nodeName: 'node-1' }));
    const issues = await issuesOf(change((p) => Object.assign(p.spec, { nodeName: 'node-2' })));
    expect(issues.map((i) => i.path)).toEqual(['spec.nodeName']);
    expect(issues[0]?.message).toContain('node-1');
    expect((await issuesOf(change((p) => delete p.spec.nodeName))).map((i) => i.path)).toEqual(['spec.nodeName']);
  });

  it('keeps the status on update; status changes go through updateStatus', async () => {
    const { store, change } = await withPod();
    const pod = await store.get(Pod, 'web', { namespace: 'default' });
    const running = await store.updateStatus({ ...pod, status: { ...pod.status, phase: 'Running' } });
    const updated = await store.update({
      ...running,
      metadata: { ...running.metadata, labels: { a: 'b' } },
      status: { phase: 'Failed' },
    });
    expect(updated.status?.phase).toBe('Running');
    expect(updated.metadata.labels).toEqual({ a: 'b' });
    await expect(
      change((p) => Object.assign(p.spec.containers[0] ?? {}, { image: 'nginx:1.27' })),
    ).resolves.toMatchObject({
      status: { phase: 'Running', qosClass: 'BestEffort' },
    });
  });
});

describe('pod graceful deletion', () => {
  it('gives a bound pod its grace period (30 s by default)', async () => {
    const { store } = await withPod({ nodeName: 'node-1' });
    const deleting = await store.delete(Pod, 'web', { namespace: 'default' });
    expect(deleting.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(deleting.metadata.deletionTimestamp).toBe('1970-01-01T00:00:30Z');
    await expect(store.get(Pod, 'web', { namespace: 'default' })).resolves.toBeDefined();
  });

  it('uses the pod terminationGracePeriodSeconds', async () => {
    const { store } = await withPod({ nodeName: 'node-1', terminationGracePeriodSeconds: 5 });
    const deleting = await store.delete(Pod, 'web', { namespace: 'default' });
    expect(deleting.metadata.deletionTimestamp).toBe('1970-01-01T00:00:05Z');
  });

  it('deletes an unbound pod at once', async () => {
    const { store } = await withPod();
    await store.delete(Pod, 'web', { namespace: 'default' });
    const error = await rejection(store.get(Pod, 'web', { namespace: 'default' }));
    expect(isKeelsonError(error, 'NotFound')).toBe(true);
  });

  it('deletes a finished pod at once', async () => {
    const { store } = await withPod({ nodeName: 'node-1' });
    const pod = await store.get(Pod, 'web', { namespace: 'default' });
    await store.updateStatus({ ...pod, status: { phase: 'Succeeded' } });
    await store.delete(Pod, 'web', { namespace: 'default' });
    expect(isKeelsonError(await rejection(store.get(Pod, 'web', { namespace: 'default' })), 'NotFound')).toBe(true);
  });
});
