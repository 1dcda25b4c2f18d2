import { describe, expect, it } from 'vitest';
import { setup } from './testHarness';

const WEB = 'registry.example.com/web:1.0';

describe('runtime down', () => {
  it('reports not ready and rejects every other RPC with Unavailable until it is up again', async () => {
    const { clock, run, runtime, sandboxConfig, containerConfig, status } = setup();
    const { containerId, sandboxId, sandbox } = await run(WEB, { exitAfterMs: 1_000 });
    runtime.faults.runtimeDown();
    expect(runtime.faults.isRuntimeDown).toBe(true);
    const conditions = (await runtime.status()).status.conditions;
    expect(conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['RuntimeReady', false, 'RuntimeDown'],
      ['NetworkReady', false, 'RuntimeDown'],
    ]);
    const calls: Array<() => Promise<unknown>> = [
      () => runtime.version(),
      () => runtime.runPodSandbox(sandboxConfig()),
      () => runtime.stopPodSandbox(sandboxId),
      () => runtime.removePodSandbox(sandboxId),
      () => runtime.podSandboxStatus(sandboxId),
      () => runtime.listPodSandbox(),
      () => runtime.createContainer(sandboxId, containerConfig(WEB, 'other'), sandbox),
      () => runtime.startContainer(containerId),
      () => runtime.stopContainer(containerId, 0),
      () => runtime.removeContainer(containerId),
      () => runtime.listContainers(),
      () => runtime.containerStatus(containerId),
      () => runtime.execSync(containerId, ['true'], 1),
      () => runtime.containerStats(containerId),
      () => runtime.listContainerStats(),
      () => runtime.updateContainerResources(containerId, {}),
      () => runtime.pullImage({ image: WEB }),
      () => runtime.imageStatus({ image: WEB }),
      () => runtime.listImages(),
      () => runtime.removeImage({ image: WEB }),
      () => runtime.imageFsInfo(),
    ];
    for (const call of calls) await expect(call()).rejects.toMatchObject({ name: 'CriError', code: 'Unavailable' });

    // Processes live on: the container exits on schedule while the runtime is down.
    await clock.advance(1_000);
    runtime.faults.runtimeUp();
    expect((await runtime.status()).status.conditions.every((c) => c.status)).toBe(true);
    expect(await status(containerId)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 0 });
    expect(await runtime.listPodSandbox()).toHaveLength(1);
    expect(await runtime.listImages()).toHaveLength(1);
  });
});

describe('bad input', () => {
  it('gets the CRI error a real runtime gives and leaves the state unchanged', async () => {
    const { registry, run, runtime, sandboxConfig, containerConfig } = setup();
    const { containerId, sandboxId, sandbox } = await run(WEB);
    const stopped = sandboxConfig();
    const stoppedId = await runtime.runPodSandbox(stopped);
    await runtime.stopPodSandbox(stoppedId);
    registry.add('registry.example.com/other:1');
    const before = runtime.snapshot();
    const history = runtime.eventHistory();

    const cases: Array<[() => Promise<unknown>, string]> = [
      [() => runtime.containerStatus('no-such-id'), 'NotFound'],
      [() => runtime.podSandboxStatus('no-such-id'), 'NotFound'],
      [() => runtime.startContainer('no-such-id'), 'NotFound'],
      [() => runtime.execSync('no-such-id', ['true'], 1), 'NotFound'],
      [() => runtime.createContainer('no-such-id', containerConfig(WEB), sandbox), 'NotFound'],
      [() => runtime.createContainer(stoppedId, containerConfig(WEB), stopped), 'FailedPrecondition'],
      [
        () => runtime.createContainer(sandboxId, containerConfig('registry.example.com/Bad:1'), sandbox),
        'InvalidArgument',
      ],
      [() => runtime.createContainer(sandboxId, containerConfig('registry.example.com/other:1'), sandbox), 'NotFound'],
      [() => runtime.createContainer(sandboxId, containerConfig(WEB, ''), sandbox), 'InvalidArgument'],
      [() => runtime.createContainer(sandboxId, containerConfig(WEB), sandbox), 'AlreadyExists'],
      [() => runtime.runPodSandbox({ ...sandbox, metadata: { ...sandbox.metadata, uid: '' } }), 'InvalidArgument'],
      [() => runtime.runPodSandbox(sandbox), 'AlreadyExists'],
      [() => runtime.runPodSandbox(sandboxConfig(), 'kata'), 'NotFound'],
      [() => runtime.startContainer(containerId), 'FailedPrecondition'],
      [() => runtime.stopContainer(containerId, -1), 'InvalidArgument'],
      [() => runtime.stopContainer(containerId, 1.5), 'InvalidArgument'],
      [() => runtime.execSync(containerId, ['true'], -1), 'InvalidArgument'],
      [() => runtime.execSync(containerId, [], 1), 'InvalidArgument'],
      [() => runtime.pullImage({ image: '' }), 'InvalidArgument'],
      [() => runtime.updateRuntimeConfig({ networkConfig: { podCidr: 'fd00::/64' } }), 'InvalidArgument'],
      [() => runtime.exec(), 'Unimplemented'],
    ];
    for (const [call, code] of cases) await expect(call()).rejects.toMatchObject({ name: 'CriError', code });
    expect(runtime.snapshot()).toEqual(before);
    expect(runtime.eventHistory()).toEqual(history);
  });

  it('accepts a configured runtime handler and reports it', async () => {
    const { runtime, sandboxConfig } = setup({ runtimeHandlers: ['kata'] });
    const id = await runtime.runPodSandbox(sandboxConfig(), 'kata');
    expect((await runtime.podSandboxStatus(id)).status.runtimeHandler).toBe('kata');
    expect((await runtime.status()).runtimeHandlers.map((h) => h.name)).toEqual(['kata']);
    expect(await runtime.version()).toEqual({
      version: '0.1.0',
      runtimeName: 'keelson-mock',
      runtimeVersion: '0.1.0',
      runtimeApiVersion: 'v1',
    });
  });
});
