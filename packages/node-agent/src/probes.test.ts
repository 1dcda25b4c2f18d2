import type { ContainerStatus, Pod } from '@keelson/api';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './testHarness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.agent.stop();
  h = undefined;
});

const cond = (pod: Pod, type: string) => pod.status?.conditions?.find((c) => c.type === type);
const main = (pod: Pod): ContainerStatus | undefined => pod.status?.containerStatuses?.[0];

describe('probes', () => {
  it('restarts a container whose liveness probe fails failureThreshold × periodSeconds after it started failing', async () => {
    h = await startHarness();
    // healthy for 30 s, then /healthz answers 500
    h.registry.add('web:1.0', { behaviour: { http: (_path, _port, elapsed) => (elapsed < 30_000 ? 200 : 500) } });
    await h.runPod('web', [
      {
        name: 'web',
        image: 'web:1.0',
        ports: [{ name: 'http', containerPort: 8080 }],
        livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
      },
    ]);
    await h.advance(49_999);
    expect(main(await h.pod('web'))?.restartCount).toBe(0);
    // probes at 30 s, 40 s, 50 s fail: the third failure (at 50 s) kills and restarts it
    await h.advance(1);
    let pod = await h.pod('web');
    expect(main(pod)?.restartCount).toBe(1);
    expect(main(pod)?.lastState?.terminated?.finishedAt).toBe('2026-01-01T00:00:50Z');
    expect(main(pod)?.state?.running?.startedAt).toBe('2026-01-01T00:00:50Z');
    pod = await h.pod('web');
    expect(pod.status?.phase).toBe('Running');
  });

  it('flips Ready with the readiness probe, without a restart', async () => {
    h = await startHarness();
    // ready from 0 to 20 s, not ready from 20 s to 50 s, ready again after
    h.registry.add('web:1.0', {
      behaviour: { tcp: (_port, elapsed) => elapsed < 20_000 || elapsed >= 50_000 },
    });
    await h.runPod('web', [
      {
        name: 'web',
        image: 'web:1.0',
        readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 10, failureThreshold: 1 },
      },
    ]);
    await h.advance(0);
    let pod = await h.pod('web');
    expect(main(pod)?.ready).toBe(true);
    expect(cond(pod, 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' });
    await h.advance(20_000);
    pod = await h.pod('web');
    expect(main(pod)?.ready).toBe(false);
    expect(cond(pod, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      lastTransitionTime: '2026-01-01T00:00:20Z',
    });
    expect(cond(pod, 'ContainersReady')?.status).toBe('False');
    await h.advance(30_000);
    pod = await h.pod('web');
    expect(main(pod)?.ready).toBe(true);
    expect(cond(pod, 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: '2026-01-01T00:00:50Z' });
    expect(main(pod)?.restartCount).toBe(0);
    expect(pod.status?.phase).toBe('Running');
  });

  it('restarts a container whose startup probe never succeeds, and gates liveness and readiness until it does', async () => {
    h = await startHarness();
    h.registry.add('slow:1.0', { behaviour: { tcp: () => false } });
    await h.runPod('slow', [
      {
        name: 'slow',
        image: 'slow:1.0',
        startupProbe: { tcpSocket: { port: 80 }, periodSeconds: 5, failureThreshold: 4 },
        readinessProbe: { tcpSocket: { port: 80 } },
      },
    ]);
    let pod = await h.pod('slow');
    expect(main(pod)).toMatchObject({ started: false, ready: false });
    // startup probes at 0, 5, 10, 15 s fail: the fourth failure restarts the container
    await h.advance(14_999);
    expect(main(await h.pod('slow'))?.restartCount).toBe(0);
    await h.advance(1);
    pod = await h.pod('slow');
    expect(main(pod)?.restartCount).toBe(1);
    expect(main(pod)?.state?.running?.startedAt).toBe('2026-01-01T00:00:15Z');
  });
});
