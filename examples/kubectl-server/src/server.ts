import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createClusterStore } from '@keelson/api';
import { createApiServer, kubeconfigYaml, servingCertificate, tokenAuthenticator } from '@keelson/apiserver';
import type { Store } from '@keelson/core';
import type { Subscription } from 'rxjs';
import { Website } from './website';

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** Where the kubeconfig is written (directories made, mode 0600). */
  kubeconfig: string;
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /** The bearer token of user `admin` (default: 32 random hex characters). */
  token?: string;
}

/** A running server: its store, its URL, the kubeconfig that points kubectl at it. */
export interface RunningServer {
  store: Store;
  url: string;
  kubeconfig: string;
  token: string;
  /** The server's self-signed certificate, which the kubeconfig trusts. */
  certificateAuthority: string;
  close(): Promise<void>;
}

// #region controller
/** A tiny controller: every website gets a status saying where it answers. */
function publishUrls(store: Store): Subscription {
  return store.watch(Website).subscribe((event) => {
    if (event.type !== 'ADDED' && event.type !== 'MODIFIED') return;
    const site = event.object;
    if (site.status?.observedGeneration === site.metadata.generation) return;
    const url = `https://${site.metadata.name}.${site.metadata.namespace}.example.dev/`;
    store.updateStatus({ ...site, status: { observedGeneration: site.metadata.generation, url } }).catch(() => {}); // a newer version came in meanwhile: its own event follows
  });
}
// #endregion

/** Opens a store with Website beside the built-in kinds, writes two websites and serves it all over HTTPS. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  // #region serve
  const store = await createClusterStore({ types: [Website] });
  const controller = publishUrls(store);
  for (const [name, image] of [
    ['blog', 'nginx:1.27'],
    ['shop', 'caddy:2.8'],
  ] as const) {
    await store.create(Website, { metadata: { name, namespace: 'default' }, spec: { image, replicas: 2 } });
  }

  const token = options.token ?? randomBytes(16).toString('hex');
  const server = createApiServer({
    store,
    authenticate: tokenAuthenticator({ [token]: { username: 'admin', groups: ['system:masters'] } }),
  });
  const tls = await servingCertificate(); // kubectl sends a bearer token only over HTTPS
  const { url } = await server.listen({ port: options.port ?? 0, tls });
  await mkdir(dirname(options.kubeconfig), { recursive: true });
  await writeFile(options.kubeconfig, kubeconfigYaml({ server: url, token, certificateAuthority: tls.cert }), {
    mode: 0o600,
  });
  // #endregion

  return {
    store,
    url,
    kubeconfig: options.kubeconfig,
    token,
    certificateAuthority: tls.cert,
    async close() {
      await server.close();
      controller.unsubscribe();
      await store.close();
    },
  };
}
