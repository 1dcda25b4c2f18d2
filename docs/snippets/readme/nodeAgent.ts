// #region example
import { builtinAdmission, builtinTypes, ensureSystemNamespaces, Node } from '@keelson/api';
import { VirtualClock } from '@keelson/clock';
import { createStore } from '@keelson/core';
import { createNodeAgent } from '@keelson/node-agent';
import { createImageRegistry, createMockRuntime } from '@keelson/runtime-mock';

export async function oneNode() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store = await createStore({ types: builtinTypes, admission: builtinAdmission(), clock });
  await ensureSystemNamespaces(store);
  const runtime = createMockRuntime({ clock, registry: createImageRegistry(), seed: 1 });
  const agent = createNodeAgent({
    store,
    runtime,
    images: runtime,
    nodeName: 'node-1',
    capacity: { cpu: '4', memory: '8Gi', pods: '110' },
  });
  await agent.start(); // registers node-1, renews its Lease every 10 s, runs the pods bound to it
  await clock.advance(1_000);
  const node = await store.get(Node, 'node-1'); // Ready, with its capacity
  await agent.stop();
  return node;
}
// #endregion
