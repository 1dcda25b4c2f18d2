import type { InputOf } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { Pod } from '../kinds/pod';
import { builtinStore, issuesOf } from '../kinds/testStore';

type PodInput = InputOf<typeof Pod>;
type Term = { matchExpressions?: Array<{ key: string; operator: 'In' | 'Exists'; values?: string[] }> };

const zone = (value: string) => ({ key: 'zone', operator: 'In' as const, values: [value] });
const gpu = { key: 'gpu', operator: 'Exists' as const };
const required = (...terms: Term[]) => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
});

async function stored(spec: Partial<PodInput['spec']>, gated = true) {
  const { store } = await builtinStore();
  await store.create(Pod, {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      containers: [{ name: 'app', image: 'nginx:1.25' }],
      ...(gated ? { schedulingGates: [{ name: 'example.com/placement' }] } : {}),
      ...spec,
    },
  });
  const change = (recipe: (pod: Pod) => void) =>
    store.patch(Pod, 'web', (draft) => void recipe(draft), { namespace: 'default' });
  return { store, change };
}

describe('placement changes of a gated pod', () => {
  it('allows adding nodeSelector keys, and the gate removal in the same update', async () => {
    const { change } = await stored({ nodeSelector: { zone: 'a' } });
    const updated = await change((pod) => {
      pod.spec.nodeSelector = { zone: 'a', disk: 'ssd' };
      pod.spec.schedulingGates = [];
    });
    expect(updated.spec.nodeSelector).toEqual({ zone: 'a', disk: 'ssd' });
  });

  it.each([
    ['changing a key', { zone: 'b', disk: 'ssd' }],
    ['removing a key', {}],
  ])('refuses %s of the nodeSelector', async (_what, selector) => {
    const { change } = await stored({ nodeSelector: { zone: 'a' } });
    expect(
      await issuesOf(
        change((pod) => {
          pod.spec.nodeSelector = selector;
        }),
      ),
    ).toEqual([
      {
        path: 'spec.nodeSelector',
        message: `Invalid value: ${JSON.stringify(selector)}: only additions to spec.nodeSelector are allowed (no mutations or deletions)`,
      },
    ]);
  });

  it('allows setting node affinity on a pod without it, and narrowing a required term', async () => {
    const { change } = await stored({});
    await change((pod) => {
      pod.spec.affinity = required({ matchExpressions: [zone('a')] });
    });
    const narrowed = await change((pod) => {
      pod.spec.affinity = required({ matchExpressions: [zone('a'), gpu] });
    });
    expect(narrowed.spec.affinity).toEqual(required({ matchExpressions: [zone('a'), gpu] }));
  });

  it('refuses changing or dropping a required requirement, and adding or removing terms', async () => {
    const { change } = await stored({ affinity: required({ matchExpressions: [zone('a')] }) });
    const terms = 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms';
    const changed = await issuesOf(
      change((pod) => {
        pod.spec.affinity = required({ matchExpressions: [zone('b')] });
      }),
    );
    expect(changed.map((issue) => issue.path)).toEqual([`${terms}[0]`]);
    expect(changed[0]?.message).toContain('only additions are allowed (no mutations or deletions)');
    const added = await issuesOf(
      change((pod) => {
        pod.spec.affinity = required({ matchExpressions: [zone('a')] }, { matchExpressions: [gpu] });
      }),
    );
    expect(added.map((issue) => issue.path)).toEqual([terms]);
    expect(added[0]?.message).toContain('no additions/deletions to non-empty NodeSelectorTerms list are allowed');
    const dropped = await issuesOf(
      change((pod) => {
        delete pod.spec.affinity;
      }),
    );
    expect(dropped.map((issue) => issue.path)).toEqual([terms]);
  });

  it('still refuses placement changes of a pod without gates, and pod affinity changes of a gated one', async () => {
    const open = await stored({ nodeSelector: { zone: 'a' } }, false);
    const issues = await issuesOf(
      open.change((pod) => {
        pod.spec.nodeSelector = { zone: 'a', disk: 'ssd' };
      }),
    );
    expect(issues.map((issue) => issue.path)).toEqual(['spec.nodeSelector.disk']);
    const gated = await stored({});
    const podAffinity = await issuesOf(
      gated.change((pod) => {
        pod.spec.affinity = {
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'zone' },
            ],
          },
        };
      }),
    );
    expect(podAffinity.map((issue) => issue.path)).toEqual(['spec.affinity']);
  });
});
