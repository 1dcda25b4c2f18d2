import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { VirtualClock } from '@keelson/clock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { collect, runContainer, START } from './probeTestHarness';
import { type HealthTransition, watchHealth } from './watchHealth';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function listen(server: net.Server, port = 0): Promise<number> {
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('watchHealth against real sockets on a virtual clock', () => {
  it('follows an HTTP server through healthy, unhealthy (500) and healthy again', async () => {
    let status = 200;
    const server = http.createServer((_req, res) => {
      res.statusCode = status;
      res.end('ok');
    });
    const port = await listen(server);
    closers.push(() => close(server));
    const clock = new VirtualClock(START);

    const health = watchHealth(
      { host: '127.0.0.1' },
      { httpGet: { path: '/healthz', port }, periodSeconds: 1, failureThreshold: 2 },
      { clock },
    );
    const seen: HealthTransition[] = [];
    const subscription = health.subscribe((value) => seen.push(value));
    await clock.advance(0);
    expect(seen).toEqual([{ healthy: true, result: 'Success', at: START }]);

    status = 500;
    await clock.advance(1_000);
    expect(seen).toHaveLength(1);
    await clock.advance(1_000);
    expect(seen[1]).toEqual({
      healthy: false,
      result: 'Failure',
      at: START + 2_000,
      message: 'HTTP probe failed with statuscode: 500',
    });

    status = 200;
    await clock.advance(5_000);
    expect(seen.slice(2)).toEqual([{ healthy: true, result: 'Success', at: START + 3_000 }]);

    subscription.unsubscribe();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('follows a TCP server through healthy, unhealthy (closed) and healthy again', async () => {
    const connections = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      connections.add(socket);
      socket.on('close', () => connections.delete(socket));
    });
    const port = await listen(server);
    closers.push(async () => {
      if (server.listening) await close(server);
    });
    const clock = new VirtualClock(START);
    const seen = collect<HealthTransition>(
      watchHealth({ host: '127.0.0.1' }, { tcpSocket: { port }, periodSeconds: 2, failureThreshold: 1 }, { clock }),
    );
    await clock.advance(0);
    expect(seen).toEqual([{ healthy: true, result: 'Success', at: START }]);

    await close(server);
    await clock.advance(2_000);
    expect(seen[1]).toMatchObject({ healthy: false, result: 'Failure', at: START + 2_000 });
    expect(seen[1]?.message).toMatch(/^dial tcp 127\.0\.0\.1:\d+: .*ECONNREFUSED/);

    await listen(server, port);
    await clock.advance(4_000);
    expect(seen.slice(2)).toEqual([{ healthy: true, result: 'Success', at: START + 4_000 }]);
    // Each probe closes its connection at once (server.close above could only finish because of that).
    await vi.waitFor(() => expect(connections.size).toBe(0));
  });

  it('stops its timers when unsubscribed, and a liveness watch completes once unhealthy', async () => {
    const { clock, containerId, network } = await runContainer({ tcp: (_port, t) => t < 10_000 });
    const values: HealthTransition[] = [];
    let completed = false;
    watchHealth(
      { containerId, network },
      { tcpSocket: { port: 5432 }, periodSeconds: 5 },
      { clock, kind: 'liveness' },
    ).subscribe({ next: (value) => values.push(value), complete: () => (completed = true) });
    await clock.advance(60_000);
    expect(values.map(({ healthy, at }) => [healthy, at - START])).toEqual([
      [true, 0],
      [false, 20_000],
    ]);
    expect(completed).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('refuses a bad probe at once', () => {
    expect(() => watchHealth({}, { httpGet: { port: 80 }, successThreshold: 2 }, { kind: 'liveness' })).toThrow(
      /livenessProbe\.successThreshold: must be 1/,
    );
    expect(() => watchHealth({}, { tcpSocket: { port: 80 }, periodSeconds: -1 })).toThrow(/periodSeconds/);
  });
});
