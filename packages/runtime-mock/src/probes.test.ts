import { describe, expect, it } from 'vitest';
import { isProbeConnectionError } from './errors';
import { setup, track } from './testHarness';

const WEB = 'registry.example.com/web:1.0';

async function httpOutcome(promise: Promise<number>): Promise<number | string> {
  try {
    return await promise;
  } catch (error) {
    if (isProbeConnectionError(error)) return error.code;
    throw error;
  }
}

describe('simulated probes', () => {
  it('refuse connections until startupMs, then answer from the script as time passes', async () => {
    const { clock, run, runtime } = setup();
    const { containerId } = await run(
      WEB,
      {
        startupMs: 5_000,
        http: (path, _port, t) => (path === '/healthz' ? (t < 20_000 ? 200 : 500) : 404),
        tcp: (port) => port === 8080,
      },
      { start: false },
    );
    const http = () => httpOutcome(runtime.probeHttp(containerId, { path: '/healthz', port: 8080 }));
    expect(await http()).toBe('ECONNREFUSED');
    await runtime.startContainer(containerId);
    expect(await http()).toBe('ECONNREFUSED');
    expect(await runtime.probeTcp(containerId, 8080)).toBe(false);
    expect(runtime.inspectContainer(containerId)?.ready).toBe(false);

    await clock.advance(5_000);
    expect(await http()).toBe(200);
    expect(await runtime.probeHttp(containerId, { path: '/other', port: 8080 })).toBe(404);
    expect(await runtime.probeTcp(containerId, 8080)).toBe(true);
    expect(await runtime.probeTcp(containerId, 9090)).toBe(false);
    expect(runtime.inspectContainer(containerId)).toMatchObject({ ready: true, elapsedMs: 5_000 });

    await clock.advance(15_000);
    expect(await http()).toBe(500);

    runtime.faults.crash(containerId);
    expect(await http()).toBe('ECONNREFUSED');
    await runtime.removeContainer(containerId);
    expect(await http()).toBe('EHOSTUNREACH');
  });

  it('answer 200 and connect by default once started', async () => {
    const { run, runtime } = setup();
    const { containerId } = await run(WEB);
    expect(await runtime.probeHttp(containerId, { port: 80 })).toBe(200);
    expect(await runtime.probeTcp(containerId, 80)).toBe(true);
    expect(await httpOutcome(runtime.probeHttp('unknown', { port: 80 }))).toBe('EHOSTUNREACH');
  });

  it('time out on a hung container after the probe timeout', async () => {
    const { clock, run, runtime } = setup();
    const { containerId } = await run(WEB);
    runtime.faults.hang(containerId);
    const http = track(httpOutcome(runtime.probeHttp(containerId, { port: 80, timeoutMs: 2_000 })));
    const tcp = track(runtime.probeTcp(containerId, 80));
    await clock.advance(1_000);
    expect(tcp.value).toBe(false);
    expect(http.settled).toBe(false);
    await clock.advance(1_000);
    expect(http.value).toBe('ETIMEDOUT');
    expect(runtime.inspectContainer(containerId)).toMatchObject({ hung: true, ready: false });
  });

  it('keep answering while the runtime is down, and stop when the sandbox stops', async () => {
    const { run, runtime } = setup();
    const { containerId, sandboxId } = await run(WEB);
    runtime.faults.runtimeDown();
    expect(await runtime.probeHttp(containerId, { port: 80 })).toBe(200);
    runtime.faults.runtimeUp();
    await runtime.stopPodSandbox(sandboxId);
    expect(await httpOutcome(runtime.probeHttp(containerId, { port: 80 }))).toBe('EHOSTUNREACH');
  });
});
