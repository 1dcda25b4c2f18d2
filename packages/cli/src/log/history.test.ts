import { describe, expect, it } from 'vitest';
import { keelson, useSampleLog } from '../../test/sampleLog';
import { ExitCode } from '../index';
import type { ObjectVersion } from './history';

const sample = useSampleLog();
const history = (...args: string[]) => keelson('log', 'history', sample.dir, ...args);

describe('keelson log history', () => {
  it('prints every version with revision, type, actor, reason and readable changes', async () => {
    const { code, out, err } = await history('deployment/web');
    expect(code).toBe(ExitCode.ok);
    expect(err).toBe('');
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^revision \d+ +ADDED +by system:admin$/);
    expect(lines[1]).toBe('    (created)');
    expect(lines[2]).toBe(`revision ${sample.revisions.scaled}  MODIFIED  by alice  reason: scale up`);
    expect(lines).toContain('    replace /spec/replicas: 3 → 5');
    // Bookkeeping every write changes is left out unless asked for.
    expect(out).not.toContain('/metadata/resourceVersion');
  });

  it('accepts a kind, a plural or plural.group, in any case', async () => {
    const expected = (await history('deployment/web')).out;
    for (const kind of ['Deployment', 'deployments', 'deployments.apps', 'DEPLOYMENTS.APPS']) {
      expect((await history(`${kind}/web`)).out, kind).toBe(expected);
    }
  });

  it('shows a deletion, and takes the namespace from -n', async () => {
    const { code, out } = await history('deployments/batch', '-n', 'default');
    expect(code).toBe(0);
    expect(out).toMatch(
      new RegExp(`^revision ${sample.revisions.deleted} +DELETED +by system:admin\\n {4}\\(deleted\\)$`, 'm'),
    );
  });

  it('finds a cluster-scoped object without a namespace', async () => {
    const { code, out } = await history('namespace/kube-system');
    expect(code).toBe(0);
    expect(out).toMatch(/^revision \d+ +ADDED /);
  });

  it('prints RFC 6902 patches with --json, and bookkeeping fields with --all-fields', async () => {
    const { out } = await history('deployment/web', '--json', '--all-fields');
    const versions = JSON.parse(out) as ObjectVersion[];
    expect(versions.map((v) => v.type)).toEqual(['ADDED', 'MODIFIED']);
    expect(versions[1]).toMatchObject({ revision: sample.revisions.scaled, actor: 'alice', reason: 'scale up' });
    expect(versions[1]?.patch).toContainEqual({ op: 'replace', path: '/spec/replicas', value: 5 });
    expect(versions[1]?.patch).toContainEqual({
      op: 'replace',
      path: '/metadata/resourceVersion',
      value: String(sample.revisions.scaled),
    });
  });

  it('fails with exit 1 naming an unknown kind and the known ones', async () => {
    const { code, err } = await history('widget/web');
    expect(code).toBe(ExitCode.failure);
    expect(err).toMatch(/^keelson: unknown kind "widget"; the kinds are Namespace, Node, Pod, .*Deployment/);
  });

  it('fails with exit 1 naming an object the log has never held', async () => {
    const missing = await history('deployment/api', '-n', 'prod');
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(
      'keelson: deployments.apps "api" in namespace "prod" has no entries in the log; check the name and --namespace\n',
    );
  });
});
