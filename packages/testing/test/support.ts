/** What the end-to-end tests share: clusters closed after each test, and pod predicates. */
import { getCondition, type Pod } from '@keelson/api';
import { afterEach } from 'vitest';
import { createTestCluster, type TestCluster } from '../src/index';

/** A `createTestCluster` whose clusters are closed after each test of the file. */
export function clustersClosedAfterEach(): (options: Parameters<typeof createTestCluster>[0]) => Promise<TestCluster> {
  const clusters: TestCluster[] = [];
  afterEach(async () => {
    for (const c of clusters.splice(0)) await c.close();
  });
  return async (options) => {
    const c = await createTestCluster(options);
    clusters.push(c);
    return c;
  };
}

export const isReady = (p: Pod) => getCondition(p.status?.conditions, 'Ready')?.status === 'True';
export const live = (pods: readonly Pod[]) => pods.filter((p) => p.metadata.deletionTimestamp === undefined);
