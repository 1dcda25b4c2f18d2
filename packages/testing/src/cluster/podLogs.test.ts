import { Pod } from '@keelson/api';
import { InvalidError, NotFoundError } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCluster } from './createTestCluster';
import type { TestCluster } from './types';

const clusters: TestCluster[] = [];
afterEach(async () => {
  for (const c of clusters.splice(0)) await c.close();
});

const TALKER = 'registry.example.com/talker:1.0';
const CRASHER = 'registry.example.com/crasher:1.0';

async function cluster(): Promise<TestCluster> {
  const c = await createTestCluster({
    nodes: 1,
    seed: 3,
    images: {
      [TALKER]: {
        behaviour: {
          logs: [
            { atMs: 1_000, line: 'one' },
            { atMs: 2_000, line: 'two', stream: 'stderr' },
            { atMs: 3_000, line: 'three' },
          ],
        },
      },
      [CRASHER]: { behaviour: { exitAfterMs: 2_000, exitCode: 1, logs: [{ atMs: 1_000, line: 'up' }] } },
    },
  });
  clusters.push(c);
  return c;
}

const pod = (name: string, containers: Array<{ name: string; image: string }>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers },
});

/** Applies the pod and runs time until its first container runs; returns its status. */
async function running(c: TestCluster, name: string, restarts = 0) {
  await c.waitFor(
    async () => {
      const status = (await c.get(Pod, name, 'default')).status?.containerStatuses?.[0];
      return status?.state?.running !== undefined && status.restartCount >= restarts;
    },
    { timeout: '2m', description: `pod ${name} running after ${restarts} restarts` },
  );
  const status = (await c.get(Pod, name, 'default')).status?.containerStatuses?.[0];
  if (status?.containerID === undefined) throw new Error('no container id');
  return { ...status, runtimeId: status.containerID.replace(/^.*:\/\//, '') };
}

async function collect(iterable: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of iterable) text += chunk;
  return text;
}

describe('cluster.podLogs', () => {
  it('reads what the container wrote, with tailLines, timestamps, limitBytes and sinceSeconds', async () => {
    const c = await cluster();
    await c.apply(pod('talk', [{ name: 'main', image: TALKER }]));
    const started = await running(c, 'talk');
    expect(await c.logs('talk')).toBe('');
    await c.advance('3s');
    expect(await c.logs('talk')).toBe('one\ntwo\nthree\n');
    const read = (extra: object) =>
      collect(c.podLogs({ namespace: 'default', pod: 'talk', ...extra }, new AbortController().signal));
    expect(await read({ tailLines: 1 })).toBe('three\n');
    expect(await read({ tailLines: 0 })).toBe('');
    expect(await read({ limitBytes: 6 })).toBe('one\ntw');
    await c.advance('10s');
    c.runtime('node-1').writeContainerLog(started.runtimeId, 'just now');
    expect(await read({ sinceSeconds: 5 })).toBe('just now\n');
    const stamped = (await read({ timestamps: true, tailLines: 3 })).split('\n');
    expect(stamped[0]).toMatch(/^2026-01-01T00:\d\d:\d\d\.\d{9}Z two$/);
    expect(stamped[1]).toMatch(/^2026-01-01T00:\d\d:\d\d\.\d{9}Z three$/);
    expect(stamped[2]).toBe(`${new Date(c.clock.now()).toISOString().replace('Z', '000000Z')} just now`);
  });

  it('follows new lines as the clock moves and ends when aborted', async () => {
    const c = await cluster();
    await c.apply(pod('talk', [{ name: 'main', image: TALKER }]));
    await running(c, 'talk');
    const abort = new AbortController();
    const chunks: string[] = [];
    let done = false;
    const reading = (async () => {
      for await (const chunk of c.podLogs({ namespace: 'default', pod: 'talk', follow: true }, abort.signal)) {
        chunks.push(chunk);
      }
      done = true;
    })();
    await c.advance('1s');
    expect(chunks).toEqual(['one\n']);
    await c.advance('2s');
    expect(chunks).toEqual(['one\n', 'two\n', 'three\n']);
    expect(done).toBe(false);
    abort.abort();
    await reading;
    expect(done).toBe(true);
  });

  it('a follow ends when the container exits', async () => {
    const c = await cluster();
    await c.apply(pod('crash', [{ name: 'main', image: CRASHER }]));
    await running(c, 'crash');
    const text = collect(c.podLogs({ namespace: 'default', pod: 'crash', follow: true }, new AbortController().signal));
    await c.advance('2s');
    expect(await text).toBe('up\n');
  });

  it('previous gives the log of the container instance before a restart', async () => {
    const c = await cluster();
    await c.apply(pod('crash', [{ name: 'main', image: CRASHER }]));
    const first = await running(c, 'crash');
    await expect(c.logs('crash', { previous: true })).rejects.toThrow(
      'previous terminated container "main" in pod "crash" not found',
    );
    await expect(c.logs('crash', { previous: true })).rejects.toBeInstanceOf(InvalidError);
    c.runtime('node-1').writeContainerLog(first.runtimeId, 'only the first instance says this');
    await running(c, 'crash', 1);
    expect(await c.logs('crash', { previous: true })).toBe('only the first instance says this\nup\n');
    await c.advance('1s');
    expect(await c.logs('crash')).toBe('up\n');
  });

  it('asks for a container name among several, and names the choices for a wrong one', async () => {
    const c = await cluster();
    await c.apply(
      pod('web', [
        { name: 'a', image: TALKER },
        { name: 'b', image: TALKER },
      ]),
    );
    await running(c, 'web');
    await expect(c.logs('web')).rejects.toThrow('a container name must be specified for pod web, choose one of: [a b]');
    await expect(c.logs('web')).rejects.toBeInstanceOf(InvalidError);
    await expect(c.logs('web', { container: 'c' })).rejects.toThrow('container c is not valid for pod web');
    await expect(c.logs('web', { container: 'c' })).rejects.toThrow('choose one of: [a b]');
    await expect(c.logs('web', { container: 'c' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(c.logs('nope')).rejects.toBeInstanceOf(NotFoundError);
    await c.advance('1s');
    expect(await c.logs('web', { container: 'b' })).toBe('one\n');
  });

  it('rejects bad options before reading', async () => {
    const c = await cluster();
    const signal = new AbortController().signal;
    await expect(collect(c.podLogs({ namespace: 'default', pod: 'x', tailLines: -1 }, signal))).rejects.toThrow(
      /tailLines/,
    );
    await expect(collect(c.podLogs({ namespace: 'default', pod: 'x', sinceSeconds: 0 }, signal))).rejects.toThrow(
      /sinceSeconds/,
    );
  });
});
