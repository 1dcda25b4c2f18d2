import { isCriError } from '@keelson/cri';
import { describe, expect, it } from 'vitest';
import type { ContainerLogEntry } from './logFormat';
import { formatCriLogLine, formatLogTimestamp } from './logFormat';
import { ns, START, setup } from './testHarness';

const APP = 'registry.example.com/app:1.0';
const texts = (entries: ContainerLogEntry[]) => entries.map((e) => e.text);

describe('container logs', () => {
  it('writes scripted lines at their times, in CRI log format', async () => {
    const { clock, run, runtime } = setup();
    const { containerId } = await run(APP, {
      logs: [
        { atMs: 2_000, line: 'two' },
        { atMs: 1_000, line: 'one' },
        { atMs: 1_500, line: 'oops', stream: 'stderr' },
      ],
    });
    expect(runtime.readContainerLog(containerId)).toEqual([]);
    await clock.advance(1_500);
    expect(texts(runtime.readContainerLog(containerId))).toEqual(['one', 'oops']);
    await clock.advance(500);
    const entries = runtime.readContainerLog(containerId);
    expect(entries[2]).toEqual({ timestamp: ns(START + 2_000), stream: 'stdout', tag: 'F', text: 'two' });
    expect(entries.map(formatCriLogLine)).toEqual([
      '2025-01-01T00:00:01Z stdout F one',
      '2025-01-01T00:00:01.5Z stderr F oops',
      '2025-01-01T00:00:02Z stdout F two',
    ]);
  });

  it('repeats a line every interval, numbered, up to its count', async () => {
    const { clock, run, runtime } = setup();
    const { containerId } = await run(APP, {
      logs: [{ everyMs: 1_000, line: (i, at) => `tick ${i} at ${at}`, count: 3 }],
    });
    await clock.advance(10_000);
    expect(texts(runtime.readContainerLog(containerId))).toEqual([
      'tick 0 at 1000',
      'tick 1 at 2000',
      'tick 2 at 3000',
    ]);
  });

  it('repeating lines do not keep runUntilIdle going', async () => {
    const { clock, run, runtime } = setup();
    const { containerId } = await run(APP, { logs: [{ everyMs: 1_000, line: 'tick' }] });
    await clock.runUntilIdle();
    expect(clock.now()).toBe(START);
    await clock.advance(3_000);
    expect(texts(runtime.readContainerLog(containerId))).toEqual(['tick', 'tick', 'tick']);
  });

  it('splits text on newlines and writes lines due at the exit before it ends', async () => {
    const { clock, run, runtime, status } = setup();
    const { containerId } = await run(APP, {
      exitAfterMs: 3_000,
      exitCode: 1,
      logs: [
        { atMs: 0, line: 'starting\nready\n' },
        { atMs: 3_000, line: 'fatal: bye', stream: 'stderr' },
        { atMs: 4_000, line: 'never' },
      ],
    });
    await clock.advance(10_000);
    expect((await status(containerId)).state).toBe('CONTAINER_EXITED');
    expect(texts(runtime.readContainerLog(containerId))).toEqual(['starting', 'ready', 'fatal: bye']);
  });

  it('follows new lines and tells the end when the container exits', async () => {
    const { clock, run, runtime } = setup();
    const { containerId } = await run(APP, { logs: [{ everyMs: 1_000, line: 'tick' }] });
    const seen: string[] = [];
    const stop = runtime.followContainerLog(containerId, {
      line: (entry) => seen.push(entry.text),
      end: () => seen.push('<end>'),
    });
    await clock.advance(2_000);
    runtime.writeContainerLog(containerId, 'by hand', 'stderr');
    expect(seen).toEqual(['tick', 'tick', 'by hand']);
    runtime.faults.crash(containerId);
    expect(seen).toEqual(['tick', 'tick', 'by hand', '<end>']);
    stop();
    const late: string[] = [];
    runtime.followContainerLog(containerId, { line: () => late.push('line'), end: () => late.push('<end>') });
    expect(late).toEqual(['<end>']);
  });

  it('an unsubscribed follower hears nothing more', async () => {
    const { clock, run, runtime } = setup();
    const { containerId } = await run(APP, { logs: [{ everyMs: 1_000, line: 'tick' }] });
    const seen: string[] = [];
    const stop = runtime.followContainerLog(containerId, { line: (entry) => seen.push(entry.text) });
    await clock.advance(1_000);
    stop();
    await clock.advance(5_000);
    expect(seen).toEqual(['tick']);
  });

  it('keeps the log of the last removed container of a name, until the next is removed or the sandbox', async () => {
    const { clock, run, runtime, containerConfig } = setup();
    const { sandboxId, sandbox, containerId: first } = await run(APP, { logs: [{ atMs: 1_000, line: 'first' }] });
    await clock.advance(1_000);
    await runtime.stopContainer(first, 0);
    const secondConfig = { ...containerConfig(APP), metadata: { name: 'main', attempt: 1 } };
    const second = await runtime.createContainer(sandboxId, secondConfig, sandbox);
    await runtime.removeContainer(first);
    expect(texts(runtime.readContainerLog(first))).toEqual(['first']);
    await runtime.startContainer(second);
    await clock.advance(1_000);
    const third = await runtime.createContainer(
      sandboxId,
      { ...secondConfig, metadata: { name: 'main', attempt: 2 } },
      sandbox,
    );
    await runtime.removeContainer(second);
    expect(texts(runtime.readContainerLog(second))).toEqual(['first']);
    expect(() => runtime.readContainerLog(first)).toThrow(/not found/);
    await runtime.removePodSandbox(sandboxId);
    for (const id of [second, third]) {
      try {
        runtime.readContainerLog(id);
        expect.unreachable();
      } catch (error) {
        expect(isCriError(error, 'NotFound')).toBe(true);
      }
    }
  });

  it('writing by hand needs a running container', async () => {
    const { run, runtime } = setup();
    const { containerId } = await run(APP, {}, { start: false });
    expect(() => runtime.writeContainerLog(containerId, 'x')).toThrow(/CONTAINER_CREATED/);
    expect(() => runtime.writeContainerLog('nope', 'x')).toThrow(/not found/);
  });

  it('rejects bad scripts where the image is added', () => {
    const { registry } = setup();
    expect(() => registry.add(APP, { behaviour: { logs: [{ everyMs: 0, line: 'x' }] } })).toThrow(/everyMs/);
    expect(() => registry.add(APP, { behaviour: { logs: [{ atMs: -1, line: 'x' }] } })).toThrow(/atMs/);
    expect(() => registry.add(APP, { behaviour: { logs: [{ everyMs: 5, line: 'x', count: 1.5 }] } })).toThrow(/count/);
  });

  it('formats timestamps as containerd writes them and as the kubelet prints them', () => {
    const at = ns(Date.UTC(2026, 0, 1, 0, 0, 1, 500));
    expect(formatLogTimestamp(at)).toBe('2026-01-01T00:00:01.5Z');
    expect(formatLogTimestamp(at, true)).toBe('2026-01-01T00:00:01.500000000Z');
    expect(formatLogTimestamp(ns(Date.UTC(2026, 0, 1)))).toBe('2026-01-01T00:00:00Z');
  });
});
