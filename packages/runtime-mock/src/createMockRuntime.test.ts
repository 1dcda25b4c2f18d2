import { VirtualClock } from '@keelson/clock';
import { expect, it } from 'vitest';
import { createImageRegistry, createMockRuntime } from './index';

it('runs the example from the createMockRuntime TSDoc', async () => {
  const clock = new VirtualClock(1_700_000_000_000);
  const registry = createImageRegistry();
  registry.add('registry.example.com/job:1.0', { pullMs: 3_000, behaviour: { exitAfterMs: 10_000, exitCode: 2 } });
  const runtime = createMockRuntime({ clock, registry, seed: 42 });

  const pulled = runtime.pullImage({ image: 'registry.example.com/job:1.0' });
  await clock.advance(3_000);
  await pulled;
  const sandboxConfig = { metadata: { name: 'job-abc', uid: 'u1', namespace: 'default', attempt: 0 } };
  const sandbox = await runtime.runPodSandbox(sandboxConfig);
  const id = await runtime.createContainer(
    sandbox,
    { metadata: { name: 'main', attempt: 0 }, image: { image: 'registry.example.com/job:1.0' } },
    sandboxConfig,
  );
  await runtime.startContainer(id);
  await clock.advance(10_000);
  expect((await runtime.containerStatus(id)).status).toMatchObject({
    state: 'CONTAINER_EXITED',
    exitCode: 2,
    reason: 'Error',
  });
  runtime.faults.runtimeDown();
  await expect(runtime.listContainers()).rejects.toMatchObject({ code: 'Unavailable' });
});
