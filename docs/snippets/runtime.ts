import { VirtualClock } from '@keelson/clock';
import { type ContainerConfig, isCriError, type PodSandboxConfig } from '@keelson/cri';
import { createImageRegistry, createMockRuntime, formatCriLogLine } from '@keelson/runtime-mock';

export async function scriptedRun() {
  // #region script
  const clock = new VirtualClock(Date.UTC(2026, 0, 1)); // CRI timestamps are ns since the epoch: start at a real date
  const registry = createImageRegistry();
  registry.add('registry.example.com/web:1.0', {
    pullMs: 2_000, // pulling takes 2 s of virtual time
    behaviour: {
      startupMs: 3_000, // answers probes 3 s after it starts
      memoryBytes: (elapsedMs) => 50_000_000 + elapsedMs * 1_000, // leaks 1 KB/ms
      http: (path, _port, elapsedMs) => (path === '/healthz' && elapsedMs < 60_000 ? 200 : 500),
    },
  });
  registry.add('registry.example.com/job:1.0', { behaviour: { exitAfterMs: 10_000, exitCode: 3 } });
  const runtime = createMockRuntime({ clock, registry, seed: 42 });
  // #endregion

  // #region lifecycle
  const pod: PodSandboxConfig = {
    metadata: { name: 'web-0', uid: 'uid-web-0', namespace: 'default', attempt: 0 },
    logDirectory: '/var/log/pods/default_web-0_uid-web-0',
  };
  const sandboxId = await runtime.runPodSandbox(pod);

  const pulling = runtime.pullImage({ image: 'registry.example.com/web:1.0' });
  await clock.advance(2_000);
  const imageId = await pulling;

  const web: ContainerConfig = {
    metadata: { name: 'web', attempt: 0 },
    image: { image: imageId },
    logPath: 'web/0.log',
    linux: { resources: { memoryLimitInBytes: 100_000_000 } }, // 100 MB limit
  };
  const containerId = await runtime.createContainer(sandboxId, web, pod);
  await runtime.startContainer(containerId);
  await clock.advance(3_000);
  const healthy = await runtime.probeHttp(containerId, { path: '/healthz', port: 8080 }); // 200

  await clock.advance(60_000); // 50 MB + 1 KB/ms passes the 100 MB limit just after 50 s of running
  const { status } = await runtime.containerStatus(containerId);
  // status.state === 'CONTAINER_EXITED', status.reason === 'OOMKilled', status.exitCode === 137
  // #endregion
  return { healthy, status, sandboxId };
}

export async function faultsAndErrors() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const registry = createImageRegistry();
  registry.add('registry.example.com/web:1.0', {});
  const runtime = createMockRuntime({ clock, registry, seed: 1 });
  const pod: PodSandboxConfig = { metadata: { name: 'p', uid: 'u', namespace: 'default', attempt: 0 } };
  const sandboxId = await runtime.runPodSandbox(pod);
  const imageId = await runtime.pullImage({ image: 'registry.example.com/web:1.0' });
  const containerId = await runtime.createContainer(
    sandboxId,
    { metadata: { name: 'web', attempt: 0 }, image: { image: imageId } },
    pod,
  );
  await runtime.startContainer(containerId);
  // #region faults
  runtime.faults.crash(containerId, 2); // exits now with code 2, reason Error
  const crashed = (await runtime.containerStatus(containerId)).status;
  registry.fail('registry.example.com/web:2.0', { kind: 'unauthorized' });
  let pullError = '';
  try {
    await runtime.pullImage({ image: 'registry.example.com/web:2.0' });
  } catch (error) {
    if (isCriError(error)) pullError = error.code; // 'Unauthenticated' (or 'NotFound' for a missing image)
  }
  runtime.faults.runtimeDown(); // status() reports RuntimeReady false; every other call is Unavailable
  const { status } = await runtime.status();
  // #endregion
  return { crashed, pullError, conditions: status.conditions };
}

export async function scriptedLogs() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const registry = createImageRegistry();
  const runtime = createMockRuntime({ clock, registry, seed: 1 });
  // #region logs
  registry.add('registry.example.com/worker:1.0', {
    behaviour: {
      logs: [
        { line: 'starting' }, // as it starts
        { atMs: 500, line: 'no config, using defaults', stream: 'stderr' },
        { everyMs: 1_000, line: (i) => `processed batch ${i}`, count: 3 }, // at 1 s, 2 s, 3 s
      ],
    },
  });
  // #endregion
  const pod: PodSandboxConfig = { metadata: { name: 'worker-0', uid: 'u', namespace: 'default', attempt: 0 } };
  const sandboxId = await runtime.runPodSandbox(pod);
  const image = await runtime.pullImage({ image: 'registry.example.com/worker:1.0' });
  const containerId = await runtime.createContainer(
    sandboxId,
    { metadata: { name: 'w', attempt: 0 }, image: { image } },
    pod,
  );
  // #region readLogs
  await runtime.startContainer(containerId);
  const followed: string[] = [];
  const unfollow = runtime.followContainerLog(containerId, {
    line: (entry) => followed.push(entry.text), // each new line as the clock reaches it
    end: () => followed.push('(exited)'),
  });
  await clock.advance(2_000);
  unfollow();
  const file = runtime.readContainerLog(containerId).map(formatCriLogLine);
  // ['2026-01-01T00:00:00Z stdout F starting',
  //  '2026-01-01T00:00:00.5Z stderr F no config, using defaults',
  //  '2026-01-01T00:00:01Z stdout F processed batch 0', '2026-01-01T00:00:02Z stdout F processed batch 1']
  // #endregion
  return { followed, file };
}
