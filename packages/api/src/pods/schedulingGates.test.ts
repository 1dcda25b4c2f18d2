import { type InputOf, isKeelsonError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { getCondition } from '../conditions/conditions';
import { Deployment } from '../kinds/deployment';
import { Pod } from '../kinds/pod';
import { builtinStore, issuesOf, rejection } from '../kinds/testStore';
import { bindPod } from './bindPod';
import { isSchedulingGated, POD_REASON_SCHEDULING_GATED, SCHEDULING_GATED_MESSAGE } from './schedulingGates';

type PodInput = InputOf<typeof Pod>;

const gated = (gates: string[], spec: Partial<PodInput['spec']> = {}): PodInput => ({
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    containers: [{ name: 'app', image: 'nginx:1.25' }],
    schedulingGates: gates.map((name) => ({ name })),
    ...spec,
  },
});

async function created(gates: string[]) {
  const { store, clock } = await builtinStore();
  await store.create(Pod, gated(gates));
  const setGates = (names: string[]) =>
    store.patch(
      Pod,
      'web',
      (draft) => {
        draft.spec.schedulingGates = names.map((name) => ({ name }));
      },
      { namespace: 'default' },
    );
  return { store, clock, setGates };
}

describe('spec.schedulingGates on create', () => {
  it('marks a gated pod PodScheduled=False with reason SchedulingGated, stamped at creation', async () => {
    const { store, clock } = await builtinStore();
    await clock.advance(5_000);
    const pod = await store.create(Pod, gated(['example.com/foo', 'example.com/bar']));
    expect(pod.spec.schedulingGates).toEqual([{ name: 'example.com/foo' }, { name: 'example.com/bar' }]);
    expect(isSchedulingGated(pod)).toBe(true);
    expect(getCondition(pod.status?.conditions, 'PodScheduled')).toEqual({
      type: 'PodScheduled',
      status: 'False',
      reason: POD_REASON_SCHEDULING_GATED,
      message: SCHEDULING_GATED_MESSAGE,
      lastTransitionTime: '1970-01-01T00:00:05Z',
    });
    expect(POD_REASON_SCHEDULING_GATED).toBe('SchedulingGated');
    expect(SCHEDULING_GATED_MESSAGE).toBe('Scheduling is blocked due to non-empty scheduling gates');
  });

  it('adds no condition to a pod without gates, or with an empty list', async () => {
    const { store } = await builtinStore();
    const pod = await store.create(Pod, gated([]));
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    expect(isSchedulingGated(pod)).toBe(false);
  });

  it.each([
    ['', 'name part must be non-empty'],
    ['example.com/', 'name part must be non-empty'],
    ['-foo', 'name part must consist of alphanumeric characters'],
    ['a/b/c', "must be a name with an optional DNS subdomain prefix and '/'"],
    ['Example_Com/foo', 'prefix part'],
  ])('refuses the gate name %j as a qualified name, writing nothing', async (name, problem) => {
    const { store } = await builtinStore();
    const issues = await issuesOf(store.create(Pod, gated(['ok', name])));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('spec.schedulingGates[1]');
    expect(issues[0]?.message).toContain(`Invalid value: "${name}": ${problem}`);
    expect((await store.list(Pod, { namespace: 'default' })).items).toHaveLength(0);
  });

  it('refuses a gate listed twice', async () => {
    const { store } = await builtinStore();
    const error = await rejection(store.create(Pod, gated(['example.com/a', 'example.com/b', 'example.com/a'])));
    expect(isKeelsonError(error, 'Validation')).toBe(true);
    expect(error.message).toContain('spec.schedulingGates[2]');
    expect(error.message).toContain('Duplicate value: "example.com/a"');
  });

  it('refuses a gated pod that names its node', async () => {
    const { store } = await builtinStore();
    const issues = await issuesOf(store.create(Pod, gated(['example.com/foo'], { nodeName: 'node-1' })));
    expect(issues).toEqual([
      { path: 'spec.nodeName', message: 'Forbidden: cannot be set until all schedulingGates have been cleared' },
    ]);
    expect((await store.list(Pod, { namespace: 'default' })).items).toHaveLength(0);
    await expect(store.create(Pod, gated([], { nodeName: 'node-1' }))).resolves.toBeDefined();
  });

  it('checks the gates of a pod template too', async () => {
    const { store } = await builtinStore();
    const error = await rejection(
      store.create(Deployment, {
        metadata: { name: 'web', namespace: 'default' },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              containers: [{ name: 'app', image: 'nginx:1.25' }],
              schedulingGates: [{ name: 'a' }, { name: 'a' }],
            },
          },
        },
      }),
    );
    expect(error.message).toContain('spec.template.spec.schedulingGates[1]');
  });
});

describe('spec.schedulingGates on update', () => {
  it('allows removing gates in any order, one at a time or all at once', async () => {
    const { setGates } = await created(['example.com/a', 'example.com/b', 'example.com/c']);
    expect((await setGates(['example.com/a', 'example.com/c'])).spec.schedulingGates).toEqual([
      { name: 'example.com/a' },
      { name: 'example.com/c' },
    ]);
    expect((await setGates([])).spec.schedulingGates).toEqual([]);
  });

  it('refuses adding a gate, naming the added gate, and keeps the stored pod', async () => {
    const { store, setGates } = await created(['example.com/a']);
    const before = await store.get(Pod, 'web', { namespace: 'default' });
    const issues = await issuesOf(setGates(['example.com/a', 'example.com/b']));
    expect(issues).toEqual([
      {
        path: 'spec.schedulingGates[1].name',
        message: "Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/b'",
      },
    ]);
    const after = await store.get(Pod, 'web', { namespace: 'default' });
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('refuses changing a gate (a rename is an addition) and gating a pod created without gates', async () => {
    const renamed = await created(['example.com/a']);
    expect((await issuesOf(renamed.setGates(['example.com/z'])))[0]?.path).toBe('spec.schedulingGates[0].name');
    const open = await created([]);
    const issues = await issuesOf(open.setGates(['example.com/late']));
    expect(issues.map((issue) => issue.path)).toEqual(['spec.schedulingGates[0].name']);
  });

  it('refuses binding while a gate remains, and binds once the last gate is gone', async () => {
    const { store, setGates } = await created(['example.com/a']);
    const ref = { metadata: { name: 'web', namespace: 'default' } };
    const error = await rejection(bindPod(store, ref, 'node-1'));
    expect(isKeelsonError(error, 'Validation')).toBe(true);
    expect(error.message).toContain('spec.nodeName');
    expect(error.message).toContain('cannot be set until all schedulingGates have been cleared');
    await setGates([]);
    expect((await bindPod(store, ref, 'node-1')).spec.nodeName).toBe('node-1');
  });
});
