/** The client-node code of docs/guides/kubectl.md, run by clientNodeGuide.test.ts. */
import { CoreV1Api, KubeConfig, makeInformer, type V1Pod } from '@kubernetes/client-node';

export async function clientNodeTour(url: string, cert: string, token: string) {
  // #region client-node
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'keelson', server: url, caData: Buffer.from(cert).toString('base64') }],
    users: [{ name: 'admin', token }],
    contexts: [{ name: 'keelson', cluster: 'keelson', user: 'admin', namespace: 'default' }],
    currentContext: 'keelson',
  });
  const core = config.makeApiClient(CoreV1Api);

  await core.createNamespacedPod({
    namespace: 'default',
    body: { metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
  });
  const pods = await core.listNamespacedPod({ namespace: 'default' });

  const informer = makeInformer(config, '/api/v1/namespaces/default/pods', () =>
    core.listNamespacedPod({ namespace: 'default' }),
  );
  const seen: string[] = [];
  informer.on('add', (pod: V1Pod) => seen.push(`added ${pod.metadata?.name}`));
  informer.on('update', (pod: V1Pod) => seen.push(`updated ${pod.metadata?.name}`));
  informer.on('delete', (pod: V1Pod) => seen.push(`deleted ${pod.metadata?.name}`));
  await informer.start();
  // #endregion
  return { core, pods, informer, seen };
}
