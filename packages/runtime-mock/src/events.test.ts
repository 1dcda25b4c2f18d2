import type { ContainerEventResponse } from '@keelson/cri';
import { describe, expect, it } from 'vitest';
import type { MockRuntime } from './MockRuntime';
import { ns, START, setup } from './testHarness';

const JOB = 'registry.example.com/job:1.0';

/** Collects events in the background; live once this returns (the first next() is pending). */
function collect(runtime: MockRuntime, signal?: AbortSignal) {
  const received: ContainerEventResponse[] = [];
  const state: { error?: unknown; ended: boolean } = { ended: false };
  const done = (async () => {
    try {
      for await (const event of runtime.getContainerEvents(signal === undefined ? {} : { signal })) {
        received.push(event);
      }
    } catch (error) {
      state.error = error;
    }
    state.ended = true;
  })();
  return { received, state, done, types: () => received.map((e) => e.containerEventType) };
}

describe('getContainerEvents', () => {
  it('streams created, started, stopped and deleted in order, at the clock times they happened', async () => {
    const { clock, run, runtime } = setup();
    const events = collect(runtime);
    const { containerId, sandboxId } = await run(JOB, { exitAfterMs: 1_500 });
    await clock.advance(2_000);
    await runtime.removeContainer(containerId);
    await clock.advance(0);
    expect(events.types()).toEqual([
      'CONTAINER_CREATED_EVENT',
      'CONTAINER_STARTED_EVENT',
      'CONTAINER_STOPPED_EVENT',
      'CONTAINER_DELETED_EVENT',
    ]);
    expect(events.received.map((e) => e.createdAt)).toEqual([
      ns(START),
      ns(START),
      ns(START + 1_500),
      ns(START + 2_000),
    ]);
    const [, , stopped, deleted] = events.received;
    expect(stopped?.podSandboxStatus?.id).toBe(sandboxId);
    expect(stopped?.containersStatuses.map((s) => [s.id, s.state, s.exitCode])).toEqual([
      [containerId, 'CONTAINER_EXITED', 0],
    ]);
    expect(deleted?.containersStatuses).toEqual([]);
    expect(runtime.eventHistory().map((e) => e.type)).toEqual(events.types());
  });

  it('gives every subscriber every event from the moment it subscribes', async () => {
    const { clock, run, runtime } = setup();
    const early = collect(runtime);
    const { containerId, sandboxId } = await run(JOB, {}, { start: false });
    const late = collect(runtime);
    await runtime.startContainer(containerId);
    await runtime.removePodSandbox(sandboxId);
    await clock.advance(0);
    expect(early.types()).toEqual([
      'CONTAINER_CREATED_EVENT',
      'CONTAINER_STARTED_EVENT',
      'CONTAINER_STOPPED_EVENT',
      'CONTAINER_DELETED_EVENT',
    ]);
    expect(late.types()).toEqual(early.types().slice(1));
    expect(late.received[0]).toEqual(early.received[1]);
    expect(late.received[0]).not.toBe(early.received[1]);
  });

  it('ends quietly on abort and on break', async () => {
    const { clock, run, runtime } = setup();
    const controller = new AbortController();
    const aborted = collect(runtime, controller.signal);
    controller.abort();
    await aborted.done;
    expect(aborted.state).toEqual({ ended: true });

    const iterator = runtime.getContainerEvents()[Symbol.asyncIterator]();
    const first = iterator.next();
    await run(JOB);
    expect((await first).value?.containerEventType).toBe('CONTAINER_CREATED_EVENT');
    await iterator.return?.();
    await clock.advance(0);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it('fails open streams with Unavailable when the runtime goes down; events meanwhile reach only the history', async () => {
    const { clock, run, runtime } = setup();
    const events = collect(runtime);
    const { containerId } = await run(JOB, { exitAfterMs: 1_000 });
    runtime.faults.runtimeDown();
    await events.done;
    expect(events.state.error).toMatchObject({ name: 'CriError', code: 'Unavailable' });
    const whileDown = runtime.getContainerEvents()[Symbol.asyncIterator]();
    await expect(whileDown.next()).rejects.toMatchObject({ code: 'Unavailable' });

    await clock.advance(1_000);
    runtime.faults.runtimeUp();
    const after = collect(runtime);
    await runtime.removeContainer(containerId);
    await clock.advance(0);
    expect(events.types()).toEqual(['CONTAINER_CREATED_EVENT', 'CONTAINER_STARTED_EVENT']);
    expect(after.types()).toEqual(['CONTAINER_DELETED_EVENT']);
    expect(runtime.eventHistory().map((e) => e.type)).toEqual([
      'CONTAINER_CREATED_EVENT',
      'CONTAINER_STARTED_EVENT',
      'CONTAINER_STOPPED_EVENT',
      'CONTAINER_DELETED_EVENT',
    ]);
  });
});
