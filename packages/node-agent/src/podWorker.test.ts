import type { ContainerStatus, Pod } from '@keelson/api';
import { Pod as PodKind } from '@keelson/api';
import { isKeelsonError } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './testHarness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.agent.stop();
  h = undefined;
});

const cond = (pod: Pod, type: string) => pod.status?.conditions?.find((c) => c.type === type);
const main = (pod: Pod): ContainerStatus | undefined => pod.status?.containerStatuses?.[0];
/** Every status the pod had, with the virtual time it was written. */
function recordStatuses(harness: Harness, name: string): Array<{ at: number; pod: Pod }> {
  const seen: Array<{ at: number; pod: Pod }> = [];
  harness.store.watch(PodKind, { namespace: 'default', fieldSelector: `metadata.name=${name}` }).subscribe((event) => {
    if (event.type !== 'BOOKMARK')
      seen.push({ at: harness.clock.now() - Date.UTC(2026, 0, 1), pod: event.object as Pod });
  });
  return seen;
}

describe('pod workers', () => {
  it('runs a pod to Running and Ready', async () => {
    h = await startHarness();
    h.registry.add('web:1.0', { pullMs: 2_000 });
    await h.runPod('web', [{ name: 'web', image: 'web:1.0' }]);
    let pod = await h.pod('web');
    expect(pod.status?.phase).toBe('Pending');
    expect(main(pod)?.state?.waiting?.reason).toBe('ContainerCreating');
    expect(cond(pod, 'PodReadyToStartContainers')?.status).toBe('True');
    await h.advance(2_000);
    pod = await h.pod('web');
    expect(pod.status?.phase).toBe('Running');
    expect(main(pod)).toMatchObject({
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: '2026-01-01T00:00:02Z' } },
    });
    expect(main(pod)?.containerID).toMatch(/^mock:\/\//);
    for (const type of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready']) {
      expect(cond(pod, type)?.status).toBe('True');
    }
    expect(cond(pod, 'Ready')?.lastTransitionTime).toBe('2026-01-01T00:00:02Z');
    expect(pod.status?.podIP).toMatch(/^10\.88\./);
    expect(pod.status?.hostIP).toBe('10.0.0.1');
    expect(pod.status?.startTime).toBe('2026-01-01T00:00:00Z');
    expect(h.errors).toEqual([]);
  });

  it('runs init containers in order before the containers', async () => {
    h = await startHarness();
    h.registry.add('init:1.0', { behaviour: { exitAfterMs: 5_000, exitCode: 0 } });
    h.registry.add('web:1.0');
    await h.runPod('web', [{ name: 'web', image: 'web:1.0' }], {
      initContainers: [
        { name: 'a', image: 'init:1.0' },
        { name: 'b', image: 'init:1.0' },
      ],
    });
    let pod = await h.pod('web');
    expect(pod.status?.initContainerStatuses?.map((s) => Object.keys(s.state ?? {})[0])).toEqual([
      'running',
      'waiting',
    ]);
    expect(main(pod)?.state?.waiting?.reason).toBe('PodInitializing');
    expect(cond(pod, 'Initialized')?.status).toBe('False');
    await h.advance(5_000);
    pod = await h.pod('web');
    expect(pod.status?.initContainerStatuses?.map((s) => Object.keys(s.state ?? {})[0])).toEqual([
      'terminated',
      'running',
    ]);
    await h.advance(5_000);
    pod = await h.pod('web');
    expect(pod.status?.phase).toBe('Running');
    expect(cond(pod, 'Initialized')?.lastTransitionTime).toBe('2026-01-01T00:00:10Z');
    expect(main(pod)?.state?.running?.startedAt).toBe('2026-01-01T00:00:10Z');
  });

  it('restarts a crashing container after 0 s, then 10 s, 20 s, 40 s (CrashLoopBackOff in between)', async () => {
    h = await startHarness();
    h.registry.add('crash:1.0', { behaviour: { exitAfterMs: 1_000, exitCode: 1 } });
    const seen = recordStatuses(h, 'crash');
    await h.runPod('crash', [{ name: 'c', image: 'crash:1.0' }]);
    await h.advance(120_000);
    const starts = [...new Set(seen.map((s) => main(s.pod)?.state?.running?.startedAt).filter((t) => t !== undefined))];
    // exits at +1 s after each start; restarts at exit + 0, + 10, + 20, + 40
    expect(starts).toEqual([
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:00:01Z',
      '2026-01-01T00:00:12Z',
      '2026-01-01T00:00:33Z',
      '2026-01-01T00:01:14Z',
    ]);
    const pod = await h.pod('crash');
    expect(pod.status?.phase).toBe('Running');
    expect(main(pod)?.restartCount).toBe(4);
    expect(main(pod)?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(main(pod)?.lastState?.terminated).toMatchObject({
      exitCode: 1,
      reason: 'Error',
      startedAt: '2026-01-01T00:01:14Z',
      finishedAt: '2026-01-01T00:01:15Z',
    });
    expect(main(pod)?.state?.waiting?.message).toMatch(
      /^back-off 1m20s restarting failed container=c pod=crash_default/,
    );
    expect(seen.some((s) => main(s.pod)?.state?.waiting?.reason === 'CrashLoopBackOff' && s.at === 2_000)).toBe(true);
  });

  it('a pod with restartPolicy Never whose container exits 0 Succeeds', async () => {
    h = await startHarness();
    h.registry.add('job:1.0', { behaviour: { exitAfterMs: 3_000, exitCode: 0 } });
    await h.runPod('job', [{ name: 'job', image: 'job:1.0' }], { restartPolicy: 'Never' });
    await h.advance(3_000);
    const pod = await h.pod('job');
    expect(pod.status?.phase).toBe('Succeeded');
    expect(main(pod)?.state?.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:00:03Z',
    });
    expect(cond(pod, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  it('a pod with restartPolicy Never whose container exits 2 Fails', async () => {
    h = await startHarness();
    h.registry.add('job:1.0', { behaviour: { exitAfterMs: 3_000, exitCode: 2 } });
    await h.runPod('job', [{ name: 'job', image: 'job:1.0' }], { restartPolicy: 'Never' });
    await h.advance(3_000);
    expect((await h.pod('job')).status?.phase).toBe('Failed');
  });

  it('shows OOMKilled and restarts a container over its memory limit', async () => {
    h = await startHarness();
    h.registry.add('hog:1.0', { behaviour: { memoryBytes: (ms) => (ms >= 5_000 ? 200 * 2 ** 20 : 0) } });
    await h.runPod('hog', [{ name: 'hog', image: 'hog:1.0', resources: { limits: { memory: '128Mi' } } }]);
    await h.advance(5_000);
    const pod = await h.pod('hog');
    expect(main(pod)?.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(main(pod)?.restartCount).toBe(1);
    expect(main(pod)?.state?.running?.startedAt).toBe('2026-01-01T00:00:05Z');
  });

  it('reports ErrImagePull, then ImagePullBackOff, retrying after 10 s then 20 s', async () => {
    h = await startHarness();
    const seen = recordStatuses(h, 'ghost');
    await h.runPod('ghost', [{ name: 'g', image: 'ghost:1.0' }]);
    await h.advance(60_000);
    const reasons = seen
      .map((s) => ({ at: s.at, reason: main(s.pod)?.state?.waiting?.reason }))
      .filter((r, i, all) => r.reason !== undefined && r.reason !== all[i - 1]?.reason);
    expect(reasons).toEqual([
      { at: 0, reason: 'ContainerCreating' },
      { at: 0, reason: 'ErrImagePull' },
      { at: 0, reason: 'ImagePullBackOff' },
      { at: 10_000, reason: 'ErrImagePull' },
      { at: 10_000, reason: 'ImagePullBackOff' },
      { at: 30_000, reason: 'ErrImagePull' },
      { at: 30_000, reason: 'ImagePullBackOff' },
    ]);
    expect((await h.pod('ghost')).status?.phase).toBe('Pending');
  });

  it('does not pull an absent image with pull policy Never', async () => {
    h = await startHarness();
    h.registry.add('web:1.0');
    await h.runPod('web', [{ name: 'web', image: 'web:1.0', imagePullPolicy: 'Never' }]);
    expect(main(await h.pod('web'))?.state?.waiting?.reason).toBe('ErrImageNeverPull');
  });

  it('deletes a pod gracefully: containers stop after the grace period, then the pod leaves the store', async () => {
    h = await startHarness();
    h.registry.add('slow:1.0', { behaviour: { shutdownMs: 60_000 } });
    await h.runPod('slow', [{ name: 'slow', image: 'slow:1.0' }], { terminationGracePeriodSeconds: 30 });
    await h.store.delete(PodKind, 'slow', { namespace: 'default' });
    await h.advance(29_000);
    expect((await h.pod('slow')).metadata.deletionTimestamp).toBe('2026-01-01T00:00:30Z');
    expect(h.runtime.snapshot().containers.filter((c) => c.state === 'CONTAINER_RUNNING')).toHaveLength(1);
    await h.advance(1_000);
    const gone = await h.pod('slow').catch((error: unknown) => error);
    expect(isKeelsonError(gone, 'NotFound')).toBe(true);
    expect(h.runtime.snapshot().containers).toHaveLength(0);
    expect(h.runtime.snapshot().sandboxes).toHaveLength(0);
  });

  it('fails a pod whose requests exceed allocatable with OutOfcpu', async () => {
    h = await startHarness();
    h.registry.add('big:1.0');
    await h.runPod('big', [{ name: 'big', image: 'big:1.0', resources: { requests: { cpu: '8' } } }]);
    const pod = await h.pod('big');
    expect(pod.status).toMatchObject({ phase: 'Failed', reason: 'OutOfcpu' });
    expect(pod.status?.message).toBe(
      "Pod was rejected: Node didn't have enough resource: cpu, requested: 8000, used: 0, capacity: 4000",
    );
    expect(h.runtime.snapshot().sandboxes).toHaveLength(0);
    await h.store.delete(PodKind, 'big', { namespace: 'default' });
    await h.advance(0);
    expect(isKeelsonError(await h.pod('big').catch((e: unknown) => e), 'NotFound')).toBe(true);
  });
});
