import { createServer, type Server, Socket } from 'node:net';

/** What the proxy does with the bytes of open connections. */
export type ProxyMode = 'pass' | 'drop-replies' | 'drop-requests';

/**
 * A loopback TCP proxy in front of etcd that can lose traffic on purpose:
 * `drop-replies` lets requests reach etcd but throws its answers away (an
 * append that lands while its answer is lost), `drop-requests` throws
 * requests away (an append that never lands). `reset()` then cuts every
 * connection, as a network failure would, and clients reconnect.
 */
export class TcpProxy {
  mode: ProxyMode = 'pass';
  /** Bytes thrown away in `drop-requests` mode since the last reset. */
  droppedRequestBytes = 0;
  private readonly pairs = new Set<[Socket, Socket]>();

  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => {
      const upstream = new Socket();
      const pair: [Socket, Socket] = [client, upstream];
      proxy?.pairs.add(pair);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        proxy?.pairs.delete(pair);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.on('data', (chunk) => {
        if (proxy?.mode !== 'drop-requests') upstream.write(chunk);
        else proxy.droppedRequestBytes += chunk.length;
      });
      upstream.on('data', (chunk) => {
        if (proxy?.mode !== 'drop-replies') client.write(chunk);
      });
      upstream.connect(targetPort, '127.0.0.1');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    proxy = new TcpProxy(server, `http://127.0.0.1:${port}`);
    return proxy;
  }

  /** Cuts every open connection (clients see them drop) and passes traffic again. */
  reset(): void {
    for (const [client, upstream] of this.pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    this.pairs.clear();
    this.mode = 'pass';
    this.droppedRequestBytes = 0;
  }

  async close(): Promise<void> {
    this.reset();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
