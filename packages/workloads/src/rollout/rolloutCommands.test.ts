import { isKeelsonError } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { deploymentController } from '../deployment/deploymentController';
import {
  createWebDeployment,
  getDeployment,
  replicaSetAtRevision,
  replicaSetsOf,
  reportReplicaSet,
  setImage,
  settleReplicaSets,
} from '../deployment/replicaSetStandIn';
import { rejection, startWorkloads, type WorkloadHarness } from '../testSupport';
import { pauseRollout, resumeRollout } from './pause';
import { restartRollout } from './restart';
import { deploymentRolloutStatus, rolloutStatus } from './status';

let harness: WorkloadHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function started(replicas = 3): Promise<WorkloadHarness> {
  harness = await startWorkloads([deploymentController()]);
  await createWebDeployment(harness.store, { replicas });
  await harness.advance();
  await settleReplicaSets(harness.store);
  await harness.advance(1000);
  return harness;
}

describe('pauseRollout and resumeRollout', () => {
  it('pause and resume, and refuse to do either twice, writing nothing', async () => {
    const h = await started();
    expect((await pauseRollout(h.store, { name: 'web' })).spec.paused).toBe(true);
    await h.advance(); // the controller records the pause (Progressing Unknown, DeploymentPaused)
    const paused = await getDeployment(h.store);
    const twice = await rejection(pauseRollout(h.store, { name: 'web' }));
    expect(isKeelsonError(twice, 'Invalid')).toBe(true);
    expect(twice.message).toBe('deployments.apps "web" is already paused');
    expect((await getDeployment(h.store)).metadata.resourceVersion).toBe(paused.metadata.resourceVersion);

    expect((await resumeRollout(h.store, { name: 'web' })).spec.paused).toBe(false);
    expect((await rejection(resumeRollout(h.store, { name: 'web' }))).message).toBe(
      'deployments.apps "web" is not paused',
    );
    expect(isKeelsonError(await rejection(pauseRollout(h.store, { name: 'nope' })), 'NotFound')).toBe(true);
  });
});

describe('restartRollout', () => {
  it('stamps the template with the clock’s time, which rolls out a new ReplicaSet', async () => {
    const h = await started();
    await h.advance(41_000);
    const d = await restartRollout(h.store, { name: 'web' });
    // 42 s after the start of the test clock (2026-01-01T00:00:00Z).
    expect(d.spec.template.metadata.annotations).toEqual({
      'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:42Z',
    });
    await h.advance();
    const v2 = await replicaSetAtRevision(h.store, 2);
    expect(v2.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBe('2026-01-01T00:00:42Z');

    const again = await rejection(restartRollout(h.store, { name: 'web' }));
    expect(again.message).toBe(
      'failed to create patch for web: if restart has already been triggered within the past second, please wait before attempting to trigger another',
    );
    await h.advance(1000);
    await restartRollout(h.store, { name: 'web' });
    await pauseRollout(h.store, { name: 'web' });
    await h.advance(1000);
    expect((await rejection(restartRollout(h.store, { name: 'web' }))).message).toBe(
      "can't restart paused deployment (run rollout resume first)",
    );
  });
});

describe('rolloutStatus', () => {
  it('says what the rollout waits for at each stage, in kubectl’s words', async () => {
    const h = await started(3);
    const ref = { name: 'web' };
    expect(await rolloutStatus(h.store, ref)).toEqual({
      done: true,
      message: 'deployment "web" successfully rolled out',
    });

    const changed = await setImage(h.store, 'nginx:1.26');
    // Before the controller has looked at the new spec:
    expect(deploymentRolloutStatus(changed)).toEqual({
      done: false,
      message: 'Waiting for deployment spec update to be observed...',
    });
    await h.advance();
    const [old, fresh] = await replicaSetsOf(h.store);
    if (!old || !fresh) throw new Error('expected two ReplicaSets');
    const waiting = 'Waiting for deployment "web" rollout to finish:';
    expect((await rolloutStatus(h.store, ref)).message).toBe(`${waiting} 0 out of 3 new replicas have been updated...`);

    await reportReplicaSet(h.store, fresh, { replicas: 1, available: 0 });
    await h.advance();
    expect((await rolloutStatus(h.store, ref)).message).toBe(`${waiting} 1 out of 3 new replicas have been updated...`);

    await reportReplicaSet(h.store, fresh, { replicas: 3, available: 2 });
    await reportReplicaSet(h.store, old, { replicas: 1 });
    await h.advance();
    expect((await rolloutStatus(h.store, ref)).message).toBe(`${waiting} 1 old replicas are pending termination...`);

    await reportReplicaSet(h.store, old, { replicas: 0 });
    await h.advance();
    expect(await rolloutStatus(h.store, ref)).toEqual({
      done: false,
      message: `${waiting} 2 of 3 updated replicas are available...`,
    });

    await reportReplicaSet(h.store, fresh, { replicas: 3 });
    await h.advance();
    expect(await rolloutStatus(h.store, ref)).toEqual({
      done: true,
      message: 'deployment "web" successfully rolled out',
    });
    expect((await rolloutStatus(h.store, ref, { revision: 2 })).done).toBe(true);

    const wrong = await rolloutStatus(h.store, ref, { revision: 1 });
    expect(wrong.done).toBe(false);
    expect(wrong.message).toBe('desired revision (1) is different from the running revision (2)');
    expect(isKeelsonError(wrong.error, 'Invalid')).toBe(true);
  });

  it('reports a rollout past its progress deadline as an error', async () => {
    const h = await started(2);
    await setImage(h.store, 'nginx:1.26');
    await h.advance(600_000);
    const status = await rolloutStatus(h.store, { name: 'web' });
    expect(status.done).toBe(false);
    expect(status.message).toBe('deployment "web" exceeded its progress deadline');
    expect(isKeelsonError(status.error, 'Timeout')).toBe(true);
  });

  it('refuses bad input', async () => {
    const h = await started(1);
    expect((await rejection(rolloutStatus(h.store, { name: 'web' }, { revision: -1 }))).message).toMatch(/revision/);
    expect((await rejection(rolloutStatus(h.store, { name: 'web', namespace: '' }))).message).toMatch(/ref\.namespace/);
    expect(isKeelsonError(await rejection(rolloutStatus(h.store, { name: 'nope' })), 'NotFound')).toBe(true);
  });
});
