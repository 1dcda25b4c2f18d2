import { isKeelsonError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { parseEviction } from './eviction';
import { PodDisruptionBudget } from './podDisruptionBudget';
import { builtinStore, issuesOf, rejection } from './testStore';

const budget = (spec: Record<string, unknown>) => ({
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
});

describe('PodDisruptionBudget', () => {
  it('is served as policy/v1 poddisruptionbudgets with a reset status and no default bound', async () => {
    const { store } = await builtinStore();
    const created = await store.create(PodDisruptionBudget, {
      ...budget({}),
      status: { disruptionsAllowed: 5, currentHealthy: 5 },
    } as never);
    expect(created.apiVersion).toBe('policy/v1');
    expect(PodDisruptionBudget.plural).toBe('poddisruptionbudgets');
    expect(created.spec).toEqual({ selector: { matchLabels: { app: 'web' } } });
    expect(created.status).toEqual({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
  });

  it('refuses minAvailable and maxUnavailable together with upstream message, on create and update', async () => {
    const { store } = await builtinStore();
    expect(await issuesOf(store.create(PodDisruptionBudget, budget({ minAvailable: 1, maxUnavailable: 1 })))).toEqual([
      { path: 'spec', message: 'minAvailable and maxUnavailable cannot be both set' },
    ]);
    const pdb = await store.create(PodDisruptionBudget, budget({ minAvailable: 1 }));
    const issues = await issuesOf(store.update({ ...pdb, spec: { ...pdb.spec, maxUnavailable: '10%' } }));
    expect(issues.map((i) => i.path)).toEqual(['spec']);
    expect(await store.list(PodDisruptionBudget)).toMatchObject({ items: [{ spec: { minAvailable: 1 } }] });
  });

  it('checks the bounds: non-negative counts, percentages up to 100%', async () => {
    const { store } = await builtinStore();
    const negative = await issuesOf(store.create(PodDisruptionBudget, budget({ minAvailable: -1 })));
    expect(negative).toEqual([{ path: 'spec.minAvailable', message: 'must be greater than or equal to 0' }]);
    const over = await issuesOf(store.create(PodDisruptionBudget, budget({ maxUnavailable: '101%' })));
    expect(over).toEqual([{ path: 'spec.maxUnavailable', message: 'must not be greater than 100%' }]);
    const text = await issuesOf(store.create(PodDisruptionBudget, budget({ minAvailable: 'half' })));
    expect(text[0]?.message).toContain("a valid percent string must be a numeric string followed by an ending '%'");
    await expect(store.create(PodDisruptionBudget, budget({ maxUnavailable: '100%' }))).resolves.toBeDefined();
  });

  it('accepts only IfHealthyBudget and AlwaysAllow as unhealthyPodEvictionPolicy', async () => {
    const { store } = await builtinStore();
    const issues = await issuesOf(store.create(PodDisruptionBudget, budget({ unhealthyPodEvictionPolicy: 'Never' })));
    expect(issues).toEqual([
      {
        path: 'spec.unhealthyPodEvictionPolicy',
        message: 'Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"',
      },
    ]);
    const ok = await store.create(PodDisruptionBudget, budget({ unhealthyPodEvictionPolicy: 'AlwaysAllow' }));
    expect(ok.spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
  });

  it('bumps the generation on a spec change and refuses negative status counters', async () => {
    const { store } = await builtinStore();
    const pdb = await store.create(PodDisruptionBudget, budget({ minAvailable: 1 }));
    const changed = await store.update({ ...pdb, spec: { ...pdb.spec, minAvailable: 2 } });
    expect(changed.metadata.generation).toBe(pdb.metadata.generation + 1);
    const status = await issuesOf(
      store.updateStatus({ ...changed, status: { ...changed.status, disruptionsAllowed: -1 } } as never),
    );
    expect(status).toEqual([{ path: 'status.disruptionsAllowed', message: 'must be greater than or equal to 0' }]);
  });
});

describe('parseEviction', () => {
  it('reads an eviction with its delete options', () => {
    expect(
      parseEviction({
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: 'web-1', namespace: 'default' },
        deleteOptions: { gracePeriodSeconds: 10 },
      }),
    ).toEqual({
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'web-1', namespace: 'default' },
      deleteOptions: { gracePeriodSeconds: 10 },
    });
  });

  it('names the bad field in a ValidationError', async () => {
    const error = await rejection(
      Promise.resolve().then(() =>
        parseEviction({ metadata: { name: 'web-1' }, deleteOptions: { gracePeriodSeconds: -5 } }),
      ),
    );
    expect(isKeelsonError(error, 'Validation')).toBe(true);
    expect(error.message).toBe(
      'Eviction "web-1" is invalid: deleteOptions.gracePeriodSeconds: must be greater than or equal to 0',
    );
  });
});
