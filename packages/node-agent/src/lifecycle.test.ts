import type { ContainerStatus, Pod } from '@keelson/api';
import { Event, Pod as PodKind } from '@keelson/api';
import { createEventRecorder, type EventRecorder } from '@keelson/controller';
import { isKeelsonError } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeAgent } from './createNodeAgent';
import { type Harness, startHarness } from './testHarness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.agent.stop();
  h = undefined;
});

const main = (pod: Pod): ContainerStatus | undefined => pod.status?.containerStatuses?.[0];
const notFound = async (promise: Promise<unknown>) =>
  isKeelsonError(await promise.catch((e: unknown) => e), 'NotFound');

describe('restart policies and lifecycle', () => {
  it('OnFailure restarts a failed container and lets a successful one complete', async () => {
    h = await startHarness();
    h.registry.add('flaky:1.0', { behaviour: { exitAfterMs: 1_000, exitCode: 3 } });
    h.registry.add('ok:1.0', { behaviour: { exitAfterMs: 1_000, exitCode: 0 } });
    await h.runPod('flaky', [{ name: 'c', image: 'flaky:1.0' }], { restartPolicy: 'OnFailure' });
    await h.runPod('ok', [{ name: 'c', image: 'ok:1.0' }], { restartPolicy: 'OnFailure' });
    await h.advance(12_000);
    // exits at 1 s (restarted at once) and 2 s (restarted after 10 s, at 12 s)
    expect(main(await h.pod('flaky'))?.restartCount).toBe(2);
    expect(main(await h.pod('flaky'))?.state?.running?.startedAt).toBe('2026-01-01T00:00:12Z');
    expect((await h.pod('flaky')).status?.phase).toBe('Running');
    expect((await h.pod('ok')).status?.phase).toBe('Succeeded');
    expect(main(await h.pod('ok'))?.restartCount).toBe(0);
  });

  it('resets the crash-loop backoff after the container ran 10 minutes', async () => {
    h = await startHarness();
    h.registry.add('long:1.0', { behaviour: { exitAfterMs: 700_000, exitCode: 1 } });
    await h.runPod('long', [{ name: 'c', image: 'long:1.0' }]);
    await h.advance(700_000); // first exit: immediate restart
    expect(main(await h.pod('long'))?.restartCount).toBe(1);
    await h.advance(700_000); // ran > 10 min: the backoff starts over, immediate restart again
    const pod = await h.pod('long');
    expect(main(pod)?.restartCount).toBe(2);
    expect(main(pod)?.state?.running?.startedAt).toBe('2026-01-01T00:23:20Z');
  });

  it('starts a sidecar init container and keeps it running next to the containers', async () => {
    h = await startHarness();
    h.registry.add('proxy:1.0');
    h.registry.add('web:1.0');
    await h.runPod('web', [{ name: 'web', image: 'web:1.0' }], {
      initContainers: [{ name: 'proxy', image: 'proxy:1.0', restartPolicy: 'Always' }],
    });
    const pod = await h.pod('web');
    expect(pod.status?.phase).toBe('Running');
    expect(pod.status?.initContainerStatuses?.[0]?.state?.running).toBeDefined();
    expect(main(pod)?.state?.running).toBeDefined();
  });

  it('deletes a pod at once when its containers stop within the grace period', async () => {
    h = await startHarness();
    h.registry.add('web:1.0', { behaviour: { shutdownMs: 2_000 } });
    await h.runPod('web', [{ name: 'web', image: 'web:1.0' }]);
    await h.store.delete(PodKind, 'web', { namespace: 'default' });
    await h.advance(1_999);
    expect((await h.pod('web')).metadata.deletionTimestamp).toBe('2026-01-01T00:00:30Z');
    await h.advance(1);
    expect(await notFound(h.pod('web'))).toBe(true);
  });

  it('deletes a pod that never started (image missing)', async () => {
    h = await startHarness();
    await h.runPod('ghost', [{ name: 'g', image: 'ghost:1.0' }]);
    await h.store.delete(PodKind, 'ghost', { namespace: 'default' });
    await h.advance(0);
    expect(await notFound(h.pod('ghost'))).toBe(true);
    expect(h.runtime.snapshot().sandboxes).toHaveLength(0);
  });

  it('tears down the containers of a pod force-deleted from the store', async () => {
    h = await startHarness();
    h.registry.add('web:1.0');
    await h.runPod('web', [{ name: 'web', image: 'web:1.0' }]);
    await h.store.delete(PodKind, 'web', { namespace: 'default', gracePeriodSeconds: 0 });
    await h.advance(0);
    expect(h.runtime.snapshot().containers).toHaveLength(0);
    expect(h.runtime.snapshot().sandboxes).toHaveLength(0);
  });

  it('relists every 10 s to catch changes the runtime did not report', async () => {
    h = await startHarness();
    h.registry.add('web:1.0');
    await h.runPod('web', [{ name: 'web', image: 'web:1.0' }]);
    expect(main(await h.pod('web'))?.state?.running).toBeDefined();
    await h.advance(10_000);
    expect(h.errors).toEqual([]);
  });

  it('records Pulled, Created and Started events when given a recorder', async () => {
    const harness = await startHarness();
    h = harness;
    await harness.agent.stop();
    const recorder = createEventRecorder(harness.store, {
      component: 'kubelet',
      host: 'node-1',
      clock: harness.clock,
      sweep: false,
    });
    const agent = createNodeAgent({
      store: harness.store,
      runtime: harness.runtime,
      images: harness.runtime,
      nodeName: 'node-1',
      clock: harness.clock,
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      recorder,
    });
    harness.agent = agent;
    await agent.start();
    harness.registry.add('web:1.0');
    await harness.runPod('web', [{ name: 'web', image: 'web:1.0' }]);
    await harness.advance(0);
    const reasons = (await harness.store.list(Event, { namespace: 'default' })).items.map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Pulling', 'Pulled', 'Created', 'Started']));
    recorder.stop();
  });
});

/** A new agent for the harness's node, runtime and store, as after a restart of the agent process. */
const restartedAgent = (harness: Harness, recorder?: EventRecorder) =>
  createNodeAgent({
    ...(recorder === undefined ? {} : { recorder }),
    store: harness.store,
    runtime: harness.runtime,
    images: harness.runtime,
    nodeName: 'node-1',
    clock: harness.clock,
    capacity: { cpu: '4', memory: '8Gi', pods: '110' },
  });

describe('agent restart', () => {
  it('adopts the sandbox and containers the runtime already runs', async () => {
    const harness = await startHarness();
    h = harness;
    harness.registry.add('web:1.0');
    await harness.runPod('web', [{ name: 'web', image: 'web:1.0' }]);
    const before = main(await harness.pod('web'));
    await harness.agent.stop();
    await harness.advance(60_000);
    const agent = restartedAgent(harness);
    harness.agent = agent;
    await agent.start();
    await harness.advance(0);
    const after = main(await harness.pod('web'));
    expect(after?.containerID).toBe(before?.containerID);
    expect(after?.state?.running?.startedAt).toBe('2026-01-01T00:00:00Z');
    expect(harness.runtime.snapshot().sandboxes).toHaveLength(1);
    expect(harness.runtime.snapshot().containers).toHaveLength(1);
  });

  it('restarts an adopted container whose image changed while the agent was away, and keeps an unchanged one', async () => {
    const harness = await startHarness();
    h = harness;
    for (const image of ['web:1.0', 'web:2.0', 'side:1.0']) harness.registry.add(image);
    await harness.runPod('web', [
      { name: 'web', image: 'web:1.0' },
      { name: 'side', image: 'side:1.0' },
    ]);
    const before = await harness.pod('web');
    await harness.agent.stop();
    await harness.store.patch(
      PodKind,
      'web',
      (d) => {
        const first = d.spec.containers[0];
        if (first) first.image = 'web:2.0';
      },
      { namespace: 'default' },
    );
    await harness.advance(10_000);
    const recorder = createEventRecorder(harness.store, {
      component: 'kubelet',
      host: 'node-1',
      clock: harness.clock,
      sweep: false,
    });
    const agent = restartedAgent(harness, recorder);
    harness.agent = agent;
    await agent.start();
    await harness.advance(2_000);
    const [web, side] = (await harness.pod('web')).status?.containerStatuses ?? [];
    expect(web).toMatchObject({ image: 'web:2.0', restartCount: 1 });
    expect(web?.state?.running).toBeDefined();
    expect(web?.containerID).not.toBe(before.status?.containerStatuses?.[0]?.containerID);
    expect(side?.restartCount).toBe(0);
    expect(side?.containerID).toBe(before.status?.containerStatuses?.[1]?.containerID);
    const killed = (await harness.store.list(Event, { namespace: 'default' })).items.filter(
      (e) => e.reason === 'Killing',
    );
    expect(killed.map((e) => e.message)).toEqual(['Container web definition changed, will be restarted']);
    recorder.stop();
  });
});

describe('finished pods', () => {
  it('does not run again a pod that Succeeded before the agent (re)started', async () => {
    const harness = await startHarness();
    h = harness;
    harness.registry.add('job:1.0', { behaviour: { exitAfterMs: 1_000 } });
    await harness.runPod('job', [{ name: 'job', image: 'job:1.0' }], { restartPolicy: 'Never' });
    await harness.advance(1_000);
    expect((await harness.pod('job')).status?.phase).toBe('Succeeded');
    await harness.agent.stop();
    const agent = restartedAgent(harness);
    harness.agent = agent;
    await agent.start();
    await harness.advance(10_000);
    expect((await harness.pod('job')).status?.phase).toBe('Succeeded');
    expect(harness.runtime.snapshot().containers).toHaveLength(1);
    expect(harness.runtime.snapshot().sandboxes).toHaveLength(1);
  });
});
