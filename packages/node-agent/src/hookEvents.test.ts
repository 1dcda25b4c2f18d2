import { type Event, Pod as PodKind } from '@keelson/api';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './testHarness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.agent.stop();
  h = undefined;
});

/** The stored Events about pod `name`: type, reason and message, oldest first. */
const about = (events: readonly Event[], name: string, reasons: readonly string[]) =>
  events
    .filter((e) => e.involvedObject.name === name && reasons.includes(e.reason ?? ''))
    .map((e) => ({ type: e.type, reason: e.reason, message: e.message }));

describe('events the node agent records, as the kubelet does', () => {
  it('FailedPreStopHook (Warning) when the hook fails, after Killing; the container is stopped all the same', async () => {
    h = await startHarness(undefined, { events: true });
    h.registry.add('web:1.0', { behaviour: { exec: () => ({ exitCode: 3, stderr: 'token=s3cret' }) } });
    await h.runPod('web', [
      { name: 'web', image: 'web:1.0', lifecycle: { preStop: { exec: { command: ['drain'] } } } },
    ]);
    await h.store.delete(PodKind, 'web', { namespace: 'default' });
    await h.advance(0);
    expect(about(await h.events(), 'web', ['Killing', 'FailedPreStopHook'])).toEqual([
      { type: 'Normal', reason: 'Killing', message: 'Stopping container web' },
      // the hook's output (which may hold secrets) stays out of the Event, as in the kubelet
      { type: 'Warning', reason: 'FailedPreStopHook', message: 'PreStopHook failed' },
    ]);
    const stored = (await h.events()).find((e) => e.reason === 'FailedPreStopHook');
    expect(stored?.involvedObject).toMatchObject({ kind: 'Pod', name: 'web', namespace: 'default' });
    expect(stored?.source).toMatchObject({ component: 'kubelet', host: 'node-1' });
  });

  it('FailedPostStartHook (Warning) when the hook fails', async () => {
    h = await startHarness(undefined, { events: true });
    h.registry.add('web:1.0', { behaviour: { exec: () => ({ exitCode: 1, durationMs: 1_000 }) } });
    await h.runPod(
      'web',
      [{ name: 'web', image: 'web:1.0', lifecycle: { postStart: { exec: { command: ['warm'] } } } }],
      {
        restartPolicy: 'Never',
      },
    );
    await h.advance(1_000);
    expect(about(await h.events(), 'web', ['Started', 'FailedPostStartHook', 'Killing'])).toEqual([
      { type: 'Normal', reason: 'Started', message: 'Started container web' },
      { type: 'Warning', reason: 'FailedPostStartHook', message: 'PostStartHook failed' },
      // then the kubelet kills the container, naming the cause
      { type: 'Normal', reason: 'Killing', message: 'FailedPostStartHook' },
    ]);
  });

  it('Killing (Normal) with the kubelet message when a container definition changed', async () => {
    h = await startHarness(undefined, { events: true });
    h.registry.add('web:1.0');
    h.registry.add('web:2.0');
    await h.runPod('web', [{ name: 'web', image: 'web:1.0' }]);
    await h.advance(1_000);
    await h.store.patch(
      PodKind,
      'web',
      (d) => {
        const web = d.spec.containers[0];
        if (web) web.image = 'web:2.0';
      },
      { namespace: 'default' },
    );
    await h.advance(1_000);
    expect(about(await h.events(), 'web', ['Killing'])).toEqual([
      { type: 'Normal', reason: 'Killing', message: 'Container web definition changed, will be restarted' },
    ]);
    expect((await h.pod('web')).status?.containerStatuses?.[0]?.restartCount).toBe(1);
  });

  it('Killing (Normal) naming the failed liveness probe, after which the preStop hook runs', async () => {
    h = await startHarness(undefined, { events: true });
    const drains: number[] = [];
    h.registry.add('web:1.0', {
      behaviour: {
        http: (_path, _port, elapsed) => (elapsed < 30_000 ? 200 : 500),
        exec: () => {
          drains.push(h?.clock.now() ?? 0);
          return { exitCode: 0, durationMs: 1_000 };
        },
      },
    });
    const start = h.clock.now();
    await h.runPod('web', [
      {
        name: 'web',
        image: 'web:1.0',
        livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10, failureThreshold: 3 },
        lifecycle: { preStop: { exec: { command: ['drain'] } } },
      },
    ]);
    // probes at 30 s, 40 s and 50 s fail: the kill starts at 50 s with the hook, the restart follows it
    await h.advance(51_000);
    expect(about(await h.events(), 'web', ['Killing'])).toEqual([
      { type: 'Normal', reason: 'Killing', message: 'Container web failed liveness probe, will be restarted' },
    ]);
    expect(drains).toEqual([start + 50_000]);
    const status = (await h.pod('web')).status?.containerStatuses?.[0];
    expect(status?.restartCount).toBe(1);
    expect(status?.lastState?.terminated?.finishedAt).toBe('2026-01-01T00:00:51Z');
  });

  it('Killing (Normal) for each running container when the pod is deleted', async () => {
    h = await startHarness(undefined, { events: true });
    h.registry.add('web:1.0');
    h.registry.add('side:1.0');
    await h.runPod('web', [
      { name: 'web', image: 'web:1.0' },
      { name: 'side', image: 'side:1.0' },
    ]);
    await h.store.delete(PodKind, 'web', { namespace: 'default' });
    await h.advance(0);
    const killing = about(await h.events(), 'web', ['Killing']).map((e) => e.message);
    expect(killing.sort()).toEqual(['Stopping container side', 'Stopping container web']);
  });
});
