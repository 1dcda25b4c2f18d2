import { createRandom, VirtualClock } from '@keelson/clock';
import { createStore, isKeelsonError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { DEPLOYMENT, JOB, LIVENESS_POD, SERVICE } from '../../test/documentationExamples';
import { builtinAdmission, ensureSystemNamespaces } from '../admission/index';
import { builtinTypes } from '../builtinTypes';
import { parseManifests } from './parseManifests';

describe('parseManifests', () => {
  it('parses the documentation’s Deployment, Pod, Service and Job with their defaults', () => {
    const manifests = parseManifests([DEPLOYMENT, LIVENESS_POD, SERVICE, JOB].join('\n---\n'));
    expect(manifests.map((m) => m.type.kind)).toEqual(['Deployment', 'Pod', 'Service', 'Job']);
    for (const m of manifests) expect(m.warnings).toEqual([]);
    const [deployment, pod, service, job] = manifests.map((m) => m.object as Record<string, any>);
    expect(deployment?.spec).toMatchObject({
      replicas: 3,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    });
    expect(pod?.spec).toMatchObject({ restartPolicy: 'Always', terminationGracePeriodSeconds: 30 });
    expect(pod?.spec.containers[0].livenessProbe).toMatchObject({
      periodSeconds: 5,
      timeoutSeconds: 1,
      failureThreshold: 3,
    });
    expect(service?.spec).toMatchObject({
      type: 'ClusterIP',
      ports: [{ protocol: 'TCP', port: 80, targetPort: 9376 }],
    });
    expect(job?.spec).toMatchObject({ backoffLimit: 4, parallelism: 1, completions: 1 });
  });

  it('creates what it parsed in a store with the built-in admission', async () => {
    const store = await createStore({
      types: builtinTypes,
      admission: builtinAdmission(),
      clock: new VirtualClock(0),
      random: createRandom(1, 'manifests'),
      logger: { warn: () => undefined },
    });
    await ensureSystemNamespaces(store);
    for (const { type, object } of parseManifests([DEPLOYMENT, LIVENESS_POD, SERVICE, JOB].join('---\n'))) {
      await store.create(type, object as never);
    }
    expect(store.revision).toBe(8);
  });

  it('warns about fields Keelson does not model, and flattens List documents', () => {
    const manifests = parseManifests(`
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: { name: a }
  spec: { ports: [{ port: 80 }], futureField: true }
- apiVersion: v1
  kind: Namespace
  metadata: { name: team-a }
`);
    expect(manifests.map((m) => [m.type.kind, m.warnings])).toEqual([
      ['Service', ['unknown field "spec.futureField"']],
      ['Namespace', []],
    ]);
  });

  it('refuses bad YAML, unknown kinds and invalid objects with errors that say where', () => {
    const bad = (text: string) => {
      try {
        parseManifests(text);
      } catch (error) {
        return error as Error;
      }
      throw new Error('expected parseManifests to throw');
    };
    expect(bad('a: [1, 2').message).toMatch(/manifest document 1 is not valid YAML at line \d+, column \d+/);
    const unknown = bad('apiVersion: v1\nkind: Gadget\nmetadata: { name: x }\n');
    expect(isKeelsonError(unknown, 'Invalid')).toBe(true);
    expect(unknown.message).toMatch(/kind "Gadget", which is not a known kind/);
    const invalid = bad(
      `---\napiVersion: v1\nkind: Namespace\nmetadata: { name: ok }\n---\n${SERVICE.replace('port: 80', 'port: "eighty"')}`,
    );
    expect(isKeelsonError(invalid, 'Validation')).toBe(true);
    expect(invalid.message).toMatch(/spec\.ports\[0\]\.port/);
    expect(bad('- 1\n- 2').message).toMatch(/must be an object with apiVersion and kind/);
  });
});
