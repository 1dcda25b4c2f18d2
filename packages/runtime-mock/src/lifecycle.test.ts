import { describe, expect, it } from 'vitest';
import { ns, START, setup, track } from './testHarness';

const JOB = 'registry.example.com/job:1.0';
const MiB = 1024 * 1024;

describe('containers that exit by themselves', () => {
  it('exits with code 0 and reason Completed at exitAfterMs', async () => {
    const { clock, run, status } = setup();
    const { containerId } = await run(JOB, { exitAfterMs: 5_000 });
    await clock.advance(4_999);
    expect((await status(containerId)).state).toBe('CONTAINER_RUNNING');
    await clock.advance(1);
    expect(await status(containerId)).toMatchObject({
      state: 'CONTAINER_EXITED',
      exitCode: 0,
      reason: 'Completed',
      startedAt: ns(START),
      finishedAt: ns(START + 5_000),
    });
  });

  it('exits with its exit code and reason Error', async () => {
    const { clock, run, status } = setup();
    const { containerId } = await run(JOB, { exitAfterMs: 100, exitCode: 3 });
    await clock.runUntilIdle();
    expect(await status(containerId)).toMatchObject({ exitCode: 3, reason: 'Error', finishedAt: ns(START + 100) });
  });

  it('fails to start with StartError and exit code 128 when the image says so', async () => {
    const { run, runtime, status } = setup();
    const { containerId } = await run(JOB, { startError: 'exec: "/app": no such file' }, { start: false });
    await expect(runtime.startContainer(containerId)).rejects.toMatchObject({ code: 'Internal' });
    expect(await status(containerId)).toMatchObject({
      state: 'CONTAINER_EXITED',
      exitCode: 128,
      reason: 'StartError',
      message: 'exec: "/app": no such file',
    });
  });
});

describe('OOM kills', () => {
  it('kills at the exact millisecond scripted memory use passes the limit', async () => {
    const { clock, run, status } = setup();
    // 10 MB + 1 kB/ms passes 64 MiB (67,108,864 bytes) after 57,108.864 ms, so at 57,109.
    const leak = (t: number) => 10_000_000 + t * 1_000;
    const { containerId } = await run(JOB, { memoryBytes: leak }, { memoryLimitInBytes: 64 * MiB });
    await clock.advance(57_108);
    expect((await status(containerId)).state).toBe('CONTAINER_RUNNING');
    await clock.advance(1);
    expect(await status(containerId)).toMatchObject({
      state: 'CONTAINER_EXITED',
      exitCode: 137,
      reason: 'OOMKilled',
      finishedAt: ns(START + 57_109),
    });
  });

  it('finds crossings hours later and past the first search horizon', async () => {
    const { clock, run, status } = setup();
    const late = 2 * 3_600_000 + 12_345;
    const spike = await run(
      JOB,
      { memoryBytes: (t) => (t >= late ? 100 * MiB : MiB) },
      { memoryLimitInBytes: 50 * MiB },
    );
    const veryLate = 30 * 3_600_000;
    const slow = await run(
      'registry.example.com/slow:1',
      { memoryBytes: (t) => (t >= veryLate ? 100 * MiB : MiB) },
      { memoryLimitInBytes: 50 * MiB },
    );
    await clock.advance(veryLate);
    expect((await status(spike.containerId)).finishedAt).toBe(ns(START + late));
    expect(await status(slow.containerId)).toMatchObject({ reason: 'OOMKilled', finishedAt: ns(START + veryLate) });
  });

  it('kills at once when constant use is above the limit, and never without a limit', async () => {
    const { clock, run, status } = setup();
    const over = await run(JOB, { memoryBytes: 100 * MiB }, { memoryLimitInBytes: 64 * MiB });
    const unlimited = await run(JOB, { memoryBytes: 100 * MiB });
    await clock.advance(0);
    expect(await status(over.containerId)).toMatchObject({ reason: 'OOMKilled', finishedAt: ns(START) });
    await clock.advance(86_400_000);
    expect((await status(unlimited.containerId)).state).toBe('CONTAINER_RUNNING');
  });

  it('re-arms for a new limit from updateContainerResources', async () => {
    const { clock, run, runtime, status } = setup();
    const leak = (t: number) => t * 1_000; // 1 kB per ms
    const { containerId } = await run(JOB, { memoryBytes: leak }, { memoryLimitInBytes: 100_000_000 });
    await clock.advance(10_000);
    await runtime.updateContainerResources(containerId, { linux: { memoryLimitInBytes: 20_000_000 } });
    await clock.advance(10_000);
    expect((await status(containerId)).state).toBe('CONTAINER_RUNNING');
    await clock.advance(1);
    expect(await status(containerId)).toMatchObject({ reason: 'OOMKilled', finishedAt: ns(START + 20_001) });
    expect((await status(containerId)).resources?.linux?.memoryLimitInBytes).toBe(20_000_000);
  });
});

describe('stopping', () => {
  it('exits 0 after the shutdown time when it is within the timeout', async () => {
    const { clock, run, runtime, status } = setup();
    const { containerId } = await run(JOB, { shutdownMs: 3_000 });
    const stop = track(runtime.stopContainer(containerId, 10));
    await clock.advance(2_999);
    expect(stop.settled).toBe(false);
    await clock.advance(1);
    expect(stop.settled).toBe(true);
    expect(await status(containerId)).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
      finishedAt: ns(START + 3_000),
    });
  });

  it('kills with 137 at the timeout when the shutdown takes longer', async () => {
    const { clock, run, runtime, status } = setup();
    const { containerId } = await run(JOB, { shutdownMs: 60_000 });
    const stop = track(runtime.stopContainer(containerId, 2));
    await clock.advance(2_000);
    expect(stop.settled).toBe(true);
    expect(await status(containerId)).toMatchObject({ exitCode: 137, reason: 'Error', finishedAt: ns(START + 2_000) });
  });

  it('exits at once by default, and kills at once with timeout 0', async () => {
    const { run, runtime, status } = setup();
    const graceful = await run(JOB);
    const killed = await run(JOB);
    await runtime.stopContainer(graceful.containerId, 30);
    await runtime.stopContainer(killed.containerId, 0);
    expect(await status(graceful.containerId)).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(await status(killed.containerId)).toMatchObject({ exitCode: 137, reason: 'Error' });
  });

  it('lets a later, shorter stop cut a pending one short', async () => {
    const { clock, run, runtime, status } = setup();
    const { containerId } = await run(JOB, { shutdownMs: 10_000 });
    const first = track(runtime.stopContainer(containerId, 30));
    await clock.advance(1_000);
    await runtime.stopContainer(containerId, 0);
    await clock.advance(0);
    expect(first.settled).toBe(true);
    expect(await status(containerId)).toMatchObject({ exitCode: 137, finishedAt: ns(START + 1_000) });
  });

  it('stopping a sandbox kills its containers and frees its IP', async () => {
    const { run, runtime, status, sandboxConfig } = setup();
    const a = await run(JOB, { shutdownMs: 5_000 });
    expect((await runtime.podSandboxStatus(a.sandboxId)).status.network?.ip).toBe('10.88.0.2');
    await runtime.stopPodSandbox(a.sandboxId);
    expect(await status(a.containerId)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 137 });
    const next = await runtime.runPodSandbox(sandboxConfig());
    expect((await runtime.podSandboxStatus(next)).status.network?.ip).toBe('10.88.0.3');
    const hostNetwork = await runtime.runPodSandbox(
      sandboxConfig({ linux: { securityContext: { namespaceOptions: { network: 'NODE' } } } }),
    );
    expect((await runtime.podSandboxStatus(hostNetwork)).status.network).toBeUndefined();
    await runtime.updateRuntimeConfig({ networkConfig: { podCidr: '10.244.1.0/24,fd00::/64' } });
    const third = await runtime.runPodSandbox(sandboxConfig());
    expect((await runtime.podSandboxStatus(third)).status.network?.ip).toBe('10.244.1.2');
  });
});

describe('faults on containers', () => {
  it('crash ends the process with the given code', async () => {
    const { run, runtime, status } = setup();
    const a = await run(JOB);
    const b = await run(JOB);
    runtime.faults.crash(a.containerId);
    runtime.faults.crash(b.containerId, 0);
    expect(await status(a.containerId)).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(await status(b.containerId)).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(() => runtime.faults.crash(a.containerId)).toThrow(expect.objectContaining({ code: 'FailedPrecondition' }));
    expect(() => runtime.faults.crash('nope')).toThrow(expect.objectContaining({ code: 'NotFound' }));
  });

  it('oom ends the process as OOMKilled', async () => {
    const { run, runtime, status } = setup();
    const { containerId } = await run(JOB);
    runtime.faults.oom(containerId);
    expect(await status(containerId)).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  });

  it('hang makes a stop wait the full timeout and kill, and exec time out', async () => {
    const { clock, run, runtime, status } = setup();
    const { containerId } = await run(JOB);
    runtime.faults.hang(containerId);
    const exec = track(runtime.execSync(containerId, ['cat', '/ready'], 2));
    await clock.advance(2_000);
    expect(exec.error).toMatchObject({ code: 'DeadlineExceeded' });

    const stop = track(runtime.stopContainer(containerId, 5));
    await clock.advance(4_999);
    expect(stop.settled).toBe(false);
    await clock.advance(1);
    expect(stop.settled).toBe(true);
    expect(await status(containerId)).toMatchObject({ exitCode: 137, finishedAt: ns(START + 7_000) });
  });

  it('unhang makes it answer again', async () => {
    const { run, runtime } = setup();
    const { containerId } = await run(JOB);
    runtime.faults.hang(containerId);
    runtime.faults.unhang(containerId);
    expect((await runtime.execSync(containerId, ['true'], 1)).exitCode).toBe(0);
  });
});

describe('execSync', () => {
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

  it('answers from the image script, as a function of time', async () => {
    const { clock, run, runtime } = setup();
    const { containerId } = await run(JOB, {
      exec: (cmd, t) =>
        cmd[0] === 'cat' && t >= 1_000 ? { exitCode: 0, stdout: 'ready\n' } : { exitCode: 1, stderr: 'not yet' },
    });
    const early = await runtime.execSync(containerId, ['cat', '/ready'], 1);
    expect({ ...early, stderr: decode(early.stderr) }).toMatchObject({ exitCode: 1, stderr: 'not yet' });
    await clock.advance(1_000);
    const later = await runtime.execSync(containerId, ['cat', '/ready'], 1);
    expect(later.exitCode).toBe(0);
    expect(decode(later.stdout)).toBe('ready\n');
  });

  it('takes the command durationMs on the clock and honours the timeout', async () => {
    const { clock, run, runtime } = setup();
    const { containerId } = await run(JOB, {
      exec: (cmd) => ({ exitCode: 0, durationMs: cmd[0] === 'slow' ? 3_000 : 500 }),
    });
    const quick = track(runtime.execSync(containerId, ['quick'], 1));
    const slow = track(runtime.execSync(containerId, ['slow'], 1));
    await clock.advance(500);
    expect(quick.value?.exitCode).toBe(0);
    expect(slow.settled).toBe(false);
    await clock.advance(500);
    expect(slow.error).toMatchObject({ code: 'DeadlineExceeded' });

    const unbounded = track(runtime.execSync(containerId, ['slow'], 0));
    await clock.advance(1_000);
    runtime.faults.crash(containerId);
    await clock.advance(0);
    expect(unbounded.error).toMatchObject({ code: 'FailedPrecondition' });
  });
});

describe('stats', () => {
  it('reports scripted CPU and memory, cumulative CPU exactly, and freezes them at the exit', async () => {
    const { clock, run, runtime } = setup();
    const { containerId } = await run(
      JOB,
      { cpuNanoCores: (t) => (t < 5_000 ? 1e9 : 250e6), memoryBytes: (t) => 10 * MiB + t },
      { memoryLimitInBytes: 64 * MiB },
    );
    await clock.advance(10_000);
    const stats = await runtime.containerStats(containerId);
    expect(stats.cpu).toEqual({
      timestamp: ns(START + 10_000),
      usageCoreNanoSeconds: 6_250_000_000n, // 5 s of a core + 5 s of a quarter
      usageNanoCores: 250_000_000,
    });
    expect(stats.memory).toMatchObject({ workingSetBytes: 10 * MiB + 10_000, availableBytes: 54 * MiB - 10_000 });

    runtime.faults.crash(containerId);
    await clock.advance(10_000);
    const after = await runtime.containerStats(containerId);
    expect(after.cpu).toMatchObject({ usageCoreNanoSeconds: 6_250_000_000n, usageNanoCores: 0 });
    expect(after.memory?.workingSetBytes).toBe(0);
  });

  it('sums a sandbox from its containers', async () => {
    const { run, runtime } = setup();
    const { sandboxId } = await run(JOB, { cpuNanoCores: 100e6, memoryBytes: MiB });
    const stats = await runtime.podSandboxStats(sandboxId);
    expect(stats.linux?.containers).toHaveLength(1);
    expect(stats.linux?.memory?.workingSetBytes).toBe(MiB);
    expect(stats.linux?.process?.processCount).toBe(1);
  });
});
