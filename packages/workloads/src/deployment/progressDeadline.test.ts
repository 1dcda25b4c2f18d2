import { Deployment } from '@keelson/api';
import { afterEach, describe, expect, it } from 'vitest';
import { rfc3339, START, startWorkloads, type WorkloadHarness } from '../testSupport';
import { deploymentController } from './deploymentController';
import { createWebDeployment, getDeployment, replicaSetAtRevision, reportReplicaSet } from './replicaSetStandIn';

let harness: WorkloadHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function progressing(h: WorkloadHarness) {
  return (await getDeployment(h.store)).status?.conditions?.find((c) => c.type === 'Progressing');
}

const SECOND = 1000;

describe('progressDeadlineSeconds', () => {
  it('flips a stalled rollout to Progressing=False ProgressDeadlineExceeded at exactly 600 s', async () => {
    harness = await startWorkloads([deploymentController()]);
    const h = harness;
    await createWebDeployment(h.store, { replicas: 2 });
    await h.advance();
    // No pod ever appears: nothing moves after the ReplicaSet is created at START.
    await h.advance(600 * SECOND - 1);
    expect(await progressing(h)).toMatchObject({ status: 'True', reason: 'NewReplicaSetCreated' });
    await h.advance(1);
    const rs = await replicaSetAtRevision(h.store, 1);
    expect(await progressing(h)).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${rs.metadata.name}" has timed out progressing.`,
      lastTransitionTime: rfc3339(START + 600 * SECOND),
    });
  });

  it('restarts the deadline whenever the rollout makes progress', async () => {
    harness = await startWorkloads([deploymentController()]);
    const h = harness;
    await createWebDeployment(h.store, { replicas: 2 });
    await h.advance();
    await h.advance(300 * SECOND);
    await reportReplicaSet(h.store, await replicaSetAtRevision(h.store, 1), { replicas: 2, available: 1 });
    await h.advance();
    expect(await progressing(h)).toMatchObject({
      reason: 'ReplicaSetUpdated',
      lastUpdateTime: rfc3339(START + 300 * SECOND),
      // The status stayed True, so the transition time is the first one.
      lastTransitionTime: rfc3339(START),
    });
    await h.advance(600 * SECOND - 1);
    expect((await progressing(h))?.status).toBe('True');
    await h.advance(1);
    expect(await progressing(h)).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
  });

  it('does not run while paused, and starts again from the resume', async () => {
    harness = await startWorkloads([deploymentController()]);
    const h = harness;
    await createWebDeployment(h.store, { replicas: 2, progressDeadlineSeconds: 60 });
    await h.advance(10 * SECOND);
    const pause = (paused: boolean) =>
      h.store.patch(
        Deployment,
        'web',
        (draft) => {
          draft.spec.paused = paused;
          return undefined;
        },
        { namespace: 'default' },
      );
    await pause(true);
    await h.advance(1000 * SECOND);
    expect(await progressing(h)).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused' });
    await pause(false);
    await h.advance();
    expect(await progressing(h)).toMatchObject({
      status: 'Unknown',
      reason: 'DeploymentResumed',
      message: 'Deployment is resumed',
    });
    const resumedAt = START + 1010 * SECOND;
    await h.advance(60 * SECOND - 1);
    expect((await progressing(h))?.reason).toBe('DeploymentResumed');
    await h.advance(1);
    expect(await progressing(h)).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      lastTransitionTime: rfc3339(resumedAt + 60 * SECOND),
    });
  });
});

describe('ReplicaFailure', () => {
  it('is copied from the new ReplicaSet and removed when the ReplicaSet recovers', async () => {
    harness = await startWorkloads([deploymentController()]);
    const h = harness;
    await createWebDeployment(h.store, { replicas: 2 });
    await h.advance(SECOND);
    const rs = await replicaSetAtRevision(h.store, 1);
    const failure = {
      type: 'ReplicaFailure',
      status: 'True' as const,
      reason: 'FailedCreate',
      message: 'pods "web-abcde" is forbidden: exceeded quota: pods',
      lastTransitionTime: rfc3339(START + SECOND),
    };
    await reportReplicaSet(h.store, rs, { replicas: 0, conditions: [failure] });
    await h.advance();
    expect((await getDeployment(h.store)).status?.conditions?.find((c) => c.type === 'ReplicaFailure')).toEqual({
      ...failure,
      lastUpdateTime: failure.lastTransitionTime,
    });
    await reportReplicaSet(h.store, rs, { replicas: 2, conditions: [] });
    await h.advance();
    const types = (await getDeployment(h.store)).status?.conditions?.map((c) => c.type);
    expect(types).not.toContain('ReplicaFailure');
  });
});
