import { Pod, PodDisruptionBudget } from '@keelson/api';
import { NotFoundError, TooManyRequestsError, ValidationError } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { setPodStatus, startWorkloads, type WorkloadHarness } from '../testSupport';
import { disruptionController } from './disruptionController';
import { MultipleDisruptionBudgetsError } from './errors';
import { EVICTION_CONFLICT_RETRY_MS, evictPod } from './evictPod';
import { budgetStatus, createBudget, createPod } from './testFixtures';

let h: WorkloadHarness;
afterEach(() => h?.stop());

const evict = (name: string, deleteOptions: Record<string, unknown> = { gracePeriodSeconds: 0 }) =>
  evictPod(h.store, { metadata: { name, namespace: 'default' }, deleteOptions });

const exists = async (name: string) => {
  try {
    return await h.store.get(Pod, name, { namespace: 'default' });
  } catch {
    return undefined;
  }
};

async function threePods(minAvailable: number) {
  h = await startWorkloads([disruptionController()]);
  for (const i of [0, 1, 2]) await createPod(h.store, `web-${i}`, { node: 'node-1' });
  await createBudget(h.store, { minAvailable });
  await h.advance();
}

describe('evictPod', () => {
  it('allowed: takes one disruption, records the pod and deletes it', async () => {
    await threePods(2);
    const result = await evict('web-0');
    expect(result).toMatchObject({ outcome: 'BudgetDecremented', budget: 'web', dryRun: false });
    expect(await exists('web-0')).toBeUndefined();
    await h.advance();
    expect(await budgetStatus(h.store)).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 0 });
    await expect(evict('web-1')).rejects.toBeInstanceOf(TooManyRequestsError);
  });

  it('concurrent evictions never spend the same disruption', async () => {
    await threePods(2);
    const settled = Promise.allSettled([evict('web-0'), evict('web-1'), evict('web-2')]);
    // The losers of a conflict retry 500 ms later on the clock, as Kubernetes' EvictionsRetry does.
    for (let i = 0; i < 5; i++) await h.advance(EVICTION_CONFLICT_RETRY_MS);
    const results = await settled;
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.every((r) => (r as PromiseRejectedResult).reason instanceof TooManyRequestsError)).toBe(true);
  });

  it('the budget write records the pod in disruptedPods, so the controller does not count it meanwhile', async () => {
    await threePods(1);
    await h.stop(); // nothing recounts: what is stored is the eviction's own write
    await evict('web-0', { gracePeriodSeconds: 30 });
    const status = await budgetStatus(h.store);
    expect(status?.disruptionsAllowed).toBe(1);
    expect(status?.disruptedPods).toEqual({ 'web-0': '2026-01-01T00:00:00Z' });
    await evict('web-1', { gracePeriodSeconds: 30 });
    const spent = await budgetStatus(h.store);
    expect(spent?.disruptionsAllowed).toBe(0);
    expect(spent?.conditions?.[0]).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
    await expect(evict('web-2')).rejects.toBeInstanceOf(TooManyRequestsError);
  });

  it('graceful: the pod is marked DisruptionTarget and terminating, with the grace period asked', async () => {
    await threePods(1);
    const { pod } = await evict('web-0', { gracePeriodSeconds: 20 });
    expect(pod.metadata.deletionGracePeriodSeconds).toBe(20);
    expect(pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'EvictionByEvictionAPI',
    });
  });

  it('refused with 429 when no disruption is allowed; nothing changes', async () => {
    await threePods(3);
    const before = await h.store.get(PodDisruptionBudget, 'web', { namespace: 'default' });
    const error = await evict('web-0').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyRequestsError);
    const refusal = error as TooManyRequestsError;
    expect(refusal.status).toBe(429);
    expect(refusal.message).toBe("Cannot evict pod as it would violate the pod's disruption budget.");
    expect(refusal.details.causes).toEqual([
      { type: 'DisruptionBudget', message: 'The disruption budget web needs 3 healthy pods and has 3 currently' },
    ]);
    expect(await exists('web-0')).toBeDefined();
    const after = await h.store.get(PodDisruptionBudget, 'web', { namespace: 'default' });
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('refused with 429 while the controller has not observed the spec', async () => {
    h = await startWorkloads([]);
    await createPod(h.store, 'web-0', { node: 'node-1' });
    await createBudget(h.store, { minAvailable: 0 });
    const error = (await evict('web-0').catch((e: unknown) => e)) as TooManyRequestsError;
    expect(error.status).toBe(429);
    expect(error.details.causes?.[0]?.message).toBe(
      'The disruption budget web is still being processed by the server.',
    );
    expect(await exists('web-0')).toBeDefined();
  });

  it('terminal and terminating pods are deleted without consulting the budget', async () => {
    await threePods(3);
    await setPodStatus(h.store, { metadata: { name: 'web-1', namespace: 'default' } }, { phase: 'Succeeded' });
    await h.store.delete(Pod, 'web-2', { namespace: 'default', gracePeriodSeconds: 30 });
    expect((await evict('web-1')).outcome).toBe('BudgetIgnored');
    expect((await evict('web-2')).outcome).toBe('BudgetIgnored');
    expect(await exists('web-1')).toBeUndefined();
    expect(await exists('web-2')).toBeUndefined();
    expect((await budgetStatus(h.store))?.disruptedPods).toBeUndefined();
  });

  it('an unready pod goes without spending a disruption while the budget is met', async () => {
    h = await startWorkloads([disruptionController()]);
    for (const i of [0, 1]) await createPod(h.store, `web-${i}`, { node: 'node-1' });
    await createPod(h.store, 'web-2', { node: 'node-1', ready: false });
    await createBudget(h.store, { minAvailable: 2 });
    await h.advance();
    expect((await evict('web-2')).outcome).toBe('UnhealthyPodDeleted');
    expect((await budgetStatus(h.store))?.disruptedPods).toBeUndefined();
  });

  it('an unready pod of an unmet budget is refused unless AlwaysAllow', async () => {
    h = await startWorkloads([disruptionController()]);
    await createPod(h.store, 'web-0', { node: 'node-1' });
    await createPod(h.store, 'web-1', { node: 'node-1', ready: false });
    await createBudget(h.store, { minAvailable: 2 });
    await h.advance();
    await expect(evict('web-1')).rejects.toBeInstanceOf(TooManyRequestsError);
    await h.store.patch(
      PodDisruptionBudget,
      'web',
      (d) => ({ ...d, spec: { ...d.spec, unhealthyPodEvictionPolicy: 'AlwaysAllow' as const } }),
      { namespace: 'default' },
    );
    await h.advance();
    expect((await evict('web-1')).outcome).toBe('UnhealthyPodDeleted');
  });

  it('two budgets selecting the pod: 500, nothing deleted', async () => {
    await threePods(0);
    await createBudget(h.store, { maxUnavailable: 1 }, 'web-too');
    await h.advance();
    const error = (await evict('web-0').catch((e: unknown) => e)) as MultipleDisruptionBudgetsError;
    expect(error).toBeInstanceOf(MultipleDisruptionBudgetsError);
    expect(error.status).toBe(500);
    expect(error.message).toBe(
      'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    );
    expect(await exists('web-0')).toBeDefined();
  });

  it('a dry run checks and writes nothing', async () => {
    await threePods(2);
    const result = await evict('web-0', { dryRun: ['All'] });
    expect(result).toMatchObject({ outcome: 'BudgetDecremented', dryRun: true });
    expect(await exists('web-0')).toBeDefined();
    expect((await budgetStatus(h.store))?.disruptionsAllowed).toBe(1);
  });

  it('bad input is a ValidationError, a missing pod NotFound', async () => {
    h = await startWorkloads([]);
    await expect(evict('web-0', { gracePeriodSeconds: -1 })).rejects.toBeInstanceOf(ValidationError);
    await expect(evictPod(h.store, { metadata: {} })).rejects.toThrow(/metadata\.name/);
    await expect(evict('nope')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('honours the uid precondition', async () => {
    await threePods(0);
    await expect(evict('web-0', { preconditions: { uid: 'someone-else' } })).rejects.toThrow(/UID in the precondition/);
    expect(await exists('web-0')).toBeDefined();
  });
});
