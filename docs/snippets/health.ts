import { VirtualClock } from '@keelson/clock';
import { createProber, type HealthTransition, probeNetworkOf, watchHealth } from '@keelson/health';
import { createImageRegistry, createMockRuntime } from '@keelson/runtime-mock';

export function watchAnEndpoint(port: number, clock: VirtualClock) {
  // #region watch-health
  const seen: HealthTransition[] = [];
  const subscription = watchHealth(
    { host: '127.0.0.1', ports: {} },
    { httpGet: { path: '/healthz', port }, periodSeconds: 5, failureThreshold: 2 },
    { clock },
  ).subscribe((transition) => seen.push(transition)); // { healthy, result, at, message? } on each change
  // #endregion
  return { seen, stop: () => subscription.unsubscribe() };
}

export async function livenessOnTheMock() {
  // #region liveness
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const registry = createImageRegistry();
  registry.add('registry.example.com/web:1.0', {
    behaviour: { http: (_path, _port, elapsedMs) => (elapsedMs < 30_000 ? 200 : 503) }, // sick after 30 s
  });
  const runtime = createMockRuntime({ clock, registry });
  const pod = { metadata: { name: 'web-0', uid: 'u-0', namespace: 'default', attempt: 0 } };
  const sandbox = await runtime.runPodSandbox(pod);
  const image = await runtime.pullImage({ image: 'registry.example.com/web:1.0' });
  const container = await runtime.createContainer(
    sandbox,
    { metadata: { name: 'web', attempt: 0 }, image: { image } },
    pod,
  );
  await runtime.startContainer(container);

  const prober = createProber({ clock, runtime });
  const probes = prober.probeContainer({
    containerId: container,
    startedAt: clock.now(),
    target: { network: probeNetworkOf(runtime) }, // the mock's simulated network instead of sockets
    livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10, failureThreshold: 3 },
  });
  const restartAt: number[] = [];
  probes.transitions.subscribe((t) => {
    if (t.kind === 'liveness' && t.result === 'Failure') restartAt.push(t.at - Date.UTC(2026, 0, 1));
  });
  await clock.advance(120_000);
  // restartAt: [50_000] — failing from the probe at 30 s, the third consecutive failure is at 50 s
  // #endregion
  prober.stop();
  return { restartAt, shouldRestart: probes.shouldRestart };
}
