/**
 * An update that carries over stored (already validated, frozen) subtrees
 * skips parsing them again: it must accept, reject, warn and store exactly
 * as the same update written from scratch (a deep copy, which reuses nothing).
 */
import { isKeelsonError, type Store } from '@keelson/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Container, containerSchema } from './container';
import { Pod } from './pod';
import { builtinStore } from './testStore';

type Outcome = { object: unknown } | { error: string; issues: unknown };

async function outcome(store: Store, warnings: string[], request: unknown): Promise<[Outcome, string[]]> {
  warnings.length = 0;
  try {
    const object = await store.update(request as Pod);
    return [{ object }, [...warnings]];
  } catch (error) {
    if (!isKeelsonError(error)) throw error;
    return [{ error: (error as Error).message, issues: (error as { issues?: unknown }).issues }, [...warnings]];
  }
}

/** Two stores with the same seed and the same pod: one gets `edit(stored)`, the other a deep copy of it. */
async function bothWays(spec: unknown, edit: (pod: Pod) => unknown) {
  const reused = await builtinStore();
  const copied = await builtinStore();
  const input = { metadata: { name: 'p', namespace: 'default' }, spec } as never;
  const stored = await reused.store.create(Pod, input);
  await copied.store.create(Pod, structuredClone(input));
  const request = edit(stored);
  return {
    reused: await outcome(reused.store, reused.warnings, request),
    copied: await outcome(copied.store, copied.warnings, structuredClone(request)),
  };
}

const web = {
  name: 'web',
  image: 'registry.example.com/web:1.24.3',
  ports: [{ name: 'http', containerPort: 8080 }],
  env: [{ name: 'LOG_LEVEL', value: 'info' }],
  resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
  readinessProbe: { httpGet: { path: '/healthz', port: 8080 } },
};
const sidecar = { name: 'sidecar', image: 'proxy:2.1.0', resources: { requests: { cpu: '50m' } } };

function withContainer(pod: Pod, index: number, change: (c: Container) => unknown): unknown {
  const containers = pod.spec.containers.map((c, i) => (i === index ? change(c) : c));
  return { ...pod, spec: { ...pod.spec, containers } };
}

describe('updates that carry over stored subtrees', () => {
  it('reject an invalid field of a changed container with the same error and path', async () => {
    const { reused, copied } = await bothWays({ containers: [web, sidecar] }, (pod) =>
      withContainer(pod, 0, (c) => ({ ...c, ports: [{ ...c.ports?.[0], containerPort: 70000 }] })),
    );
    expect(reused).toEqual(copied);
    const [result] = reused;
    expect(result).toMatchObject({ issues: [{ path: 'spec.containers[0].ports[0].containerPort' }] });
  });

  it('check a stored probe again where it is moved to (readiness probes may not set a grace period)', async () => {
    const probe = { httpGet: { port: 80 }, terminationGracePeriodSeconds: 5 };
    const { reused, copied } = await bothWays({ containers: [{ ...web, livenessProbe: probe }] }, (pod) =>
      withContainer(pod, 0, (c) => ({ ...c, readinessProbe: c.livenessProbe })),
    );
    expect(reused).toEqual(copied);
    expect(reused[0]).toMatchObject({
      issues: [{ path: 'spec.containers[0].readinessProbe.terminationGracePeriodSeconds' }],
    });
  });

  it('report unknown fields of a stored subtree put where another schema reads it', async () => {
    const { store, warnings } = await builtinStore();
    const stored = await store.create(Pod, {
      metadata: { name: 'p', namespace: 'default' },
      spec: { containers: [web] },
    });
    const port = stored.spec.containers[0]?.ports?.[0];
    const input = (name: string, env: unknown) =>
      ({ metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x:1', env }] } }) as never;
    warnings.length = 0;
    const reused = await store.create(Pod, input('reused', [port]));
    const fromReused = warnings.splice(0);
    const copied = await store.create(Pod, input('copied', [structuredClone(port)]));
    expect(fromReused).toEqual(warnings);
    expect(fromReused).toEqual(expect.arrayContaining(['unknown field "spec.containers[0].env[0].containerPort"']));
    expect(reused.spec).toEqual(copied.spec);
  });

  it('store the same object as an update written from scratch', async () => {
    const { reused, copied } = await bothWays({ containers: [web, sidecar] }, (pod) =>
      withContainer(pod, 0, (c) => ({ ...c, image: 'registry.example.com/web:1.25.0' })),
    );
    expect(reused).toEqual(copied);
    expect(reused[0]).toHaveProperty('object.spec.containers.0.image', 'registry.example.com/web:1.25.0');
  });

  it('take a frozen output of the container schema as it is, and parse anything else', () => {
    const output = Object.freeze(containerSchema.parse({ name: 'a', image: 'nginx:1.25' }));
    expect(containerSchema.parse(output)).toBe(output);
    const unfrozen = containerSchema.parse({ name: 'a', image: 'nginx:1.25' });
    expect(containerSchema.parse(unfrozen)).not.toBe(unfrozen);
    expect(containerSchema.parse(Object.freeze({ ...output }))).not.toBe(output);
  });

  // Valid containers to create the pod with (named by position, so unique), and any values to edit it with.
  const quantity = (valid: boolean) =>
    fc.constantFrom(...(valid ? ['100m', '1', '500m'] : ['100m', '2Gi', '-1', 'lots']));
  const port = (valid: boolean) =>
    valid
      ? fc.integer({ min: 1, max: 65535 })
      : fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(0, 70000));
  const container = (valid: boolean) =>
    fc.record(
      {
        image: fc.constantFrom(...(valid ? ['nginx:1.25', 'nginx'] : ['nginx:1.25', ''])),
        ports: fc.array(fc.record({ containerPort: port(valid) }), { maxLength: 2 }),
        env: fc.array(fc.record({ name: valid ? fc.constant('A') : fc.constantFrom('A', ''), value: fc.string() }), {
          maxLength: 2,
        }),
        resources: fc.record({
          requests: fc.record({ cpu: quantity(valid) }),
          limits: fc.record({ cpu: fc.constant('2') }),
        }),
        readinessProbe: fc.record({ httpGet: fc.record({ port: port(valid) }) }),
        livenessProbe: fc.record({
          tcpSocket: fc.record({ port: port(valid) }),
          successThreshold: fc.constantFrom(1, valid ? 1 : 2),
        }),
        extra: fc.constant(1),
      },
      { requiredKeys: ['image'] },
    );
  const edit = fc.record({
    index: fc.nat(2),
    field: fc.constantFrom('image', 'ports', 'env', 'resources', 'readinessProbe', 'livenessProbe', 'unknown'),
    value: container(false),
    swap: fc.boolean(),
  });

  it('accept, reject and warn as the same update from a deep copy, for generated pods and edits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(container(true), { minLength: 1, maxLength: 3 }), edit, async (generated, change) => {
        const containers = generated.map((c, i) => ({ ...c, name: `c${i}` }));
        const { reused, copied } = await bothWays({ containers }, (pod) => {
          const index = change.index % pod.spec.containers.length;
          const from = change.swap ? pod.spec.containers[(index + 1) % pod.spec.containers.length] : undefined;
          return withContainer(pod, index, (c) => {
            const field = change.field;
            if (field === 'unknown') return { ...c, unknownField: true };
            const source = (from ?? change.value) as Record<string, unknown>;
            return { ...c, [field]: field === 'image' ? change.value.image : source[field] };
          });
        });
        expect(reused).toEqual(copied);
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
