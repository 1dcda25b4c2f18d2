import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Event, Pod as PodKind } from '@keelson/api';
import { afterEach, describe, expect, it } from 'vitest';
import { runPreStop } from './preStop';
import { type Harness, startHarness } from './testHarness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.agent.stop();
  h = undefined;
});

const reasons = (events: readonly Event[]) =>
  events.filter((e) => e.involvedObject.name === 'web').map((e) => e.reason ?? '');

describe('httpGet lifecycle hooks', () => {
  it('a preStop GET the image answers 200 lets the stop proceed without a warning; its path and named port reach the image', async () => {
    h = await startHarness(undefined, { events: true });
    const asked: string[] = [];
    h.registry.add('web:1.0', {
      behaviour: {
        http: (path, port) => {
          asked.push(`${port}${path}`);
          return 200;
        },
      },
    });
    await h.runPod('web', [
      {
        name: 'web',
        image: 'web:1.0',
        ports: [{ name: 'admin', containerPort: 9000 }],
        lifecycle: { preStop: { httpGet: { path: '/drain', port: 'admin' } } },
      },
    ]);
    await h.store.delete(PodKind, 'web', { namespace: 'default' });
    await h.advance(0);
    expect(asked).toEqual(['9000/drain']);
    expect(reasons(await h.events())).not.toContain('FailedPreStopHook');
  });

  it('a preStop GET answered 500 is a FailedPreStopHook warning, and the container still stops', async () => {
    h = await startHarness(undefined, { events: true });
    h.registry.add('web:1.0', { behaviour: { http: () => 500 } });
    await h.runPod('web', [
      { name: 'web', image: 'web:1.0', lifecycle: { preStop: { httpGet: { path: '/drain', port: 8080 } } } },
    ]);
    await h.store.delete(PodKind, 'web', { namespace: 'default' });
    await h.advance(0);
    expect(reasons(await h.events())).toEqual(expect.arrayContaining(['Killing', 'FailedPreStopHook']));
  });

  it('a failing postStart GET kills the container (FailedPostStartHook)', async () => {
    h = await startHarness(undefined, { events: true });
    h.registry.add('web:1.0', { behaviour: { http: () => 503 } });
    await h.runPod(
      'web',
      [{ name: 'web', image: 'web:1.0', lifecycle: { postStart: { httpGet: { path: '/warm', port: 8080 } } } }],
      { restartPolicy: 'Never' },
    );
    await h.advance(0);
    expect(reasons(await h.events())).toEqual(expect.arrayContaining(['FailedPostStartHook', 'Killing']));
  });

  it('without a simulated network, the hook really GETs the path from a real server', async () => {
    const paths: string[] = [];
    const server = createServer((request, response) => {
      paths.push(request.url ?? '');
      response.writeHead(request.url === '/ok' ? 204 : 500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const { systemClock } = await import('@keelson/clock');
      const ctx = { runtime: {} as never, clock: systemClock };
      const container = (path: string) =>
        ({ name: 'web', image: 'x', lifecycle: { preStop: { httpGet: { path, port, host: '127.0.0.1' } } } }) as never;
      expect(await runPreStop(ctx, container('/ok'), 'id', 10)).toEqual({ grace: 10 });
      const failed = await runPreStop(ctx, container('/bad'), 'id', 10);
      expect(failed.failure).toMatch(/^HTTP lifecycle hook \(\/bad\) for Container "web" failed - error: /);
      expect(paths).toEqual(['/ok', '/bad']);
    } finally {
      server.close();
    }
  });
});
