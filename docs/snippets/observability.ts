import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestCluster } from '@keelson/testing';
import { Registry } from 'prom-client';

export async function scrapeACluster(): Promise<string> {
  // #region scrape
  const registry = new Registry(); // the app's own: nothing goes to prom-client's global one
  const cluster = await createTestCluster({ nodes: 2, metricsRegistry: registry });
  await cluster.apply({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } },
    },
  });
  await cluster.settle();

  // Serve it as Prometheus scrapes it.
  const server = createServer(async (_request, response) => {
    response.setHeader('Content-Type', registry.contentType);
    response.end(await registry.metrics());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  // #endregion
  server.close();
  await cluster.close();
  return text;
}
