import { builtinAdmission, builtinTypes, Event, ensureSystemNamespaces, getCondition, Node, Pod } from '@keelson/api';
import { createRandom, VirtualClock } from '@keelson/clock';
import { createStore } from '@keelson/core';
import { createNodeLifecycleController } from '@keelson/health';
import { createNodeAgent } from '@keelson/node-agent';
import { createImageRegistry, createMockRuntime } from '@keelson/runtime-mock';
import { createScheduler } from '@keelson/scheduler';

/**
 * Two mock nodes running pods on virtual time: the scheduler places them, one
 * pod cannot fit anywhere, one node goes silent and its pods are evicted.
 */
export async function runClusterDemo(print: (line: string) => void) {
  const T0 = Date.UTC(2026, 0, 1);
  const clock = new VirtualClock(T0);
  const at = () => `t=+${(clock.now() - T0) / 1000}s`;
  const store = await createStore({
    types: builtinTypes,
    admission: builtinAdmission(),
    clock,
    random: createRandom(3, 'demo-cluster'),
  });
  await ensureSystemNamespaces(store);
  const registry = createImageRegistry();
  registry.add('registry.example.com/web:1.0', { pullMs: 1_500, behaviour: { startupMs: 500 } });
  registry.add('registry.example.com/flaky:1.0', { behaviour: { exitAfterMs: 2_000, exitCode: 1 } });
  const agents = ['node-1', 'node-2'].map((nodeName) => {
    const runtime = createMockRuntime({ clock, registry, seed: nodeName.length, runtimeName: `keelson-mock` });
    return createNodeAgent({
      store,
      runtime,
      images: runtime,
      nodeName,
      clock,
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
    });
  });
  for (const agent of agents) await agent.start();
  const lifecycle = createNodeLifecycleController(store);
  await lifecycle.start();
  const scheduler = createScheduler({ store, clock, random: createRandom(3, 'demo-scheduler') });
  await scheduler.start();
  const settle = async (ms: number) => {
    await clock.advance(ms);
    for (let i = 0; i < 5; i++) await clock.advance(0);
  };
  await settle(0);
  print(`  ${at()} nodes: ${(await store.list(Node)).items.map((n) => n.metadata.name).join(', ')}`);

  const run = async (name: string, image: string, cpu: string) => {
    const resources = { requests: { cpu, memory: '256Mi' } };
    await store.create(Pod, { metadata: { name }, spec: { containers: [{ name: 'main', image, resources }] } });
  };
  await run('web', 'registry.example.com/web:1.0', '1');
  await run('flaky', 'registry.example.com/flaky:1.0', '500m');
  await run('batch', 'registry.example.com/web:1.0', '2');
  await run('huge', 'registry.example.com/web:1.0', '16');
  await settle(0);
  for (const pod of (await store.list(Pod)).items) {
    const scheduled = getCondition(pod.status?.conditions, 'PodScheduled');
    print(
      pod.spec.nodeName
        ? `  ${at()} scheduler placed ${pod.metadata.name} on ${pod.spec.nodeName}`
        : `  ${at()} ${pod.metadata.name} stays Pending: ${scheduled?.message}`,
    );
  }
  const failed = (await store.list(Event, { namespace: 'default' })).items.filter(
    (e) => e.reason === 'FailedScheduling',
  );
  print(`  ${at()} events: ${failed.length} FailedScheduling (Warning) for huge`);
  await store.delete(Pod, 'huge', { namespace: 'default' });
  await settle(60_000);
  const describe = async () => {
    for (const pod of (await store.list(Pod)).items) {
      if (!pod.spec.nodeName) continue;
      const c = pod.status?.containerStatuses?.[0];
      const state = c?.state?.running ? 'running' : (c?.state?.waiting?.reason ?? c?.state?.terminated?.reason ?? '-');
      print(
        `  ${at()} pod ${pod.metadata.name} on ${pod.spec.nodeName}: ${pod.status?.phase}, ${state}, restarts ${c?.restartCount ?? 0}`,
      );
    }
  };
  await describe();

  print(`  ${at()} node-2's agent stops (the machine is gone)`);
  await agents[1]?.stop();
  await settle(120_000);
  const node2 = await store.get(Node, 'node-2');
  const ready = node2.status?.conditions?.find((c) => c.type === 'Ready');
  print(
    `  ${at()} node-2 Ready=${ready?.status} (${ready?.reason}); taints: ${(node2.spec.taints ?? []).map((t) => `${t.key}:${t.effect}`).join(', ')}`,
  );
  await settle(300_000);
  const pods = (await store.list(Pod)).items;
  const evicted = pods.filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.name);
  print(
    `  ${at()} after the 300 s toleration, evicted: ${evicted.join(', ')} (Terminating until a node confirms its containers are gone, as in Kubernetes)`,
  );
  const left = pods.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name);

  await scheduler.stop();
  await lifecycle.stop();
  await agents[0]?.stop();
  const flaky = (await store.list(Pod)).items.find((p) => p.metadata.name === 'flaky');
  const placement = Object.fromEntries(pods.map((p) => [p.metadata.name, p.spec.nodeName ?? '']));
  return {
    placement,
    left,
    evicted,
    node2Ready: ready?.status,
    flakyRestarts: flaky?.status?.containerStatuses?.[0]?.restartCount ?? 0,
  };
}
