import { builtinTypes, Pod } from '@keelson/api';
import { createTestCluster, diffRuns, replayLog, type TestCluster } from '@keelson/testing';
import { afterEach, expect, it } from 'vitest';
import { WebApp, webAppController } from './webApp';

const clusters: TestCluster[] = [];
afterEach(async () => {
  for (const c of clusters.splice(0)) await c.close();
});

const SHOP = {
  apiVersion: 'example.dev/v1',
  kind: 'WebApp',
  metadata: { name: 'shop', namespace: 'default' },
  spec: { image: 'shop:1', replicas: 3 },
};

// #region determinism
/** One scripted run: the same seed and steps give the same log, entry for entry. */
async function run(seed: number): Promise<TestCluster> {
  const c = await createTestCluster({ nodes: 3, seed, types: [WebApp], extra: [webAppController] });
  clusters.push(c);
  await c.apply(SHOP);
  await c.waitFor(async () => (await c.get(WebApp, 'shop', 'default')).status?.availableReplicas === 3);
  await c.faults.stopNode('node-2');
  await c.advance('6m');
  return c;
}

it('two runs with one seed write identical logs; another seed parts somewhere', async () => {
  const [a, b, other] = [await run(7), await run(7), await run(8)];
  expect(await diffRuns(a.log, b.log)).toBeUndefined();
  const difference = await diffRuns(a.log, other.log);
  expect(difference?.index).toBeGreaterThanOrEqual(0); // the first entry where they differ, and why
});
// #endregion

// #region replay
it('replays the run to any revision: what did the cluster look like back then?', async () => {
  const c = await run(7);
  let before: number | undefined;
  for await (const entry of c.log.read()) {
    if (entry.type === 'core/nodes' && (entry.data as { spec?: { taints?: unknown[] } }).spec?.taints?.length) {
      before = entry.revision - 1; // just before node-2 was tainted unreachable
      break;
    }
  }
  if (before === undefined) throw new Error('node-2 was never tainted');
  const then = await replayLog(c.log, { until: before, types: [...builtinTypes, WebApp] });
  const podsThen = (await then.list(Pod)).items;
  expect(podsThen.filter((p) => p.spec.nodeName === 'node-2')).toHaveLength(1);
  expect((await then.get(WebApp, 'shop', { namespace: 'default' })).status?.availableReplicas).toBe(3);
  await then.close();
  const podsNow = (await c.list(Pod)).filter((p) => !p.metadata.deletionTimestamp);
  expect(podsNow.filter((p) => p.spec.nodeName === 'node-2')).toHaveLength(0);
});
// #endregion
