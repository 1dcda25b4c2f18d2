import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@keelson/clock';
import { createTestCluster, type TestCluster } from '@keelson/testing';
import { type ApiServerOptions, createApiServer, servingCertificate, tokenAuthenticator } from '../src/index';
import { type KubectlResult, kubectl, writeKubeconfig } from './kubectl';

/** A cluster on the system clock behind an HTTPS API server, and kubectl pointed at it. */
export interface KubectlCluster {
  cluster: TestCluster;
  url: string;
  run(args: readonly string[], stdin?: string): Promise<KubectlResult>;
  /** Runs kubectl and fails with its output unless it exits 0. */
  ok(args: readonly string[], stdin?: string): Promise<string>;
  kubeconfig: string;
  close(): Promise<void>;
}

export const TOKEN = 'kubectl-test-token';

export async function kubectlCluster(
  options: Pick<ApiServerOptions, 'authorize'> & {
    images?: Parameters<typeof createTestCluster>[0] extends infer O
      ? O extends { images?: infer I }
        ? I
        : never
      : never;
  } = {},
): Promise<KubectlCluster> {
  const cluster = await createTestCluster({
    nodes: 3,
    clock: systemClock,
    ...(options.images ? { images: options.images } : {}),
  });
  const server = createApiServer({
    store: cluster.store,
    authenticate: tokenAuthenticator({ [TOKEN]: { username: 'admin', groups: ['system:masters'] } }),
    podLogs: cluster.podLogs,
    ...(options.authorize ? { authorize: options.authorize } : {}),
  });
  const tls = await servingCertificate();
  const { url } = await server.listen({ tls });
  const dir = await mkdtemp(join(tmpdir(), 'keelson-kubectl-test-'));
  const kubeconfig = await writeKubeconfig(dir, { server: url, token: TOKEN, certificateAuthority: tls.cert });
  const run = (args: readonly string[], stdin?: string) =>
    kubectl(args, { kubeconfig, timeoutMs: 30_000, ...(stdin === undefined ? {} : { stdin }) });
  return {
    cluster,
    url,
    kubeconfig,
    run,
    async ok(args, stdin) {
      const result = await run(args, stdin);
      if (result.code !== 0) {
        throw new Error(`kubectl ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
      }
      return result.stdout;
    },
    async close() {
      await server.close();
      await cluster.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
