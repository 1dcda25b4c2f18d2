import { VirtualClock } from '@keelson/clock';
import type { ContainerEventResponse, PodSandboxConfig } from '@keelson/cri';
import { describe, expect, it } from 'vitest';
import { createMockRuntime } from './createMockRuntime';
import { createImageRegistry } from './MockRegistry';
import { START } from './testHarness';

const MiB = 1024 * 1024;
const WEB = 'registry.example.com/web:1.0';
const JOB = 'registry.example.com/job:1.0';
const NGINX = 'nginx:1.25';

function json(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Uint8Array) return new TextDecoder().decode(v);
    return v;
  });
}

/** A scripted run touching every moving part; returns a dump of everything observable. */
async function scenario(seed: number): Promise<string> {
  const clock = new VirtualClock(START);
  const registry = createImageRegistry();
  registry.add(WEB, {
    pullMs: 1_500,
    behaviour: {
      startupMs: 2_000,
      http: (_path, _port, t) => (t < 30_000 ? 200 : 503),
      memoryBytes: (t) => 20 * MiB + t * 500,
      cpuNanoCores: (t) => 1e8 + (t % 1_000) * 1_000,
      exec: (cmd, t) => ({ exitCode: 0, stdout: `${cmd.join(' ')} at ${t}` }),
    },
  });
  registry.add(JOB, { pullMs: 700, behaviour: { exitAfterMs: 4_000, exitCode: 2 } });
  registry.add(NGINX, { behaviour: { shutdownMs: 10_000 } });
  registry.fail(JOB, { kind: 'outage', times: 1 });
  const runtime = createMockRuntime({ clock, registry, seed });

  const streamed: ContainerEventResponse[] = [];
  void (async () => {
    for await (const event of runtime.getContainerEvents()) streamed.push(event);
  })();
  const log: unknown[] = [];
  const note = async (label: string, call: () => Promise<unknown>) => {
    try {
      log.push([label, clock.now(), await call()]);
    } catch (error) {
      log.push([label, clock.now(), (error as { code?: string }).code]);
    }
  };

  const pulls = Promise.allSettled([WEB, JOB, NGINX].map((image) => runtime.pullImage({ image })));
  await clock.advance(2_000);
  log.push((await pulls).map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as { code: string }).code)));
  const retry = runtime.pullImage({ image: JOB });
  await clock.advance(700);
  await note('retry', () => retry);

  const ids: Record<string, { sandbox: string; container: string }> = {};
  for (const [name, image, limit] of [
    ['web', WEB, 40 * MiB],
    ['job', JOB, 0],
    ['nginx', NGINX, 0],
  ] as const) {
    const config: PodSandboxConfig = { metadata: { name, uid: `uid-${name}`, namespace: 'default', attempt: 0 } };
    const sandbox = await runtime.runPodSandbox(config);
    const container = await runtime.createContainer(
      sandbox,
      { metadata: { name, attempt: 0 }, image: { image }, linux: { resources: { memoryLimitInBytes: limit } } },
      config,
    );
    await runtime.startContainer(container);
    ids[name] = { sandbox, container };
    await clock.advance(250);
  }
  const web = ids.web?.container ?? '';
  const nginx = ids.nginx?.container ?? '';
  await note('probe early', () => runtime.probeHttp(web, { port: 80 }));
  await clock.advance(3_000);
  await note('probe ready', () => runtime.probeHttp(web, { port: 80 }));
  await note('exec', () => runtime.execSync(web, ['cat', '/status'], 1));
  await note('stats', () => runtime.containerStats(web));
  runtime.faults.hang(nginx);
  const stop = runtime.stopContainer(nginx, 5);
  await clock.advance(5_000);
  await note('stop hung', () => stop);
  await clock.advance(60_000);
  await note('list', () => runtime.listContainers());
  await runtime.removePodSandbox(ids.job?.sandbox ?? '');
  await clock.advance(0);

  return json({
    log,
    streamed,
    history: runtime.eventHistory(),
    pulls: runtime.pullHistory(),
    snapshot: runtime.snapshot(),
    stats: await runtime.listPodSandboxStats(),
  });
}

describe('determinism', () => {
  it('gives the same ids, events and statuses byte for byte for the same seed and calls', async () => {
    const first = await scenario(42);
    const second = await scenario(42);
    expect(second).toBe(first);

    const dump = JSON.parse(first) as { snapshot: { containers: { id: string; reason: string }[] } };
    expect(dump.snapshot.containers.map((c) => c.reason)).toEqual(['OOMKilled', 'Error']);
    for (const { id } of dump.snapshot.containers) expect(id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives other ids for another seed', async () => {
    const [a, b] = [await scenario(42), await scenario(43)];
    expect(a).not.toBe(b);
    const strip = (dump: string) => dump.replace(/[0-9a-f]{64}/g, 'ID');
    expect(strip(a)).toBe(strip(b));
  });
});
