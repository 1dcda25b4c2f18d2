import { expect, it } from 'vitest';
import { runDemo } from './demo';

it('the demo replays what it wrote, recovers a torn tail and compacts to the live state', async () => {
  const lines: string[] = [];
  const { written, replayed, recovered, kept, store, controller, cluster } = await runDemo((line) => lines.push(line));
  expect(cluster.node2Ready).toBe('Unknown');
  // The scheduler spreads the three pods over both nodes (least allocated first); huge fits nowhere.
  const onNode2 = Object.keys(cluster.placement).filter((name) => cluster.placement[name] === 'node-2');
  expect(new Set(Object.values(cluster.placement))).toEqual(new Set(['node-1', 'node-2']));
  const { flaky, web, batch } = cluster.placement;
  expect(flaky).not.toBe(web);
  expect(batch).toBe(flaky);
  expect(cluster.evicted.sort()).toEqual(onNode2.sort());
  expect(cluster.left.sort()).toEqual(['batch', 'flaky', 'web'].filter((name) => !onNode2.includes(name)));
  expect(lines.join('\n')).toContain('huge stays Pending: 0/2 nodes are available: 2 Insufficient cpu.');
  expect(cluster.flakyRestarts).toBeGreaterThan(2);
  expect(controller.readyReplicas).toBe(4);
  expect(controller.log).toEqual([
    't=+0s reconcile shop (generation 1)',
    't=+0s reconcile shop (generation 2)',
    't=+30s reconcile shop (generation 2)',
    't=+60s reconcile shop (generation 2)',
  ]);
  expect(store.same).toBe(true);
  expect(store.events).toEqual(['ADDED blog (rv 1)', 'MODIFIED blog (rv 2)', 'MODIFIED blog (rv 3)']);
  expect(replayed).toEqual(written);
  expect(recovered).toMatchObject({ droppedBytes: 6 });
  expect(kept.map((e) => [e.key, e.data.phase])).toEqual([
    ['pods/default/web-2', 'Pending'],
    ['pods/default/web-1', 'Running'],
    ['pods/default/web-2', 'Running'],
  ]);
  expect(lines.join('\n')).toContain('a stale write was refused');
});
