import { bindPod, builtinAdmission, builtinTypes, ensureSystemNamespaces, Node, Pod } from '@keelson/api';
import { createRandom, VirtualClock } from '@keelson/clock';
import { createStore } from '@keelson/core';
import { createNodeLifecycleController } from '@keelson/health';
import { createImageRegistry, createMockRuntime } from '@keelson/runtime-mock';
import { expect, it } from 'vitest';
import { createNodeAgent } from './createNodeAgent';

const T0 = Date.UTC(2026, 0, 1);

it('a stopped node agent gets its node tainted and its pods evicted at the right times', async () => {
  const clock = new VirtualClock(T0);
  const store = await createStore({
    types: builtinTypes,
    admission: builtinAdmission(),
    clock,
    random: createRandom(1, 'node-loss'),
    logger: { warn() {} },
  });
  await ensureSystemNamespaces(store);
  const registry = createImageRegistry();
  registry.add('registry.example.com/app:1.0', {});
  const runtime = createMockRuntime({ clock, registry, seed: 1 });
  const agent = createNodeAgent({
    store,
    runtime,
    images: runtime,
    nodeName: 'node-1',
    clock,
    capacity: { cpu: '4', memory: '8Gi', pods: '110' },
  });
  await agent.start();
  const lifecycle = createNodeLifecycleController(store);
  await lifecycle.start();
  const settle = async (ms: number) => {
    await clock.advance(ms);
    for (let i = 0; i < 5; i++) await clock.advance(0);
  };
  await store.create(Pod, {
    metadata: { name: 'app' },
    spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1.0' }] },
  });
  await bindPod(store, { metadata: { name: 'app', namespace: 'default' } }, 'node-1');
  await settle(60_000);
  expect((await store.get(Pod, 'app', { namespace: 'default' })).status?.phase).toBe('Running');

  // The agent's last lease renewal is at 60 s; then it is gone.
  await agent.stop();
  const ready = async () =>
    (await store.get(Node, 'node-1')).status?.conditions?.find((c) => c.type === 'Ready')?.status;
  await settle(50_000); // t = 110 s: exactly the 50 s grace period — not yet
  expect(await ready()).toBe('True');
  await settle(5_000); // t = 115 s: the next check
  expect(await ready()).toBe('Unknown');
  const taint = (await store.get(Node, 'node-1')).spec.taints?.find((t) => t.effect === 'NoExecute');
  expect(taint).toMatchObject({ key: 'node.kubernetes.io/unreachable', timeAdded: '2026-01-01T00:01:55Z' });
  // The pod tolerates the taint for the default 300 s (added at admission): evicted at 415 s.
  await settle(299_000);
  expect((await store.get(Pod, 'app', { namespace: 'default' })).metadata.deletionTimestamp).toBeUndefined();
  await settle(1_000);
  expect((await store.get(Pod, 'app', { namespace: 'default' })).metadata.deletionTimestamp).toBeDefined();
  await lifecycle.stop();
});
