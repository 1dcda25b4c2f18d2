// Shared set-up of this folder's tests (not part of the published API): a
// mock runtime on a virtual clock with one running container.
import { VirtualClock } from '@keelson/clock';
import { createImageRegistry, createMockRuntime, type ImageBehaviour } from '@keelson/runtime-mock';
import { probeNetworkOf } from './probeNetworkOf';

/** 2025-01-01T00:00:00Z, so clock times read like real ones. */
export const START = Date.UTC(2025, 0, 1);

const IMAGE = 'registry.example.com/web:1.0';

/** A runtime with one started container of an image scripted with `behaviour`. */
export async function runContainer(behaviour: ImageBehaviour = {}) {
  const clock = new VirtualClock(START);
  const registry = createImageRegistry();
  registry.add(IMAGE, { behaviour });
  const runtime = createMockRuntime({ clock, registry, seed: 1 });
  await runtime.pullImage({ image: IMAGE });
  const sandbox = { metadata: { name: 'web', uid: 'uid-1', namespace: 'default', attempt: 0 } };
  const sandboxId = await runtime.runPodSandbox(sandbox);
  const containerId = await runtime.createContainer(
    sandboxId,
    { metadata: { name: 'main', attempt: 0 }, image: { image: IMAGE } },
    sandbox,
  );
  await runtime.startContainer(containerId);
  return { clock, runtime, containerId, network: probeNetworkOf(runtime), startedAt: clock.now() };
}

/** Collects what an observable emits. */
export function collect<T>(source: { subscribe(next: (value: T) => void): unknown }): T[] {
  const seen: T[] = [];
  source.subscribe((value) => seen.push(value));
  return seen;
}
