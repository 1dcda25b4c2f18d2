import { describe, expect, it } from 'vitest';
import { serverSideApply, strategicMergeSchemaFor } from '../index';
import { deployment, managedFields, type Obj, schema, spec, stored, T0, T1, T2 } from './deploymentFixtures';

describe('serverSideApply', () => {
  it('creates the object and records the applier with Kubernetes fieldsV1', () => {
    const { object, conflicts } = serverSideApply({
      live: undefined,
      applied: deployment(2),
      fieldManager: 'kubectl',
      force: false,
      now: T0,
      schema,
    });
    expect(conflicts).toEqual([]);
    expect(spec(object).replicas).toBe(2);
    expect(managedFields(object)).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': { 'f:matchLabels': { 'f:app': {} } },
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"web"}': {
                    '.': {},
                    'f:name': {},
                    'f:image': {},
                    'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
                  },
                },
              },
            },
          },
        },
      },
    ]);
  });

  it('removes what the manager stopped applying, keeps what it never applied', () => {
    const first = serverSideApply({
      live: undefined,
      applied: deployment(2, { app: 'web', tier: 'front' }),
      fieldManager: 'kubectl',
      force: false,
      now: T0,
      schema,
    });
    const live = stored(first.object);
    (live.metadata as Obj).annotations = { 'deployment.kubernetes.io/revision': '1' };
    const again = serverSideApply({
      live,
      applied: deployment(2, { app: 'web' }),
      fieldManager: 'kubectl',
      force: false,
      now: T1,
      schema,
    });
    expect((again.object.metadata as Obj).labels).toEqual({ app: 'web' });
    expect((again.object.metadata as Obj).annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
    expect((again.object.metadata as Obj).uid).toBe('u-1');
    expect(managedFields(again.object)[0]?.time).toBe(T1);
  });

  it('removes a container the manager no longer applies, and keeps the time of a no-op apply', () => {
    const two = deployment(1);
    ((spec(two).template as Obj).spec as Obj).containers = [
      { name: 'web', image: 'nginx:1.25' },
      { name: 'log', image: 'fluent-bit:3' },
    ];
    const live = stored(
      serverSideApply({ live: undefined, applied: two, fieldManager: 'kubectl', force: false, now: T0, schema }).object,
    );
    const one = serverSideApply({
      live,
      applied: deployment(1),
      fieldManager: 'kubectl',
      force: false,
      now: T1,
      schema,
    }).object;
    const containers = ((spec(one).template as Obj).spec as Obj).containers as Obj[];
    expect(containers.map((c) => c.name)).toEqual(['web']);
    const noop = serverSideApply({
      live: one,
      applied: deployment(1),
      fieldManager: 'kubectl',
      force: false,
      now: T2,
      schema,
    }).object;
    expect(noop).toEqual(one);
  });

  it('leaves a field another applier also applies when one applier drops it', () => {
    const a = stored(
      serverSideApply({
        live: undefined,
        applied: deployment(1, { app: 'web', shared: 'x' }),
        fieldManager: 'a',
        force: false,
        now: T0,
        schema,
      }).object,
    );
    const b = serverSideApply({
      live: a,
      applied: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', labels: { shared: 'x', mine: 'b' } },
      },
      fieldManager: 'b',
      force: false,
      now: T1,
      schema,
    });
    expect(b.conflicts).toEqual([]);
    const dropped = serverSideApply({
      live: b.object,
      applied: deployment(1, { app: 'web' }),
      fieldManager: 'a',
      force: false,
      now: T2,
      schema,
    });
    expect((dropped.object.metadata as Obj).labels).toEqual({ app: 'web', shared: 'x', mine: 'b' });
  });

  it('applies status only through the status subresource', () => {
    const applied = { ...deployment(1), status: { replicas: 9 } };
    const created = serverSideApply({
      live: undefined,
      applied,
      fieldManager: 'kubectl',
      force: false,
      now: T0,
      schema,
    }).object;
    expect(created.status).toBeUndefined();
    const status = serverSideApply({
      live: stored(created),
      applied: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, status: { replicas: 1 } },
      fieldManager: 'controller',
      force: false,
      now: T1,
      subresource: 'status',
      schema,
    }).object;
    expect(status.status).toEqual({ replicas: 1 });
    expect(managedFields(status).find((e) => e.manager === 'controller')).toMatchObject({
      subresource: 'status',
      fieldsV1: { 'f:status': { 'f:replicas': {} } },
    });
  });

  it('refuses managedFields in the configuration, a missing fieldManager and list items without keys', () => {
    const withManaged = { ...deployment(1), metadata: { name: 'web', managedFields: [{ manager: 'x' }] } };
    expect(() =>
      serverSideApply({ live: undefined, applied: withManaged, fieldManager: 'kubectl', force: false, now: T0 }),
    ).toThrow('metadata.managedFields must be nil');
    expect(() =>
      serverSideApply({ live: undefined, applied: deployment(1), fieldManager: '', force: false, now: T0 }),
    ).toThrow(/fieldManager is required/);
    const noName = deployment(1);
    ((spec(noName).template as Obj).spec as Obj).containers = [{ image: 'nginx' }];
    expect(() =>
      serverSideApply({ live: undefined, applied: noName, fieldManager: 'kubectl', force: false, now: T0, schema }),
    ).toThrow('.spec.template.spec.containers[0]: an item of an associative list omits a key field (name)');
  });

  it('treats lists of a kind without a schema as atomic (custom resources) and never mutates the live object', () => {
    const applied = {
      apiVersion: 'example.dev/v1',
      kind: 'Website',
      metadata: { name: 'blog' },
      spec: { hosts: ['a.example', 'b.example'] },
    };
    const created = serverSideApply({
      live: undefined,
      applied,
      fieldManager: 'kubectl',
      force: false,
      now: T0,
    }).object;
    expect(managedFields(created)[0]?.fieldsV1).toEqual({ 'f:spec': { 'f:hosts': {} } });
    const live = JSON.parse(JSON.stringify(created)) as Obj;
    const frozen = deepFreeze(JSON.parse(JSON.stringify(created)) as Obj);
    const next = serverSideApply({
      live: frozen,
      applied: { ...applied, spec: { hosts: ['c.example'] } },
      fieldManager: 'kubectl',
      force: false,
      now: T1,
    });
    expect(spec(next.object).hosts).toEqual(['c.example']);
    expect(frozen).toEqual(live);
  });

  it('keys Service ports by port and protocol, TCP when left out', () => {
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { ports: [{ port: 80, targetPort: 8080 }] },
    };
    const created = serverSideApply({
      live: undefined,
      applied: service,
      fieldManager: 'kubectl',
      force: false,
      now: T0,
      schema: strategicMergeSchemaFor('v1', 'Service'),
    }).object;
    expect(managedFields(created)[0]?.fieldsV1).toEqual({
      'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:targetPort': {} } } },
    });
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
