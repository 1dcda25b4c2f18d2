import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Namespace } from '@keelson/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer, servingCertificate, tokenAuthenticator } from '../src/index';
import { kubectl, kubectlPath, kubectlWatch, writeKubeconfig } from './kubectl';
import { startServer, TOKEN } from './serverHarness';

describe('the kubectl harness', () => {
  let dir: string;
  let kubeconfig: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubectl-harness-'));
    kubeconfig = await writeKubeconfig(dir, { server: 'http://127.0.0.1:9', token: 'unused' });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('extracts kubectl once and reuses it', async () => {
    const path = await kubectlPath();
    expect(path).toMatch(/\.tmp\/kubectl\/kubectl$/);
    expect(await kubectlPath()).toBe(path);
  }, 60_000);

  it('runs kubectl v1.32', async () => {
    const { code, stdout, stderr } = await kubectl(['version', '--client', '-o', 'json'], { kubeconfig });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).clientVersion).toMatchObject({ major: '1', minor: '32' });
  }, 60_000);

  it('reports a failing run as its exit code and stderr', async () => {
    const { code, stderr } = await kubectl(['frobnicate'], { kubeconfig });
    expect(code).toBe(1);
    expect(stderr).toMatch(/unknown command "frobnicate"/);
  }, 60_000);
});

describe('kubectl against the API server', () => {
  it('lists namespaces and watches them over TLS with the token', async () => {
    const fixture = await startServer();
    const server = createApiServer({
      store: fixture.store,
      authenticate: tokenAuthenticator({ [TOKEN]: { username: 'admin', groups: ['system:masters'] } }),
    });
    const tls = await servingCertificate();
    const { url } = await server.listen({ tls });
    const dir = await mkdtemp(join(tmpdir(), 'kubectl-harness-'));
    try {
      const kubeconfig = await writeKubeconfig(dir, { server: url, token: TOKEN, certificateAuthority: tls.cert });
      const { code, stdout, stderr } = await kubectl(['get', 'namespaces'], { kubeconfig });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toMatch(/^NAME\s+STATUS\s+AGE\n[\s\S]*default\s+Active/);
      const watch = await kubectlWatch(['get', 'namespaces', '-w', '--no-headers'], { kubeconfig });
      await watch.waitForOutput(/kube-system/);
      await fixture.store.create(Namespace, { metadata: { name: 'team-a' } });
      await watch.waitForOutput(/team-a/);
      await watch.stop();
    } finally {
      await server.close();
      await fixture.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
