import { describe, expect, it } from 'vitest';
import { applyConflictError, applyConflictMessage, recordUpdate, serverSideApply } from '../index';
import { deployment, managedFields, type Obj, schema, spec, stored, T0, T1, T2 } from './deploymentFixtures';

describe('serverSideApply conflicts', () => {
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
