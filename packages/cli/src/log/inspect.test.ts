import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openFileLog } from '@keelson/eventlog';
import { describe, expect, it } from 'vitest';
import { keelson, tempDir, useSampleLog } from '../../test/sampleLog';
import { ExitCode } from '../index';
import type { LogSummary } from './inspect';

// A fresh log per test: one of them compacts it.
const sample = useSampleLog('each');
const inspect = (...args: string[]) => keelson('log', 'inspect', ...args);

describe('keelson log inspect', () => {
  it('prints entries, revisions, size and a table of kinds with entries and live objects', async () => {
    const { code, out, err } = await inspect(sample.dir);
    expect(code).toBe(ExitCode.ok);
    expect(out).toContain(`log            ${sample.dir}\n`);
    expect(out).toMatch(/^entries +9$/m);
    expect(out).toMatch(new RegExp(`^revisions +1 … ${sample.revisions.head} \\(head\\)$`, 'm'));
    expect(out).toMatch(/^compacted +no$/m);
    expect(out).toMatch(/^time +2026-01-01T00:00:00\.000Z … 2026-01-01T00:00:02\.000Z$/m);
    expect(out).toMatch(/^size on disk +\d+\.\d KiB \(\d+ bytes\)$/m);
    expect(out).toMatch(/^TYPE +KIND +ENTRIES +LIVE$/m);
    // web: created and scaled; batch: created and deleted.
    expect(out).toMatch(/^apps\/deployments +Deployment +4 +1$/m);
    expect(out).toMatch(/^core\/namespaces +Namespace +4 +4$/m);
    expect(out).toMatch(/^core\/services +Service +1 +1$/m);
    expect(err).toBe('');
  });

  it('prints the same as JSON with --json', async () => {
    const { code, out } = await inspect(sample.dir, '--json');
    expect(code).toBe(0);
    const summary = JSON.parse(out) as LogSummary;
    expect(summary).toMatchObject({
      dir: sample.dir,
      entries: 9,
      firstRevision: 1,
      head: sample.revisions.head,
      compactedBefore: null,
      firstTime: Date.UTC(2026, 0, 1),
    });
    expect(summary.sizeBytes).toBeGreaterThan(1000);
    expect(summary.kinds).toContainEqual({ type: 'apps/deployments', kind: 'Deployment', entries: 4, live: 1 });
  });

  it('reports where the log was compacted', async () => {
    const { deleted } = sample.revisions;
    const log = await openFileLog(sample.dir, { fsync: 'never' });
    await log.compact(deleted);
    await log.close();
    const summary = JSON.parse((await inspect(sample.dir, '--json')).out) as LogSummary;
    expect(summary.compactedBefore).toBe(deleted);
    // The kept base: each live key's last entry before the cut, then the tombstone at the cut.
    expect(summary.kinds).toContainEqual({ type: 'apps/deployments', kind: 'Deployment', entries: 3, live: 1 });
    expect((await inspect(sample.dir)).out).toMatch(new RegExp(`^compacted +before revision ${deleted}$`, 'm'));
  });

  it('fails with exit 1 naming a missing directory, and does not create it', async () => {
    const missing = join(sample.dir, 'nope');
    const { code, err } = await inspect(missing);
    expect(code).toBe(ExitCode.failure);
    expect(err).toBe(
      `keelson: log directory ${missing} does not exist; pass the directory a file log was written to\n`,
    );
    expect(await readdir(sample.dir)).not.toContain('nope');
  });

  it('refuses a directory that holds no log, leaving it as it was', async () => {
    const { dir: empty, remove } = await tempDir();
    try {
      await writeFile(join(empty, 'notes.txt'), 'hello');
      const notALog = await inspect(empty);
      expect(notALog.code).toBe(1);
      expect(notALog.err).toMatch(/holds no event log \(no CURRENT or \*\.seg files\)/);
      expect(await readdir(empty)).toEqual(['notes.txt']);
      const file = await inspect(join(empty, 'notes.txt'));
      expect(file.code).toBe(1);
      expect(file.err).toMatch(/notes\.txt is not a directory/);
    } finally {
      await remove();
    }
  });

  it('fails with exit 1 when a writer holds the log', async () => {
    const writer = await openFileLog(sample.dir, { fsync: 'never' });
    try {
      const { code, err } = await inspect(sample.dir);
      expect(code).toBe(1);
      expect(err).toMatch(/is locked by this process/);
    } finally {
      await writer.close();
    }
  });
});
