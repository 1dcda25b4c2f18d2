import { bindPod, builtinAdmission, builtinTypes, ensureSystemNamespaces, Pod } from '@keelson/api';
import { createRandom, VirtualClock } from '@keelson/clock';
import { createStore } from '@keelson/core';
import { createImageRegistry, createMockRuntime } from '@keelson/runtime-mock';
import { expect, it } from 'vitest';
import { createNodeAgent } from './createNodeAgent';

it('fails a pod whose runtimeClassName the runtime has no handler for, and runs one it has', async () => {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store = await createStore({
    types: builtinTypes,
    admission: builtinAdmission(),
    clock,
    random: createRandom(1, 'runtime-class'),
    logger: { warn() {} },
  });
  await ensureSystemNamespaces(store);
  const registry = createImageRegistry();
  registry.add('registry.example.com/app:1.0', {});
  const runtime = createMockRuntime({ clock, registry, seed: 1, runtimeHandlers: ['kata'] });
  const agent = createNodeAgent({
    store,
    runtime,
    images: runtime,
    nodeName: 'node-1',
    clock,
    capacity: { cpu: '4', memory: '8Gi', pods: '110' },
  });
  await agent.start();
  for (const [name, runtimeClassName] of [
    ['sandboxed', 'kata'],
    ['exotic', 'gvisor'],
  ] as const) {
    await store.create(Pod, {
      metadata: { name },
      spec: { runtimeClassName, containers: [{ name: 'app', image: 'registry.example.com/app:1.0' }] },
    });
    await bindPod(store, { metadata: { name, namespace: 'default' } }, 'node-1');
  }
  for (let i = 0; i < 6; i++) await clock.advance(0);
  const sandboxed = await store.get(Pod, 'sandboxed', { namespace: 'default' });
  const exotic = await store.get(Pod, 'exotic', { namespace: 'default' });
  expect(sandboxed.status?.phase).toBe('Running');
  expect(exotic.status).toMatchObject({ phase: 'Failed', reason: 'UnknownRuntimeHandler' });
  expect(exotic.status?.message).toMatch(/no handler "gvisor".*use one of: kata/);
  await agent.stop();
});
