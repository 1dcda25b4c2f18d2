/**
 * A kubeconfig for one Keelson API server: what `keelson serve` writes and
 * tests hand to kubectl or `@kubernetes/client-node`.
 */
import { stringify } from 'yaml';

/** What {@link kubeconfigYaml} puts in the file. */
export interface KubeconfigOptions {
  /** The API server's URL, such as `https://127.0.0.1:6443`. */
  server: string;
  /**
   * The PEM certificate kubectl trusts for an `https://` server (a self-signed
   * serving certificate is its own CA), kept as `certificate-authority-data`.
   */
  certificateAuthority?: string;
  /**
   * The bearer token the user sends; without one the user has no credentials
   * (an `--anonymous` server). kubectl sends it only to an `https://` server.
   */
  token?: string;
  /** The cluster's name in the file (default `keelson`). */
  cluster?: string;
  /** The user's name in the file (default `keelson-admin`). */
  user?: string;
  /** The context's name, which is also the current context (default `keelson`). */
  context?: string;
  /** The context's default namespace (default: none, which kubectl reads as `default`). */
  namespace?: string;
}

/**
 * A kubeconfig (apiVersion v1, kind Config) with one cluster, one user and
 * one context, current.
 *
 * @example
 * ```ts
 * const tls = await servingCertificate();
 * const { url } = await server.listen({ tls });
 * await writeFile('kubeconfig', kubeconfigYaml({ server: url, certificateAuthority: tls.cert, token }), { mode: 0o600 });
 * ```
 */
export function kubeconfigYaml(options: KubeconfigOptions): string {
  const cluster = options.cluster ?? 'keelson';
  const user = options.user ?? 'keelson-admin';
  const context = options.context ?? 'keelson';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: cluster,
        cluster: {
          server: options.server,
          ...(options.certificateAuthority === undefined
            ? {}
            : { 'certificate-authority-data': Buffer.from(options.certificateAuthority).toString('base64') }),
        },
      },
    ],
    users: [{ name: user, user: options.token === undefined ? {} : { token: options.token } }],
    contexts: [
      {
        name: context,
        context: { cluster, user, ...(options.namespace === undefined ? {} : { namespace: options.namespace }) },
      },
    ],
    'current-context': context,
    preferences: {},
  });
}
