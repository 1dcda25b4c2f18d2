import { VirtualClock } from '@keelson/clock';
import { createMemoryLogger } from '@keelson/core';
import {
  CoreV1Api,
  KubeConfig,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type V1Pod,
} from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { servingCertificate } from '../src/index';
import { type ServerFixture, startServer, TOKEN } from './serverHarness';

let s: ServerFixture;
let core: CoreV1Api;
let config: KubeConfig;
let requests: string[];

beforeEach(async () => {
  requests = [];
  const logger = createMemoryLogger((line) => {
    if (line.message === 'request') requests.push(String(line.fields.path));
  });
  s = await startServer({ logger });
  // client-node, like kubectl, is pointed at an HTTPS server with the server's own certificate as its CA.
  const tls = await servingCertificate();
  await s.server.close();
  const { url } = await s.server.listen({ tls });
  config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'keelson', server: url, caData: Buffer.from(tls.cert).toString('base64') }],
    users: [{ name: 'admin', token: TOKEN }],
    contexts: [{ name: 'keelson', cluster: 'keelson', user: 'admin', namespace: 'default' }],
    currentContext: 'keelson',
  });
  core = config.makeApiClient(CoreV1Api);
});
afterEach(async () => {
  await s.close();
});

const pod = (name: string): V1Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
});

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('@kubernetes/client-node against the API server', () => {
  it('creates, reads, lists, patches and deletes', async () => {
    const created = await core.createNamespacedPod({ namespace: 'default', body: pod('web') });
    expect(created.metadata?.uid).toBeTruthy();
    const read = await core.readNamespacedPod({ name: 'web', namespace: 'default' });
    expect(read.spec?.containers[0]?.image).toBe('nginx:1.27');
    const list = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' });
    expect(list.items.map((p) => p.metadata?.name)).toEqual(['web']);

    const jsonPatched = await core.patchNamespacedPod({
      name: 'web',
      namespace: 'default',
      body: [{ op: 'add', path: '/metadata/labels/tier', value: 'front' }],
    });
    expect(jsonPatched.metadata?.labels).toEqual({ app: 'web', tier: 'front' });
    const mergePatched = await core.patchNamespacedPod(
      { name: 'web', namespace: 'default', body: { metadata: { annotations: { note: 'hi' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(mergePatched.metadata?.annotations).toEqual({ note: 'hi' });

    await expect(core.createNamespacedPod({ namespace: 'default', body: pod('web') })).rejects.toMatchObject({
      code: 409,
    });
    await core.deleteNamespacedPod({ name: 'web', namespace: 'default' });
    await expect(core.readNamespacedPod({ name: 'web', namespace: 'default' })).rejects.toMatchObject({ code: 404 });
  });

  it("keeps an informer's cache in step through adds, updates and deletes, and relists after a 410", async () => {
    const informer = makeInformer(config, '/api/v1/namespaces/default/pods', () =>
      core.listNamespacedPod({ namespace: 'default' }),
    );
    const seen: string[] = [];
    informer.on('add', (p) => seen.push(`add ${p.metadata?.name}`));
    informer.on('update', (p) => seen.push(`update ${p.metadata?.name}`));
    informer.on('delete', (p) => seen.push(`delete ${p.metadata?.name}`));
    await core.createNamespacedPod({ namespace: 'default', body: pod('a') });
    await informer.start();
    await until(() => seen.includes('add a'), 'the listed pod');
    await core.createNamespacedPod({ namespace: 'default', body: pod('b') });
    await core.patchNamespacedPod({
      name: 'b',
      namespace: 'default',
      body: [{ op: 'add', path: '/metadata/labels/x', value: 'y' }],
    });
    await core.deleteNamespacedPod({ name: 'a', namespace: 'default' });
    await until(() => seen.includes('delete a'), 'the delete');
    expect(seen).toEqual(['add a', 'add b', 'update b', 'delete a']);

    // History compacted past the informer's revision (a write to another kind moved the store on);
    // the server ends its watch on the store's clock, the re-watch is a 410 and the informer relists.
    let errors = 0;
    informer.on('error', () => errors++);
    await core.createNamespace({ body: { metadata: { name: 'elsewhere' } } });
    await s.store.compact(s.store.revision);
    const before = requests.length;
    await (s.store.clock as VirtualClock).advance(1800_000);
    const relisted = () =>
      requests
        .slice(before)
        .some((path) => path.startsWith('/api/v1/namespaces/default/pods') && !path.includes('watch'));
    await until(relisted, 'the relist after the 410');
    await core.createNamespacedPod({ namespace: 'default', body: pod('d') });
    await until(() => seen.includes('add d'), 'the add of d after the relist');
    expect(
      informer
        .list('default')
        .map((p) => p.metadata?.name)
        .sort(),
    ).toEqual(['b', 'd']);
    expect(errors).toBe(0);
    await informer.stop();
    expect(s.store.clock).toBeInstanceOf(VirtualClock);
  });
});
