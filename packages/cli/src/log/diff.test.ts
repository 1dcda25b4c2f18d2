import { openFileLog } from '@keelson/eventlog';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureIo, tempDir, writeSampleLog } from '../../test/sampleLog';
import { ExitCode, runCli } from '../index';
import type { LogComparison } from './diff';

let dirs: { dir: string; remove: () => Promise<void> }[];

beforeEach(async () => {
  dirs = [await tempDir(), await tempDir()];
});
afterEach(async () => {
  for (const { remove } of dirs) await remove();
});

async function diff(...args: string[]) {
  const io = captureIo();
  const code = await runCli(['log', 'diff', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('keelson log diff', () => {
  it('exits 0 and counts the entries of two runs with one seed', async () => {
    const [a, b] = dirs.map((d) => d.dir) as [string, string];
    await writeSampleLog(a, { seed: 7 });
    await writeSampleLog(b, { seed: 7 });
    expect(await diff(a, b)).toEqual({ code: ExitCode.ok, out: 'identical: 9 entries\n', err: '' });
    // One directory named twice is opened once (a file log has one lock).
    expect((await diff(a, a)).out).toBe('identical: 9 entries\n');
  });

  it('exits 1 and shows the first divergence: both entries and how the value differs', async () => {
    const [a, b] = dirs.map((d) => d.dir) as [string, string];
    const { scaled } = await writeSampleLog(a, { seed: 7 });
    await writeSampleLog(b, { seed: 7, replicas: 6 });
    const { code, out } = await diff(a, b);
    expect(code).toBe(ExitCode.failure);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe('logs differ at entry #7 (first at data.spec.replicas)');
    expect(lines[1]).toMatch(
      new RegExp(`^ {2}A: revision ${scaled} {2}put {2}apps/deployments/default/web {2}2026-01-01T00:00:01.000Z`),
    );
    expect(lines[2]).toMatch(new RegExp(`^ {2}B: revision ${scaled} {2}put {2}apps/deployments/default/web`));
    expect(lines).toContain('  value, A → B:');
    expect(lines).toContain('    replace /spec/replicas: 5 → 6');
    expect(lines.at(-1)).toMatch(/data\.spec\.replicas is 5 in the first run and 6 in the second$/);
  });

  it('says which log ended first', async () => {
    const [a, b] = dirs.map((d) => d.dir) as [string, string];
    await writeSampleLog(a, { seed: 7 });
    await writeSampleLog(b, { seed: 7 });
    const longer = await openFileLog(b, { fsync: 'never' });
    await longer.append({ key: 'core/pods/default/extra', type: 'core/pods', time: 0, data: {} });
    await longer.close();
    const { code, out } = await diff(a, b);
    expect(code).toBe(1);
    expect(out.split('\n').slice(0, 3)).toEqual([
      'logs differ at entry #9',
      '  A: (the log ended)',
      '  B: revision 10  put  core/pods/default/extra  1970-01-01T00:00:00.000Z',
    ]);
  });

  it('prints the comparison as JSON with --json', async () => {
    const [a, b] = dirs.map((d) => d.dir) as [string, string];
    await writeSampleLog(a, { seed: 1 });
    await writeSampleLog(b, { seed: 2 });
    const { code, out } = await diff(a, b, '--json');
    expect(code).toBe(1);
    const comparison = JSON.parse(out) as LogComparison;
    expect(comparison).toMatchObject({ identical: false, index: 0, path: 'data.metadata.uid' });
    expect(comparison.identical === false && comparison.a?.key).toBe('core/namespaces/default');
  });

  it('fails with exit 1 when either directory is missing', async () => {
    const [a] = dirs.map((d) => d.dir) as [string];
    await writeSampleLog(a);
    const { code, err } = await diff(a, `${a}-missing`);
    expect(code).toBe(1);
    expect(err).toMatch(/log directory .*-missing does not exist/);
  });
});
