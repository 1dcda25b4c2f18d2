import { Deployment, getCondition, Pod, Service } from '@keelson/api';
import { createTestCluster, reconcilerSpec, type TestCluster } from '@keelson/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { WebApp, webAppController } from './webApp';

// #region cluster
let cluster: TestCluster;
afterEach(() => cluster?.close());

async function start(nodes = 3) {
  cluster = await createTestCluster({
    nodes,
    seed: 42,
    types: [WebApp], // our kind, beside the built-in ones
    extra: [webAppController], // our controller, beside the built-in ones
    images: { 'shop:1': { pullMs: 2_000, behaviour: { startupMs: 3_000 } } },
  });
  return cluster;
}

const SHOP = `
apiVersion: example.dev/v1
kind: WebApp
metadata: { name: shop }
spec: { image: 'shop:1', replicas: 3 }
`;

const ready = (pod: Pod) => getCondition(pod.status?.conditions, 'Ready')?.status === 'True';
const available = async (c: TestCluster) => (await c.get(WebApp, 'shop', 'default')).status?.availableReplicas;
// #endregion

describe('WebApp on a whole cluster', () => {
  // #region happy-path
  it('runs a WebApp as a Deployment behind a Service and reports it Available', async () => {
    const c = await start();
    await c.apply(SHOP);
    await c.waitFor(async () => (await available(c)) === 3, { timeout: '2m', description: '3 available' });

    const app = await c.get(WebApp, 'shop', 'default');
    expect(app.status?.phase).toBe('Available');
    expect((await c.get(Service, 'shop', 'default')).spec.ports?.[0]?.port).toBe(80);
    const pods = await c.list(Pod);
    expect(pods.filter(ready)).toHaveLength(3);
    expect(new Set(pods.map((p) => p.spec.nodeName)).size).toBe(3); // spread by the scheduler
  });
  // #endregion

  // #region faults
  it('recovers when a node dies: its pods come back on the nodes left', async () => {
    const c = await start();
    await c.apply(SHOP);
    await c.waitFor(async () => (await available(c)) === 3, { timeout: '2m' });

    await c.faults.stopNode('node-1'); // heartbeats stop; after 50 s the node is Unknown
    await c.waitFor(async () => (await available(c)) === 2, { timeout: '2m' });
    await c.waitFor(
      async () => {
        const pods = (await c.list(Pod)).filter((p) => !p.metadata.deletionTimestamp && ready(p));
        return pods.length === 3 && pods.every((p) => p.spec.nodeName !== 'node-1');
      },
      { timeout: '10m', description: '3 ready pods off node-1' }, // evicted after the 300 s toleration
    );
    await c.waitFor(async () => (await available(c)) === 3, { timeout: '1m' });
  });

  it('a failing readiness probe takes a pod out of the count until it passes again', async () => {
    const c = await start();
    await c.apply(SHOP);
    await c.waitFor(async () => (await available(c)) === 3, { timeout: '2m' });

    const [victim] = await c.list(Pod);
    await c.faults.failProbe({ pod: victim?.metadata.name ?? '', probe: 'readiness', for: '30s' });
    await c.waitFor(async () => (await available(c)) === 2, { timeout: '30s' });
    await c.waitFor(async () => (await available(c)) === 3, { timeout: '1m' });
  });
  // #endregion

  it('deleting a WebApp deletes what it owns: the garbage collector follows the ownerReferences', async () => {
    const c = await start();
    await c.apply(SHOP);
    await c.waitFor(async () => (await available(c)) === 3, { timeout: '2m' });

    await c.delete(WebApp, 'shop');
    await c.waitFor(
      async () =>
        (await c.list(Deployment)).length === 0 &&
        (await c.list(Service)).length === 0 &&
        (await c.list(Pod)).length === 0,
      { timeout: '2m', description: 'nothing of the shop left' },
    );
  });
});

// #region spec
describe('webAppController, one reconcile at a time', () => {
  const shop = { metadata: { name: 'shop', namespace: 'default' }, spec: { image: 'shop:1', replicas: 3 } };

  it('creates the Deployment and the Service of a new WebApp, and says it is Progressing', async () => {
    await reconcilerSpec(webAppController, { types: [WebApp] })
      .given([{ apiVersion: 'example.dev/v1', kind: 'WebApp', ...shop }])
      .when({ name: 'shop', namespace: 'default' })
      .then(async ({ writes, store }) => {
        expect(writes.map((w) => `${w.verb} ${w.kind}`)).toEqual([
          'create Deployment',
          'create Service',
          'update WebApp',
        ]);
        const deployment = await store.get(Deployment, 'shop', { namespace: 'default' });
        expect(deployment.spec.replicas).toBe(3);
        expect((await store.get(WebApp, 'shop', { namespace: 'default' })).status?.phase).toBe('Progressing');
      });
    // The spec then reconciles again and fails if that second pass writes anything.
  });
});
// #endregion
