import type { KubeObject } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { keelson, useSampleLog } from '../../test/sampleLog';
import { ExitCode } from '../index';

const sample = useSampleLog();

async function replay(...args: string[]) {
  const result = await keelson('log', 'replay', sample.dir, ...args);
  const objects = parseAllDocuments(result.out).map((d) => d.toJS() as KubeObject & { spec?: { replicas?: number } });
  return { ...result, objects };
}

const names = (objects: readonly KubeObject[]) =>
  objects.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);

describe('keelson log replay', () => {
  it('prints the objects as of --until as a YAML stream sorted by kind, namespace and name', async () => {
    const { code, out, err, objects } = await replay('--until', String(sample.revisions.created));
    expect(code).toBe(ExitCode.ok);
    expect(err).toBe('');
    expect(out).toMatch(new RegExp(`^# 7 objects as of revision ${sample.revisions.created}\\n---\\napiVersion: `));
    expect(names(objects)).toEqual([
      'Deployment default/batch',
      'Deployment default/web',
      'Namespace /default',
      'Namespace /kube-node-lease',
      'Namespace /kube-public',
      'Namespace /kube-system',
      'Service default/web',
    ]);
    expect(objects[1]?.spec?.replicas).toBe(3);
  });

  it('shows later changes at later revisions', async () => {
    const scaled = await replay('--until', String(sample.revisions.scaled), '--kind', 'deployments.apps');
    expect(names(scaled.objects)).toEqual(['Deployment default/batch', 'Deployment default/web']);
    expect(scaled.objects[1]?.spec?.replicas).toBe(5);
    const deleted = await replay('--until', String(sample.revisions.head), '--kind', 'Deployment');
    expect(names(deleted.objects)).toEqual(['Deployment default/web']);
  });

  it('keeps only namespaced objects of the namespace given with -n', async () => {
    const { objects } = await replay('--until', String(sample.revisions.head), '-n', 'default');
    expect(names(objects)).toEqual(['Deployment default/web', 'Service default/web']);
    const none = await replay('--until', String(sample.revisions.head), '-n', 'prod');
    expect(none.out).toBe(`# 0 objects as of revision ${sample.revisions.head}\n`);
  });

  it('exits 2 naming --until when it is not a revision', async () => {
    for (const until of ['abc', '-1', '1.5', '']) {
      const { code, err, out } = await replay('--until', until);
      expect(code, until).toBe(ExitCode.usage);
      expect(err).toMatch(/option '--until <revision>' argument '.*' is invalid\. expected a revision/);
      expect(out).toBe('');
    }
  });

  it('exits 1 naming --until when it is past the head', async () => {
    const { code, err } = await replay('--until', String(sample.revisions.head + 1));
    expect(code).toBe(ExitCode.failure);
    expect(err).toBe(
      `keelson: --until ${sample.revisions.head + 1} is past the log's head (revision ${sample.revisions.head}); pass a revision <= ${sample.revisions.head}\n`,
    );
  });

  it('exits 1 for an unknown --kind', async () => {
    const { code, err } = await replay('--until', '1', '--kind', 'gadgets');
    expect(code).toBe(1);
    expect(err).toMatch(/unknown kind "gadgets"/);
  });
});
