import { expect, it } from 'vitest';
import { startHarness } from './testHarness';

it('fails a pod whose runtimeClassName the runtime has no handler for, and runs one it has', async () => {
  const h = await startHarness(undefined, { runtimeHandlers: ['kata'] });
  h.registry.add('registry.example.com/app:1.0', {});
  const containers = [{ name: 'app', image: 'registry.example.com/app:1.0' }];
  await h.runPod('sandboxed', containers, { runtimeClassName: 'kata' });
  await h.runPod('exotic', containers, { runtimeClassName: 'gvisor' });
  await h.advance(0);
  expect((await h.pod('sandboxed')).status?.phase).toBe('Running');
  const exotic = await h.pod('exotic');
  expect(exotic.status).toMatchObject({ phase: 'Failed', reason: 'UnknownRuntimeHandler' });
  expect(exotic.status?.message).toMatch(/no handler "gvisor".*use one of: kata/);
  await h.agent.stop();
});
