import { request } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { servingCertificate } from '../src/index';
import { type ServerFixture, startServer, TOKEN } from './serverHarness';

let s: ServerFixture | undefined;
afterEach(async () => {
  await s?.close();
});

function get(url: string, ca: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serving over TLS', () => {
  it('listens with a self-signed certificate that a client trusting it verifies', async () => {
    const tls = await servingCertificate();
    s = await startServer();
    await s.server.close();
    const { url } = await s.server.listen({ tls });
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await get(`${url}/api/v1/namespaces`, tls.cert, TOKEN);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).items.map((n: { metadata: { name: string } }) => n.metadata.name)).toContain(
      'default',
    );
    // A client that does not trust the certificate refuses the connection.
    const other = await servingCertificate();
    await expect(get(`${url}/version`, other.cert)).rejects.toThrow();
  });
});
