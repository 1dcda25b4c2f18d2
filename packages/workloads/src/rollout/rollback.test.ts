import { Deployment } from '@keelson/api';
import { isKeelsonError } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { deploymentController } from '../deployment/deploymentController';
import { getDeployment, replicaSetsOf, setImage, settleReplicaSets } from '../deployment/replicaSetStandIn';
import { rejection, startWorkloads, type WorkloadHarness } from '../testSupport';
import { rolloutHistory } from './history';
import { pauseRollout } from './pause';
import { rollback } from './rollback';

let harness: WorkloadHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function settle(h: WorkloadHarness): Promise<void> {
  for (let i = 0; i < 6; i++) {
    await h.advance(1000);
    await settleReplicaSets(h.store);
    await h.advance();
  }
}

/** web at revision 1 (nginx:1.25, change cause "v1") rolled out to revision 2 (nginx:1.26, "v2"). */
async function twoRevisions(): Promise<WorkloadHarness> {
  harness = await startWorkloads([deploymentController()]);
  const h = harness;
  const d = await h.store.create(Deployment, {
    metadata: { name: 'web', namespace: 'default', annotations: { 'kubernetes.io/change-cause': 'v1' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
    },
  });
  await settle(h);
  // As `kubectl annotate` after `kubectl set image` does: the cause lands on the new ReplicaSet.
  await setImage(h.store, 'nginx:1.26');
  await h.store.patch(
    Deployment,
    d.metadata.name,
    (draft) => {
      draft.metadata.annotations = { ...draft.metadata.annotations, 'kubernetes.io/change-cause': 'v2' };
      return undefined;
    },
    { namespace: 'default' },
  );
  await settle(h);
  return h;
}

describe('rollback', () => {
  it('puts the previous revision’s template back, and the controller reuses its ReplicaSet as revision 3', async () => {
    const h = await twoRevisions();
    const result = await rollback(h.store, { name: 'web' });
    expect(result).toMatchObject({ rolledBack: true, revision: 1, message: 'rolled back' });
    const d = await getDeployment(h.store);
    expect(d.spec.template.spec.containers[0]?.image).toBe('nginx:1.25');
    expect(d.spec.template.metadata.labels).toEqual({ app: 'web' });
    // The Deployment takes the change cause of the revision it went back to, and keeps its own revision.
    expect(d.metadata.annotations).toEqual({
      'kubernetes.io/change-cause': 'v1',
      'deployment.kubernetes.io/revision': '2',
    });
    await settle(h);
    expect((await replicaSetsOf(h.store)).map((rs) => rs.spec.template.spec.containers[0]?.image)).toEqual([
      'nginx:1.26',
      'nginx:1.25',
    ]);
    expect((await rolloutHistory(h.store, { name: 'web' })).map((r) => [r.revision, r.changeCause])).toEqual([
      [2, 'v2'],
      [3, 'v1'],
    ]);
    expect((await getDeployment(h.store)).metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
  });

  it('goes to a given revision, and skips when the template already is that revision’s', async () => {
    const h = await twoRevisions();
    const skipped = await rollback(h.store, { name: 'web' }, { toRevision: 2 });
    expect(skipped).toMatchObject({
      rolledBack: false,
      revision: 2,
      message: 'skipped rollback (current template already matches revision 2)',
    });
    const done = await rollback(h.store, { name: 'web' }, { toRevision: 1 });
    expect(done.rolledBack).toBe(true);
    expect(done.deployment.spec.template.spec.containers[0]?.image).toBe('nginx:1.25');
  });

  it('refuses an unknown, negative or fractional revision, writing nothing', async () => {
    const h = await twoRevisions();
    const before = (await getDeployment(h.store)).metadata.resourceVersion;
    const unknown = await rejection(rollback(h.store, { name: 'web' }, { toRevision: 7 }));
    expect(isKeelsonError(unknown, 'Invalid')).toBe(true);
    expect(unknown.message).toBe('unable to find specified revision 7 in history');
    expect((await rejection(rollback(h.store, { name: 'web' }, { toRevision: -1 }))).message).toBe(
      'unable to find specified revision -1 in history',
    );
    expect((await rejection(rollback(h.store, { name: 'web' }, { toRevision: 1.5 }))).message).toMatch(/toRevision/);
    expect((await rejection(rollback(h.store, { name: '' }))).message).toMatch(/ref\.name/);
    expect((await getDeployment(h.store)).metadata.resourceVersion).toBe(before);
  });

  it('refuses a paused Deployment, and one with no earlier revision', async () => {
    const h = await twoRevisions();
    await pauseRollout(h.store, { name: 'web' });
    const paused = await rejection(rollback(h.store, { name: 'web' }));
    expect(paused.message).toBe(
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    );
    await h.store.create(Deployment, {
      metadata: { name: 'solo', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'solo' } },
        template: { metadata: { labels: { app: 'solo' } }, spec: { containers: [{ name: 'app', image: 'busybox' }] } },
      },
    });
    await settle(h);
    const none = await rejection(rollback(h.store, { name: 'solo' }));
    expect(isKeelsonError(none, 'Invalid')).toBe(true);
    expect(none.message).toBe('no rollout history found for deployment "solo"');
    expect(isKeelsonError(await rejection(rollback(h.store, { name: 'missing' })), 'NotFound')).toBe(true);
  });
});

describe('rolloutHistory', () => {
  it('lists revisions oldest first, one on request, and refuses an unknown one', async () => {
    const h = await twoRevisions();
    const all = await rolloutHistory(h.store, { name: 'web' });
    expect(all.map((r) => [r.revision, r.changeCause, r.template.spec.containers[0]?.image])).toEqual([
      [1, 'v1', 'nginx:1.25'],
      [2, 'v2', 'nginx:1.26'],
    ]);
    expect(all[0]?.template.metadata.labels).toEqual({ app: 'web' });
    expect((await rolloutHistory(h.store, { name: 'web' }, { revision: 2 })).map((r) => r.revision)).toEqual([2]);
    expect((await rejection(rolloutHistory(h.store, { name: 'web' }, { revision: 9 }))).message).toBe(
      'unable to find the specified revision',
    );
  });
});
