import { Event, getCondition, Job, Pod } from '@keelson/api';
import type { Store } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { setPodStatus, startWorkloads, type WorkloadHarness } from '../testSupport';
import { JOB_COMPLETION_INDEX_ANNOTATION, JOB_TRACKING_FINALIZER } from './constants';
import { jobController } from './jobController';
import { ttlAfterFinishedController } from './ttlAfterFinished';

let harness: WorkloadHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start() {
  harness = await startWorkloads([jobController(), ttlAfterFinishedController()]);
  return harness;
}

type JobSpecInput = Partial<Omit<Job['spec'], 'template'>> & { restartPolicy?: 'Never' | 'OnFailure' };

function createJob(store: Store, spec: JobSpecInput = {}, name = 'pi') {
  const { restartPolicy = 'Never', ...rest } = spec;
  return store.create(Job, {
    metadata: { name, namespace: 'default' },
    spec: {
      ...rest,
      template: { spec: { restartPolicy, containers: [{ name: 'pi', image: 'perl:5.34' }] } },
    } as never,
  });
}

const getJob = (store: Store, name = 'pi') => store.get(Job, name, { namespace: 'default' });
const allPods = async (store: Store) => (await store.list(Pod, { namespace: 'default' })).items;
const running = async (store: Store) =>
  (await allPods(store)).filter(
    (p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
  );

/** What the kubelet does for a deleted pod: stops it and lets it go (its finalizers permitting). */
async function finishDeletions(store: Store): Promise<void> {
  for (const pod of await allPods(store)) {
    if (pod.metadata.deletionTimestamp) {
      await store.delete(Pod, pod.metadata.name, { namespace: 'default', gracePeriodSeconds: 0 });
    }
  }
}

async function finish(store: Store, pod: Pod, phase: 'Succeeded' | 'Failed') {
  await setPodStatus(store, pod, { phase });
}

describe('jobController', () => {
  it('runs one pod to completion: finalizer, owner, counts, Complete and completionTime', async () => {
    const { store, advance } = await start();
    const job = await createJob(store);
    await advance();
    const [pod, ...more] = await running(store);
    expect(more).toHaveLength(0);
    expect(pod?.metadata.finalizers).toEqual([JOB_TRACKING_FINALIZER]);
    expect(pod?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Job', uid: job.metadata.uid, controller: true });
    expect(pod?.metadata.labels?.['batch.kubernetes.io/job-name']).toBe('pi');
    expect((await getJob(store)).status).toMatchObject({ active: 1, succeeded: 0, failed: 0 });
    expect((await getJob(store)).status?.startTime).toBeDefined();
    await advance(5_000);
    if (pod) await finish(store, pod, 'Succeeded');
    await advance();
    const done = await getJob(store);
    expect(done.status).toMatchObject({ active: 0, succeeded: 1, failed: 0, uncountedTerminatedPods: {} });
    expect(getCondition(done.status?.conditions, 'Complete')).toMatchObject({ status: 'True' });
    expect(getCondition(done.status?.conditions, 'SuccessCriteriaMet')).toMatchObject({ status: 'True' });
    expect(done.status?.completionTime).toBe('2026-01-01T00:00:05Z');
    const after = await store.get(Pod, pod?.metadata.name ?? '', { namespace: 'default' });
    expect(after.metadata.finalizers ?? []).not.toContain(JOB_TRACKING_FINALIZER);
    const reasons = (await store.list(Event, { namespace: 'default' })).items.map((e) => e.reason);
    expect(reasons).toContain('Completed');
  });

  it('runs parallelism pods at a time and no more than the completions left', async () => {
    const { store, advance } = await start();
    await createJob(store, { completions: 3, parallelism: 2 });
    await advance();
    let pods = await running(store);
    expect(pods).toHaveLength(2);
    for (const pod of pods) await finish(store, pod, 'Succeeded');
    await advance();
    pods = await running(store);
    expect(pods).toHaveLength(1);
    expect((await getJob(store)).status).toMatchObject({ succeeded: 2, active: 1 });
    await finish(store, pods[0] as Pod, 'Succeeded');
    await advance();
    expect(getCondition((await getJob(store)).status?.conditions, 'Complete')?.status).toBe('True');
    expect(await allPods(store)).toHaveLength(3);
  });

  it('without completions, stops creating once a pod succeeded and completes when the rest finish', async () => {
    const { store, advance } = await start();
    await createJob(store, { parallelism: 3 });
    await advance();
    const pods = await running(store);
    expect(pods).toHaveLength(3);
    await finish(store, pods[0] as Pod, 'Succeeded');
    await advance();
    expect(await running(store)).toHaveLength(2);
    expect(getCondition((await getJob(store)).status?.conditions, 'Complete')).toBeUndefined();
    await finish(store, pods[1] as Pod, 'Succeeded');
    await finish(store, pods[2] as Pod, 'Succeeded');
    await advance();
    const job = await getJob(store);
    expect(job.status?.succeeded).toBe(3);
    expect(getCondition(job.status?.conditions, 'Complete')?.status).toBe('True');
  });

  it('backs off 10 s, 20 s, 40 s between failed pods and fails at the backoff limit', async () => {
    const { store, advance } = await start();
    await createJob(store, { backoffLimit: 2 });
    await advance();
    const created: number[] = [];
    for (let failure = 1; failure <= 3; failure++) {
      const [pod] = await running(store);
      expect(pod).toBeDefined();
      created.push(Date.parse(pod?.metadata.creationTimestamp ?? ''));
      await finish(store, pod as Pod, 'Failed');
      await advance();
      if (failure < 3) {
        expect(await running(store)).toHaveLength(0);
        const delay = 10_000 * 2 ** (failure - 1);
        await advance(delay - 1);
        expect(await running(store)).toHaveLength(0);
        await advance(1);
      }
    }
    expect(created.map((t) => t - (created[0] ?? 0))).toEqual([0, 10_000, 30_000]);
    const job = await getJob(store);
    expect(job.status).toMatchObject({ failed: 3, succeeded: 0, active: 0 });
    expect(getCondition(job.status?.conditions, 'Failed')).toMatchObject({
      status: 'True',
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    });
    await advance(600_000);
    expect(await allPods(store)).toHaveLength(3);
  });

  it('with restartPolicy OnFailure, container restarts count against the backoff limit', async () => {
    const { store, advance } = await start();
    await createJob(store, { backoffLimit: 3, restartPolicy: 'OnFailure' });
    await advance();
    const [pod] = await running(store);
    await setPodStatus(store, pod as Pod, { phase: 'Running', restarts: 2 });
    await advance();
    expect(getCondition((await getJob(store)).status?.conditions, 'Failed')).toBeUndefined();
    await setPodStatus(store, pod as Pod, { phase: 'Running', restarts: 3 });
    await advance();
    expect(getCondition((await getJob(store)).status?.conditions, 'FailureTarget')?.reason).toBe(
      'BackoffLimitExceeded',
    );
    await finishDeletions(store);
    await advance();
    const job = await getJob(store);
    expect(getCondition(job.status?.conditions, 'Failed')?.reason).toBe('BackoffLimitExceeded');
    expect(job.status).toMatchObject({ failed: 1, terminating: 0, active: 0 });
    expect(await allPods(store)).toHaveLength(0);
  });

  it('fails a job active longer than activeDeadlineSeconds and deletes its pods', async () => {
    const { store, advance } = await start();
    await createJob(store, { activeDeadlineSeconds: 60, parallelism: 2, completions: 4 });
    await advance();
    expect(await running(store)).toHaveLength(2);
    // Bound pods are deleted gracefully: they terminate for a while.
    for (const pod of await running(store)) {
      await store.patch(
        Pod,
        pod.metadata.name,
        (d) => {
          d.spec.nodeName = 'node-1';
          return d;
        },
        { namespace: 'default' },
      );
    }
    await advance(59_999);
    expect(getCondition((await getJob(store)).status?.conditions, 'FailureTarget')).toBeUndefined();
    await advance(1);
    expect(getCondition((await getJob(store)).status?.conditions, 'FailureTarget')).toMatchObject({
      reason: 'DeadlineExceeded',
      message: 'Job was active longer than specified deadline',
    });
    expect(await running(store)).toHaveLength(0);
    // Failed waits until the deleted pods have terminated.
    expect(getCondition((await getJob(store)).status?.conditions, 'Failed')).toBeUndefined();
    expect((await getJob(store)).status?.terminating).toBe(2);
    await finishDeletions(store);
    await advance();
    const job = await getJob(store);
    expect(getCondition(job.status?.conditions, 'Failed')?.reason).toBe('DeadlineExceeded');
    expect(job.status?.terminating).toBe(0);
    expect(job.status?.failed).toBe(2);
  });

  it('a suspended job deletes its pods; resuming starts them again and resets startTime', async () => {
    const { store, advance } = await start();
    await createJob(store, { parallelism: 2, completions: 2 });
    await advance();
    expect(await running(store)).toHaveLength(2);
    await store.patch(
      Job,
      'pi',
      (d) => {
        d.spec.suspend = true;
        return d;
      },
      { namespace: 'default' },
    );
    await advance();
    expect(await running(store)).toHaveLength(0);
    let job = await getJob(store);
    expect(getCondition(job.status?.conditions, 'Suspended')).toMatchObject({ status: 'True', reason: 'JobSuspended' });
    await finishDeletions(store);
    await advance(30_000);
    await store.patch(
      Job,
      'pi',
      (d) => {
        d.spec.suspend = false;
        return d;
      },
      { namespace: 'default' },
    );
    await advance();
    job = await getJob(store);
    expect(getCondition(job.status?.conditions, 'Suspended')).toMatchObject({ status: 'False', reason: 'JobResumed' });
    expect(job.status?.startTime).toBe('2026-01-01T00:00:30Z');
    expect(await running(store)).toHaveLength(2);
    // Pods deleted by a suspension count as failed, but the job goes on.
    expect(job.status?.failed).toBe(2);
  });

  it('an Indexed job runs one pod per index and records completedIndexes', async () => {
    const { store, advance } = await start();
    await createJob(store, { completions: 4, parallelism: 2, completionMode: 'Indexed' });
    await advance();
    let pods = await running(store);
    const indexOf = (p: Pod) => p.metadata.annotations?.[JOB_COMPLETION_INDEX_ANNOTATION];
    expect(pods.map(indexOf).sort()).toEqual(['0', '1']);
    const zero = pods.find((p) => indexOf(p) === '0') as Pod;
    expect(zero.spec.hostname).toBe('pi-0');
    expect(zero.spec.containers[0]?.env).toContainEqual({ name: 'JOB_COMPLETION_INDEX', value: '0' });
    await finish(store, zero, 'Succeeded');
    await advance();
    pods = await running(store);
    expect(pods.map(indexOf).sort()).toEqual(['1', '2']);
    expect((await getJob(store)).status?.completedIndexes).toBe('0');
    for (const pod of pods) await finish(store, pod, 'Succeeded');
    await advance();
    expect((await getJob(store)).status?.completedIndexes).toBe('0-2');
    pods = await running(store);
    expect(pods.map(indexOf)).toEqual(['3']);
    await finish(store, pods[0] as Pod, 'Succeeded');
    await advance();
    const job = await getJob(store);
    expect(job.status).toMatchObject({ completedIndexes: '0-3', succeeded: 4 });
    expect(getCondition(job.status?.conditions, 'Complete')?.status).toBe('True');
  });

  it('deletes a finished job with its pods ttlSecondsAfterFinished later', async () => {
    const { store, advance } = await start();
    await createJob(store, { ttlSecondsAfterFinished: 100 });
    await advance();
    const [pod] = await running(store);
    await finish(store, pod as Pod, 'Succeeded');
    await advance();
    expect(getCondition((await getJob(store)).status?.conditions, 'Complete')?.status).toBe('True');
    await advance(99_000);
    expect((await store.list(Job, { namespace: 'default' })).items).toHaveLength(1);
    await advance(1_000);
    const left = (await store.list(Job, { namespace: 'default' })).items;
    // Deleted in the foreground: gone, or waiting on its pods for the garbage collector.
    expect(left.every((j) => j.metadata.deletionTimestamp !== undefined)).toBe(true);
    expect(left[0]?.metadata.finalizers ?? ['foregroundDeletion']).toContain('foregroundDeletion');
  });
});
