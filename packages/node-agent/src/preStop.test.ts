import { Pod as PodKind } from '@keelson/api';
import { isKeelsonError } from '@keelson/core';
import type { ExecResult } from '@keelson/runtime-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './testHarness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.agent.stop();
  h = undefined;
});

const gone = async (harness: Harness, name: string) =>
  isKeelsonError(await harness.pod(name).catch((e: unknown) => e), 'NotFound');

/** When (ms on the clock) the runtime saw each of its containers stop. */
const stops = (harness: Harness) =>
  harness.runtime
    .eventHistory()
    .filter((e) => e.type === 'CONTAINER_STOPPED_EVENT')
    .map((e) => Number(e.createdAt / 1_000_000n));

/** A container whose exec answers are scripted per command, and which calls it got, at what time. */
function scriptedImage(harness: Harness, image: string, answers: Record<string, ExecResult>, shutdownMs = 0) {
  const calls: { cmd: string; at: number }[] = [];
  harness.registry.add(image, {
    behaviour: {
      shutdownMs,
      exec: (cmd) => {
        calls.push({ cmd: cmd.join(' '), at: harness.clock.now() });
        return answers[cmd.join(' ')] ?? { exitCode: 0 };
      },
    },
  });
  return calls;
}

describe('preStop hooks', () => {
  it('runs the hook before the stop signal; what is left of the grace period bounds the stop', async () => {
    h = await startHarness();
    // the process needs 25 s after its stop signal: without a hook it would exit by itself at 25 s
    h.registry.add('web:1.0', { behaviour: { shutdownMs: 25_000 } });
    await h.runPod('web', [{ name: 'web', image: 'web:1.0', lifecycle: { preStop: { sleep: { seconds: 10 } } } }]);
    await h.store.delete(PodKind, 'web', { namespace: 'default' });
    // 10 s of hook, then 20 s left: the process is killed at 30 s, not stopped at 25 s
    await h.advance(29_999);
    expect(await gone(h, 'web')).toBe(false);
    await h.advance(1);
    expect(await gone(h, 'web')).toBe(true);
  });

  it('runs an exec hook through the runtime and stops the container after it', async () => {
    h = await startHarness();
    const commands: string[][] = [];
    h.registry.add('web:1.0', {
      behaviour: {
        exec: (cmd) => {
          commands.push(cmd);
          return { exitCode: 0, durationMs: 3_000 };
        },
      },
    });
    await h.runPod('web', [
      { name: 'web', image: 'web:1.0', lifecycle: { preStop: { exec: { command: ['drain'] } } } },
    ]);
    await h.store.delete(PodKind, 'web', { namespace: 'default' });
    await h.advance(2_999);
    expect(await gone(h, 'web')).toBe(false);
    await h.advance(1);
    expect(commands).toEqual([['drain']]);
    expect(await gone(h, 'web')).toBe(true);
  });
});

describe('preStop before every kill, as the kubelet runs it in killContainer', () => {
  it('runs the hook before a changed container is restarted', async () => {
    h = await startHarness();
    const calls = scriptedImage(h, 'web:1.0', { drain: { exitCode: 0, durationMs: 3_000 } });
    h.registry.add('web:2.0');
    await h.runPod('web', [
      { name: 'web', image: 'web:1.0', lifecycle: { preStop: { exec: { command: ['drain'] } } } },
    ]);
    await h.advance(1_000);
    const changedAt = h.clock.now();
    await h.store.patch(
      PodKind,
      'web',
      (d) => {
        const web = d.spec.containers[0];
        if (web) web.image = 'web:2.0';
      },
      { namespace: 'default' },
    );
    await h.advance(2_999);
    expect(stops(h)).toEqual([]);
    await h.advance(1);
    expect(calls).toEqual([{ cmd: 'drain', at: changedAt }]);
    expect(stops(h)).toEqual([changedAt + 3_000]);
    const status = (await h.pod('web')).status?.containerStatuses?.[0];
    expect(status?.image).toBe('web:2.0');
    expect(status?.restartCount).toBe(1);
    expect(status?.state?.running?.startedAt).toBe('2026-01-01T00:00:04Z');
  });
});

describe('hook duration and result scripted in the mock runtime', () => {
  it('a preStop hook that takes 5 s delays the stop signal by 5 s', async () => {
    h = await startHarness();
    const calls = scriptedImage(h, 'web:1.0', { drain: { exitCode: 0, durationMs: 5_000 } });
    await h.runPod('web', [
      { name: 'web', image: 'web:1.0', lifecycle: { preStop: { exec: { command: ['drain'] } } } },
    ]);
    await h.advance(1_000);
    const deletedAt = h.clock.now();
    await h.store.delete(PodKind, 'web', { namespace: 'default' });
    await h.advance(4_999);
    // the process exits at once on its stop signal: no stop yet means no signal yet
    expect(stops(h)).toEqual([]);
    expect(await gone(h, 'web')).toBe(false);
    await h.advance(1);
    expect(calls).toEqual([{ cmd: 'drain', at: deletedAt }]);
    expect(stops(h)).toEqual([deletedAt + 5_000]);
    expect(await gone(h, 'web')).toBe(true);
    expect(h.errors).toEqual([]);
  });

  it('cuts off a hook longer than the grace period; the container is killed after the 2 s minimum', async () => {
    h = await startHarness();
    // the hook would take a minute and the process ignores its stop signal for 30 s
    scriptedImage(h, 'web:1.0', { drain: { exitCode: 0, durationMs: 60_000 } }, 30_000);
    await h.runPod(
      'web',
      [{ name: 'web', image: 'web:1.0', lifecycle: { preStop: { exec: { command: ['drain'] } } } }],
      {
        terminationGracePeriodSeconds: 10,
      },
    );
    const deletedAt = h.clock.now();
    await h.store.delete(PodKind, 'web', { namespace: 'default' });
    // the kubelet waits for the hook at most the grace period (10 s), then stops with what is
    // left of it, at least minimumGracePeriodInSeconds (2 s): the kill comes at 12 s
    await h.advance(11_999);
    expect(stops(h)).toEqual([]);
    await h.advance(1);
    expect(stops(h)).toEqual([deletedAt + 12_000]);
    expect(await gone(h, 'web')).toBe(true);
  });

  it('a failing postStart hook kills the container as soon as it answers', async () => {
    h = await startHarness();
    const calls = scriptedImage(h, 'web:1.0', {
      warm: { exitCode: 1, stderr: 'cache unreachable', durationMs: 2_000 },
    });
    const startedAt = h.clock.now();
    await h.runPod(
      'web',
      [{ name: 'web', image: 'web:1.0', lifecycle: { postStart: { exec: { command: ['warm'] } } } }],
      {
        restartPolicy: 'Never',
      },
    );
    await h.advance(1_999);
    expect(stops(h)).toEqual([]);
    await h.advance(1);
    expect(calls).toEqual([{ cmd: 'warm', at: startedAt }]);
    expect(stops(h)).toEqual([startedAt + 2_000]);
    const status = (await h.pod('web')).status?.containerStatuses?.[0];
    expect(status?.state?.terminated).toBeDefined();
    expect(status?.restartCount).toBe(0);
  });
});

describe('postStart hooks', () => {
  it('runs right after the start; a failure kills the container, which restarts per its policy', async () => {
    h = await startHarness();
    let calls = 0;
    h.registry.add('web:1.0', {
      behaviour: {
        exec: () => {
          calls++;
          return { exitCode: calls === 1 ? 1 : 0, durationMs: 1_000 };
        },
      },
    });
    await h.runPod('web', [
      { name: 'web', image: 'web:1.0', lifecycle: { postStart: { exec: { command: ['warm'] } } } },
    ]);
    await h.advance(2_000);
    const status = (await h.pod('web')).status?.containerStatuses?.[0];
    expect(calls).toBe(2);
    expect(status?.restartCount).toBe(1);
    expect(status?.state?.running).toBeDefined();
  });
});
