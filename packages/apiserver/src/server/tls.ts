import { isIP } from 'node:net';
import { generate } from 'selfsigned';

/** A serving certificate and its key, PEM-encoded. */
export interface ServingCertificate {
  /** The private key (PKCS #8 PEM). */
  key: string;
  /** The certificate (PEM): also the CA a kubeconfig trusts (`certificate-authority-data`), as it signs itself. */
  cert: string;
}

/**
 * A self-signed certificate for serving on `hosts` (default `127.0.0.1`,
 * `::1` and `localhost`), valid for a year from the machine's real time —
 * TLS clients check it against their own clock. kubectl sends a bearer
 * token only over TLS, so `keelson serve` listens with one of these.
 *
 * @example
 * ```ts
 * const tls = await servingCertificate();
 * const { url } = await server.listen({ port: 6443, tls });
 * ```
 */
export async function servingCertificate(
  hosts: readonly string[] = ['127.0.0.1', '::1', 'localhost'],
): Promise<ServingCertificate> {
  // Real wall time on purpose: kubectl checks the validity window against its own clock, so a
  // virtual clock's time would make the certificate not yet (or no longer) valid.
  const now = new Date();
  const result = await generate([{ name: 'commonName', value: 'keelson-apiserver' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + 365 * 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: hosts.map((host) =>
          isIP(host) === 0 ? { type: 2 as const, value: host } : { type: 7 as const, ip: host },
        ),
      },
    ],
  });
  return { key: result.private, cert: result.cert };
}
