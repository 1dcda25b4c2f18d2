/** A small real file log for the command's tests: two Deployments and a Service created, one scaled, one deleted. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinAdmission, builtinTypes, Deployment, ensureSystemNamespaces, Service } from '@keelson/api';
import { createRandom, VirtualClock } from '@keelson/clock';
import { createStore } from '@keelson/core';
import { openFileLog } from '@keelson/eventlog';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { runCli } from '../src/index';
import type { CliIo } from '../src/io';

/** The revisions the sample run reached after each step. */
export interface SampleRevisions {
  created: number;
  scaled: number;
  deleted: number;
  head: number;
}

function deployment(name: string, replicas: number) {
  return {
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
    },
  };
}

/** Writes the sample run into `dir` (same seed → same log, entry for entry) and closes the log. */
export async function writeSampleLog(dir: string, options: { seed?: number; replicas?: number } = {}) {
  const log = await openFileLog(dir, { fsync: 'never' });
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store = await createStore({
    log,
    types: builtinTypes,
    admission: builtinAdmission(),
    clock,
    random: createRandom(options.seed ?? 1, 'store'),
    logger: { warn() {} },
  });
  await ensureSystemNamespaces(store);
  await store.create(Deployment, deployment('web', 3));
  await store.create(Deployment, deployment('batch', 1));
  await store.create(Service, { metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
  const created = store.revision;
  await clock.advance(1_000);
  await store
    .as('alice')
    .patch(Deployment, 'web', (d) => ({ ...d, spec: { ...d.spec, replicas: options.replicas ?? 5 } }), {
      namespace: 'default',
      reason: 'scale up',
    });
  const scaled = store.revision;
  await clock.advance(1_000);
  await store.delete(Deployment, 'batch', { namespace: 'default' });
  const deleted = store.revision;
  await store.close();
  const head = await log.head();
  await log.close();
  return { created, scaled, deleted, head } satisfies SampleRevisions;
}

/** A fresh temporary directory, and the function that removes it. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'keelson-cli-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Streams that keep what was written, for asserting on a command's output. */
export function captureIo(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    out: () => out,
    err: () => err,
  };
}

/**
 * Writes the sample log into a fresh directory before the calling file's
 * tests (`once`, or before `each` test for tests that change the log) and
 * removes it after; the returned object is filled in by then.
 */
export function useSampleLog(when: 'once' | 'each' = 'once'): { dir: string; revisions: SampleRevisions } {
  const sample = { dir: '', revisions: { created: 0, scaled: 0, deleted: 0, head: 0 } };
  let remove: () => Promise<void> = async () => undefined;
  (when === 'once' ? beforeAll : beforeEach)(async () => {
    const temp = await tempDir();
    sample.dir = temp.dir;
    remove = temp.remove;
    sample.revisions = await writeSampleLog(temp.dir);
  });
  (when === 'once' ? afterAll : afterEach)(() => remove());
  return sample;
}

/** Runs `keelson argv…` and returns its exit code and what it wrote. */
export async function keelson(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}
