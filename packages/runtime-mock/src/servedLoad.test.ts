import { describe, expect, it } from 'vitest';
import { START, setup } from './testHarness';

const WEB = 'registry.example.com/web:1.0';
const stats = async (runtime: ReturnType<typeof setup>['runtime'], id: string) =>
  (await runtime.containerStats(id)).cpu;

describe('served load', () => {
  it('adds the CPU of the requests a container serves to its stats, from when it is set until it ends', async () => {
    const { clock, run, runtime } = setup();
    const { containerId } = await run(WEB, { cpuNanoCores: 10e6 });
    await clock.advance(10_000);
    const target = { namespace: 'default', pod: 'pod-1', container: 'main', source: 'default/web' };
    // 0–10 s: 10m scripted. Then 40 requests/s at 5m each on top: 210m.
    runtime.setServedLoad(target, { requestsPerSecond: () => 40, nanoCoresPerRequest: 5e6 });
    expect((await stats(runtime, containerId))?.usageNanoCores).toBe(210e6);
    expect(runtime.servedLoad(containerId)).toEqual({ requestsPerSecond: 40, nanoCores: 200e6 });
    await clock.advance(10_000);
    expect((await stats(runtime, containerId))?.usageCoreNanoSeconds).toBe(BigInt(20 * 10e6 + 10 * 200e6));
    // A rate that follows the clock: 0 → 100 req/s over the next 10 s (left sums on whole seconds).
    const from = clock.now();
    runtime.setServedLoad(target, { requestsPerSecond: (now) => (now - from) / 100, nanoCoresPerRequest: 1e6 });
    await clock.advance(10_000);
    const ramp = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90].reduce((a, r) => a + r * 1e6, 0);
    expect((await stats(runtime, containerId))?.usageCoreNanoSeconds).toBe(BigInt(30 * 10e6 + 10 * 200e6 + ramp));
    runtime.setServedLoad(target, undefined);
    expect((await stats(runtime, containerId))?.usageNanoCores).toBe(10e6);
    expect(clock.now()).toBe(START + 30_000);
  });

  it('fails the HTTP probes the script names while overloaded, and recovers when the load drops', async () => {
    const { run, runtime } = setup();
    const { containerId } = await run(WEB, { overload: { requestsPerSecond: 50, paths: ['/ready'] } });
    const target = { namespace: 'default', pod: 'pod-1', container: 'main', source: 'lb' };
    let rps = 80;
    runtime.setServedLoad(target, { requestsPerSecond: () => rps, nanoCoresPerRequest: 1e6 });
    expect(await runtime.probeHttp(containerId, { path: '/ready', port: 80 })).toBe(503);
    expect(await runtime.probeHttp(containerId, { path: '/healthz', port: 80 })).toBe(200);
    rps = 30;
    expect(await runtime.probeHttp(containerId, { path: '/ready', port: 80 })).toBe(200);
  });

  it('refuses a cost that is not a number, naming the field', async () => {
    const { runtime } = setup();
    const target = { namespace: 'default', pod: 'p', container: 'c', source: 's' };
    expect(() =>
      runtime.setServedLoad(target, { requestsPerSecond: () => 1, nanoCoresPerRequest: Number.NaN }),
    ).toThrow('nanoCoresPerRequest must be a finite number >= 0');
  });
});
