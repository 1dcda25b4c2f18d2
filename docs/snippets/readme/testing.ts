// #region example
import { Pod } from '@keelson/api';
import { createTestCluster } from '@keelson/testing';

export async function nodeLoss(deploymentYaml: string) {
  const cluster = await createTestCluster({ nodes: 3, seed: 42 }); // virtual time, mock runtimes
  await cluster.apply(deploymentYaml); // an object, a list or multi-document YAML
  await cluster.waitFor(async (c) => (await c.list(Pod)).length === 3, { timeout: '2m' });
  await cluster.faults.stopNode('node-1'); // Unknown after 50 s, its pods evicted after 300 s
  const running = async () => (await cluster.list(Pod)).filter((p) => !p.metadata.deletionTimestamp);
  await cluster.waitFor(async () => (await running()).filter((p) => p.spec.nodeName !== 'node-1').length === 3, {
    timeout: '10m',
  });
  const pods = await running(); // 3 again, on node-2 and node-3
  await cluster.close();
  return pods;
}
// #endregion
