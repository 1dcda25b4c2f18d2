import { ConfigMap } from '@keelson/api';
import { createTestCluster } from '@keelson/testing';

export async function configMapVolume() {
  // #region configmap
  const cluster = await createTestCluster({
    nodes: 1,
    images: { 'app:1': { behaviour: { files: [{ atMs: 1_000, path: '/work/started', content: 'yes' }] } } },
  });
  await cluster.apply([
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app' }, data: { mode: 'fast' } },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'app' },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'app:1',
            volumeMounts: [
              { name: 'config', mountPath: '/etc/app' },
              { name: 'work', mountPath: '/work' },
            ],
          },
        ],
        volumes: [
          { name: 'config', configMap: { name: 'app' } },
          { name: 'work', emptyDir: {} },
        ],
      },
    },
  ]);
  await cluster.advance('10s');
  const files = await cluster.files('app'); // what the container sees
  const before = files.read('/etc/app/mode'); // 'fast'
  const started = files.read('/work/started'); // 'yes', written by the scripted container
  await cluster.store.patch(ConfigMap, 'app', (d) => void Object.assign(d, { data: { mode: 'safe' } }), {
    namespace: 'default',
  });
  await cluster.advance('1m'); // the node agent refreshes configMap volumes every 60 s
  const after = files.read('/etc/app/mode'); // 'safe'
  // #endregion
  await cluster.close();
  return { before, started, after };
}
