import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openFileLog } from '@keelson/eventlog';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureIo, type SampleRevisions, tempDir, writeSampleLog } from '../../test/sampleLog';
import { ExitCode, runCli } from '../index';
import type { LogSummary } from './inspect';

let dir: string;
let remove: () => Promise<void>;
let revisions: SampleRevisions;

beforeEach(async () => {
  ({ dir, remove } = await tempDir());
  revisions = await writeSampleLog(dir);
});
afterEach(() => remove());

describe('keelson log inspect', () => {
  it('prints entries, revisions, size and a table of kinds with entries and live objects', async () => {
    const io = captureIo();
    expect(await runCli(['log', 'inspect', dir], io)).toBe(ExitCode.ok);
    const out = io.out();
    expect(out).toContain(`log            ${dir}\n`);
    expect(out).toMatch(/^entries +8$/m);
    expect(out).toMatch(new RegExp(`^revisions +1 … ${revisions.head} \\(head\\)$`, 'm'));
    expect(out).toMatch(/^compacted +no$/m);
    expect(out).toMatch(/^time +2026-01-01T00:00:00\.000Z … 2026-01-01T00:00:02\.000Z$/m);
    expect(out).toMatch(/^size on disk +\d+\.\d KiB \(\d+ bytes\)$/m);
    expect(out).toMatch(/^TYPE +KIND +ENTRIES +LIVE$/m);
    // web: created and scaled; batch: created and deleted.
    expect(out).toMatch(/^apps\/deployments +Deployment +4 +1$/m);
    expect(out).toMatch(/^core\/namespaces +Namespace +3 +3$/m);
    expect(out).toMatch(/^core\/services +Service +1 +1$/m);
    expect(io.err()).toBe('');
  });

  it('prints the same as JSON with --json', async () => {
    const io = captureIo();
    expect(await runCli(['log', 'inspect', dir, '--json'], io)).toBe(0);
    const summary = JSON.parse(io.out()) as LogSummary;
    expect(summary).toMatchObject({
      dir,
      entries: 8,
      firstRevision: 1,
      head: revisions.head,
      compactedBefore: null,
      firstTime: Date.UTC(2026, 0, 1),
    });
    expect(summary.sizeBytes).toBeGreaterThan(1000);
    expect(summary.kinds).toContainEqual({ type: 'apps/deployments', kind: 'Deployment', entries: 4, live: 1 });
  });

  it('reports where the log was compacted', async () => {
    const log = await openFileLog(dir, { fsync: 'never' });
    await log.compact(revisions.deleted);
    await log.close();
    const io = captureIo();
    expect(await runCli(['log', 'inspect', dir, '--json'], io)).toBe(0);
    const summary = JSON.parse(io.out()) as LogSummary;
    expect(summary.compactedBefore).toBe(revisions.deleted);
    // The kept base: each live key's last entry before the cut, then the tombstone at the cut.
    expect(summary.kinds).toContainEqual({ type: 'apps/deployments', kind: 'Deployment', entries: 3, live: 1 });
    const text = captureIo();
    await runCli(['log', 'inspect', dir], text);
    expect(text.out()).toMatch(new RegExp(`^compacted +before revision ${revisions.deleted}$`, 'm'));
  });

  it('fails with exit 1 naming a missing directory, and does not create it', async () => {
    const missing = join(dir, 'nope');
    const io = captureIo();
    expect(await runCli(['log', 'inspect', missing], io)).toBe(ExitCode.failure);
    expect(io.err()).toBe(
      `keelson: log directory ${missing} does not exist; pass the directory a file log was written to\n`,
    );
    expect(await readdir(dir)).not.toContain('nope');
  });

  it('refuses a directory that holds no log, leaving it as it was', async () => {
    const { dir: empty, remove: removeEmpty } = await tempDir();
    try {
      await writeFile(join(empty, 'notes.txt'), 'hello');
      const io = captureIo();
      expect(await runCli(['log', 'inspect', empty], io)).toBe(1);
      expect(io.err()).toMatch(/holds no event log \(no CURRENT or \*\.seg files\)/);
      expect(await readdir(empty)).toEqual(['notes.txt']);
      const file = captureIo();
      expect(await runCli(['log', 'inspect', join(empty, 'notes.txt')], file)).toBe(1);
      expect(file.err()).toMatch(/notes\.txt is not a directory/);
    } finally {
      await removeEmpty();
    }
  });

  it('fails with exit 1 when a writer holds the log', async () => {
    const writer = await openFileLog(dir, { fsync: 'never' });
    try {
      const io = captureIo();
      expect(await runCli(['log', 'inspect', dir], io)).toBe(1);
      expect(io.err()).toMatch(/is locked by this process/);
    } finally {
      await writer.close();
    }
  });
});
