import { Deployment } from '@keelson/api';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebsites } from './cluster';
import { Website } from './website';
import { desiredDeployment } from './websiteController';

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
});

// #region test
describe('website controller', () => {
  it('creates a deployment for a website and reports what it observed', async () => {
    const { clock, store, manager } = await startWebsites();
    stop = () => manager.stop();
    await store.create(Website, { metadata: { name: 'blog', namespace: 'default' }, spec: { image: 'nginx:1.25' } });
    await clock.advance(0);

    const deployment = await store.get(Deployment, 'blog-web', { namespace: 'default' });
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Website', name: 'blog', controller: true });
    const site = await store.get(Website, 'blog', { namespace: 'default' });
    expect(site.status).toEqual({ observedGeneration: 1, deployment: 'blog-web' });
  });

  it('follows spec changes and puts back a deleted deployment', async () => {
    const { clock, store, manager } = await startWebsites();
    stop = () => manager.stop();
    await store.create(Website, { metadata: { name: 'blog', namespace: 'default' }, spec: { image: 'nginx:1.25' } });
    await clock.advance(0);
    await store.patch(
      Website,
      'blog',
      (w) => {
        w.spec.replicas = 3;
      },
      { namespace: 'default' },
    );
    await clock.advance(0);
    expect((await store.get(Deployment, 'blog-web', { namespace: 'default' })).spec.replicas).toBe(3);

    await store.delete(Deployment, 'blog-web', { namespace: 'default' });
    await clock.advance(0);
    expect((await store.get(Deployment, 'blog-web', { namespace: 'default' })).spec.replicas).toBe(3);
  });
});
// #endregion

describe('desiredDeployment', () => {
  it('is a pure function of the website', () => {
    const site = {
      apiVersion: 'example.dev/v1',
      kind: 'Website',
      metadata: { name: 'a', namespace: 'ns', uid: 'u', resourceVersion: '1', generation: 1, creationTimestamp: '' },
      spec: { image: 'img:1', replicas: 2 },
    } satisfies Website;
    expect(desiredDeployment(site)).toEqual(desiredDeployment(site));
    expect(desiredDeployment(site).spec.template.spec.containers[0]?.image).toBe('img:1');
  });
});
