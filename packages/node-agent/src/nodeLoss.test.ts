import { Node } from '@keelson/api';
import { createNodeLifecycleController } from '@keelson/health';
import { expect, it } from 'vitest';
import { startHarness } from './testHarness';

it('a stopped node agent gets its node tainted and its pods evicted at the right times', async () => {
  const h = await startHarness();
  const lifecycle = createNodeLifecycleController(h.store);
  await lifecycle.start();
  h.registry.add('registry.example.com/app:1.0', {});
  await h.runPod('app', [{ name: 'app', image: 'registry.example.com/app:1.0' }]);
  await h.advance(60_000);
  expect((await h.pod('app')).status?.phase).toBe('Running');

  // The agent's last lease renewal is at 60 s; then it is gone.
  await h.agent.stop();
  const ready = async () =>
    (await h.store.get(Node, 'node-1')).status?.conditions?.find((c) => c.type === 'Ready')?.status;
  await h.advance(50_000); // t = 110 s: exactly the 50 s grace period — not yet
  expect(await ready()).toBe('True');
  await h.advance(5_000); // t = 115 s: the next check
  expect(await ready()).toBe('Unknown');
  const taint = (await h.store.get(Node, 'node-1')).spec.taints?.find((t) => t.effect === 'NoExecute');
  expect(taint).toMatchObject({ key: 'node.kubernetes.io/unreachable', timeAdded: '2026-01-01T00:01:55Z' });
  // The pod tolerates the taint for the default 300 s (added at admission): evicted at 415 s.
  await h.advance(299_000);
  expect((await h.pod('app')).metadata.deletionTimestamp).toBeUndefined();
  await h.advance(1_000);
  expect((await h.pod('app')).metadata.deletionTimestamp).toBeDefined();
  await lifecycle.stop();
});
