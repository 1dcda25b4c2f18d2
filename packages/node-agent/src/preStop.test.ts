import { Pod as PodKind } from '@keelson/api';
import { isKeelsonError } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './testHarness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.agent.stop();
  h = undefined;
});

const gone = async (harness: Harness, name: string) =>
  isKeelsonError(await harness.pod(name).catch((e: unknown) => e), 'NotFound');

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
