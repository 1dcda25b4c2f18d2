import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl } from '../../../packages/apiserver/test/kubectl';
import { type RunningServer, startServer } from './server';

let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keelson-kubectl-server-'));
  server = await startServer({ kubeconfig: join(dir, 'kubeconfig'), port: 0 });
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

/** GET over HTTPS with the token, trusting nothing but the kubeconfig's certificate. */
function get(path: string, token = server.token): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, server.url), {
      headers: { authorization: `Bearer ${token}` },
      ca: server.certificateAuthority,
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the kubectl server example', () => {
  it('serves the Website kind in discovery', async () => {
    const { status, body } = await get('/apis/example.dev/v1');
    expect(status).toBe(200);
    expect(JSON.parse(body).resources).toContainEqual(
      expect.objectContaining({ name: 'websites', kind: 'Website', namespaced: true }),
    );
  });

  it('refuses a request with a wrong token', async () => {
    expect((await get('/apis/example.dev/v1', 'wrong')).status).toBe(401);
  });

  it('kubectl get websites prints the websites it wrote', async () => {
    const { code, stdout, stderr } = await kubectl(['get', 'websites'], { kubeconfig: server.kubeconfig });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^NAME\s+AGE\n/);
    expect(stdout).toMatch(/^blog\s/m);
    expect(stdout).toMatch(/^shop\s/m);
  }, 60_000);

  it('kubectl sees the status the controller wrote and its own patches', async () => {
    const run = (args: string[]) => kubectl(args, { kubeconfig: server.kubeconfig });
    await expect
      .poll(async () => (await run(['get', 'website', 'blog', '-o', 'jsonpath={.status.url}'])).stdout)
      .toBe('https://blog.default.example.dev/');
    const patched = await run(['patch', 'website', 'blog', '--type=merge', '-p', '{"spec":{"replicas":3}}']);
    expect(patched.stdout).toBe('website.example.dev/blog patched\n');
    await expect
      .poll(async () => (await run(['get', 'website', 'blog', '-o', 'jsonpath={.status.observedGeneration}'])).stdout)
      .toBe('2');
  }, 60_000);
});
