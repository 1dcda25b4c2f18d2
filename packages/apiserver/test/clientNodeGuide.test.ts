import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { servingCertificate } from '../src/index';
import { clientNodeTour } from './clientNodeGuide';
import { type ServerFixture, startServer, TOKEN } from './serverHarness';

let s: ServerFixture;
beforeEach(async () => {
  s = await startServer();
});
afterEach(async () => {
  await s.close();
});

describe("the kubectl guide's client-node code", () => {
  it('creates and lists a pod over HTTPS, and its informer sees adds and deletes', async () => {
    const tls = await servingCertificate();
    await s.server.close();
    const { url } = await s.server.listen({ tls });
    const { core, pods, informer, seen } = await clientNodeTour(url, tls.cert, TOKEN);
    try {
      expect(pods.items.map((p) => p.metadata?.name)).toEqual(['web']);
      await expect.poll(() => seen).toContain('added web');
      await core.deleteNamespacedPod({ name: 'web', namespace: 'default', gracePeriodSeconds: 0 });
      await expect.poll(() => seen).toContain('deleted web');
    } finally {
      await informer.stop();
    }
  });
});
