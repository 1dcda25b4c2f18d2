import { describe, expect, it } from 'vitest';
import {
  applyConflictError,
  applyConflictMessage,
  recordUpdate,
  serverSideApply,
  strategicMergeSchemaFor,
} from '../index';

const schema = strategicMergeSchemaFor('apps/v1', 'Deployment');
const T0 = '2024-05-01T12:00:00Z';
const T1 = '2024-05-01T12:05:00Z';
const T2 = '2024-05-01T12:10:00Z';

type Obj = Record<string, unknown>;

function deployment(replicas: number, labels: Record<string, string> = { app: 'web' }, image = 'nginx:1.25'): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 80 }] }] },
      },
    },
  };
}

/** What the store adds on create. */
function stored(object: Obj): Obj {
  const metadata = object.metadata as Obj;
  return {
    ...object,
    metadata: { ...metadata, uid: 'u-1', resourceVersion: '7', creationTimestamp: T0, generation: 1 },
  };
}

function managedFields(object: Obj): Obj[] {
  return ((object.metadata as Obj).managedFields ?? []) as Obj[];
}

function spec(object: Obj): Obj {
  return object.spec as Obj;
}

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

  it('conflicts with the client-side apply that set replicas, with Kubernetes message', () => {
    const created = recordUpdate({
      before: undefined,
      after: stored(deployment(1)),
      manager: 'kubectl-client-side-apply',
      now: T0,
      apiVersion: 'apps/v1',
      schema,
    });
    expect(managedFields(created)).toMatchObject([
      { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', time: T0 },
    ]);
    const result = serverSideApply({
      live: created,
      applied: deployment(3),
      fieldManager: 'kubectl',
      force: false,
      now: T1,
      schema,
    });
    expect(result.object).toBe(created);
    expect(result.conflicts).toEqual([
      { manager: 'kubectl-client-side-apply', field: '.spec.replicas', operation: 'Update', apiVersion: 'apps/v1' },
    ]);
    expect(applyConflictError(result.conflicts).message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    );
    expect(applyConflictError(result.conflicts).status).toBe(409);
  });

  it('shares fields applied with the same value and takes them over with force', () => {
    const created = recordUpdate({
      before: undefined,
      after: stored(deployment(1)),
      manager: 'kubectl-client-side-apply',
      now: T0,
      apiVersion: 'apps/v1',
      schema,
    });
    const same = serverSideApply({
      live: created,
      applied: deployment(1),
      fieldManager: 'kubectl',
      force: false,
      now: T1,
      schema,
    });
    expect(same.conflicts).toEqual([]);
    expect(managedFields(same.object).map((e) => [e.manager, e.operation])).toEqual([
      ['kubectl', 'Apply'],
      ['kubectl-client-side-apply', 'Update'],
    ]);
    const forced = serverSideApply({
      live: same.object,
      applied: deployment(5),
      fieldManager: 'kubectl',
      force: true,
      now: T2,
      schema,
    });
    expect(forced.conflicts).toEqual([]);
    expect(spec(forced.object).replicas).toBe(5);
    const csa = managedFields(forced.object).find((e) => e.manager === 'kubectl-client-side-apply');
    expect(((csa?.fieldsV1 ?? {}) as Obj)['f:spec']).not.toHaveProperty('f:replicas');
    const after = serverSideApply({
      live: forced.object,
      applied: deployment(6),
      fieldManager: 'kubectl',
      force: false,
      now: T2,
      schema,
    });
    expect(after.conflicts).toEqual([]);
  });

  it('conflicts with kubectl scale (the scale subresource) after an apply', () => {
    const applied = stored(
      serverSideApply({
        live: undefined,
        applied: deployment(2),
        fieldManager: 'kubectl',
        force: false,
        now: T0,
        schema,
      }).object,
    );
    const scaled = recordUpdate({
      before: applied,
      after: { ...applied, spec: { ...spec(applied), replicas: 4 } },
      manager: 'kubectl',
      now: T1,
      apiVersion: 'apps/v1',
      subresource: 'scale',
      schema,
    });
    const result = serverSideApply({
      live: scaled,
      applied: deployment(2),
      fieldManager: 'kubectl',
      force: false,
      now: T2,
      schema,
    });
    expect(applyConflictMessage(result.conflicts)).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas',
    );
  });

  it('lists several conflicts grouped by manager', () => {
    const created = recordUpdate({
      before: undefined,
      after: stored(deployment(1)),
      manager: 'helm',
      now: T0,
      apiVersion: 'apps/v1',
      schema,
    });
    const result = serverSideApply({
      live: created,
      applied: deployment(3, { app: 'web' }, 'nginx:2'),
      fieldManager: 'kubectl',
      force: false,
      now: T1,
      schema,
    });
    expect(applyConflictMessage(result.conflicts)).toBe(
      'Apply failed with 2 conflicts: conflicts with "helm" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image',
    );
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
});

describe('recordUpdate', () => {
  it('takes changed fields from other managers and drops removed ones everywhere', () => {
    const applied = stored(
      serverSideApply({
        live: undefined,
        applied: deployment(2, { app: 'web', tier: 'front' }),
        fieldManager: 'kubectl',
        force: false,
        now: T0,
        schema,
      }).object,
    );
    const edited = recordUpdate({
      before: applied,
      after: {
        ...applied,
        metadata: { ...(applied.metadata as Obj), labels: { app: 'web' } },
        spec: { ...spec(applied), replicas: 3 },
      },
      manager: 'kubectl-edit',
      now: T1,
      apiVersion: 'apps/v1',
      schema,
    });
    const [apply, edit] = managedFields(edited);
    expect(apply?.manager).toBe('kubectl');
    expect(((apply?.fieldsV1 ?? {}) as Obj)['f:metadata']).toEqual({ 'f:labels': { 'f:app': {} } });
    expect(((apply?.fieldsV1 ?? {}) as Obj)['f:spec']).not.toHaveProperty('f:replicas');
    expect(edit).toMatchObject({
      manager: 'kubectl-edit',
      operation: 'Update',
      time: T1,
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    });
  });

  it('leaves managedFields alone when nothing tracked changed', () => {
    const created = recordUpdate({
      before: undefined,
      after: stored(deployment(1)),
      manager: 'm',
      now: T0,
      apiVersion: 'apps/v1',
      schema,
    });
    const touched = recordUpdate({
      before: created,
      after: { ...created, metadata: { ...(created.metadata as Obj), resourceVersion: '8' } },
      manager: 'other',
      now: T1,
      apiVersion: 'apps/v1',
      schema,
    });
    expect(managedFields(touched)).toEqual(managedFields(created));
  });
});
