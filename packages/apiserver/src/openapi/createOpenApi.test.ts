import { builtinTypes } from '@keelson/api';
import { defineResource, type ResourceType } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOpenApi } from './index';

// biome-ignore lint/suspicious/noExplicitAny: the tests walk documents as kubectl does, untyped JSON
type Doc = Record<string, any>;

const Website = defineResource({
  group: 'example.dev',
  version: 'v1',
  kind: 'Website',
  plural: 'websites',
  namespaced: true,
  spec: z.object({ replicas: z.number().int().min(0).default(1), image: z.string() }),
  status: z.object({ readyReplicas: z.number().int().default(0) }).optional(),
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.readyReplicas' },
});

const Cluster = defineResource({
  group: 'example.dev',
  version: 'v1',
  kind: 'Cluster',
  plural: 'clusters',
  namespaced: false,
});

/** Every PATCH operation of the kind, found the way kubectl finds them: by the operation's single GVK map. */
function patchOperations(doc: Doc, gvk: { group: string; version: string; kind: string }): Doc[] {
  return Object.values(doc.paths as Record<string, Doc>)
    .map((item) => item.patch)
    .filter((op): op is Doc => {
      const ext = op?.['x-kubernetes-group-version-kind'];
      return ext?.group === gvk.group && ext.version === gvk.version && ext.kind === gvk.kind;
    });
}

/** kubectl's `supportsQueryParamV3`: it decides on whichever matching PATCH it meets first, so all must agree. */
function supportsFieldValidation(doc: Doc, gvk: { group: string; version: string; kind: string }): boolean {
  const ops = patchOperations(doc, gvk);
  return (
    ops.length > 0 &&
    ops.every((op) => (op.parameters as Doc[]).some((p) => p.name === 'fieldValidation' && p.in === 'query'))
  );
}

function refsOf(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsOf(v, into);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') into.push(v);
      else refsOf(v, into);
    }
  }
  return into;
}

describe('createOpenApi', () => {
  const openApi = createOpenApi({ types: () => builtinTypes });

  it('lists every group-version served, with a hash query as Kubernetes does', () => {
    const { paths } = openApi.index();
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining(['api', 'apis', 'api/v1', 'apis/apps/v1', 'apis/batch/v1']),
    );
    expect(paths['apis/apps/v1']?.serverRelativeURL).toBe(
      `/openapi/v3/apis/apps/v1?hash=${openApi.hash('apis/apps/v1')}`,
    );
    expect(openApi.hash('api/v1')).toMatch(/^[0-9A-F]{128}$/);
  });

  it('publishes Deployment with its group-version-kind and zod-derived fields', () => {
    const doc = openApi.document('apis/apps/v1') as Doc;
    expect(doc.openapi).toBe('3.0.0');
    const schemas = doc.components.schemas;
    const deployment = schemas['io.k8s.api.apps.v1.Deployment'];
    expect(deployment['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', version: 'v1', kind: 'Deployment' },
    ]);
    expect(refsOf(deployment.properties.metadata)).toEqual([
      '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    ]);
    expect(schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.replicas.type).toBe('integer');
    expect(schemas['io.k8s.api.apps.v1.DeploymentList']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', version: 'v1', kind: 'DeploymentList' },
    ]);
  });

  it('declares fieldValidation on every PATCH of each kind, so kubectl apply validates on the server', () => {
    const doc = openApi.document('apis/apps/v1') as Doc;
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(patch.operationId).toBe('patchAppsV1NamespacedDeployment');
    expect(patch['x-kubernetes-action']).toBe('patch');
    expect(Object.keys(patch.requestBody.content)).toEqual(
      expect.arrayContaining([
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/apply-patch+yaml',
      ]),
    );
    for (const type of builtinTypes as readonly ResourceType[]) {
      const gvDoc = openApi.document(type.group === '' ? `api/${type.version}` : `apis/${type.apiVersion}`) as Doc;
      expect(supportsFieldValidation(gvDoc, type), type.kind).toBe(true);
    }
  });

  it('names paths as Kubernetes does: namespaced, all namespaces, cluster-scoped, status and scale', () => {
    const core = openApi.document('api/v1') as Doc;
    expect(Object.keys(core.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/namespaces/{namespace}/pods',
        '/api/v1/namespaces/{namespace}/pods/{name}',
        '/api/v1/namespaces/{namespace}/pods/{name}/status',
        '/api/v1/pods',
        '/api/v1/nodes',
        '/api/v1/nodes/{name}',
      ]),
    );
    expect(core.paths['/api/v1/nodes/{name}'].get.operationId).toBe('readCoreV1Node');
    expect(core.paths['/api/v1/pods'].get.operationId).toBe('listCoreV1PodForAllNamespaces');
    const apps = openApi.document('/apis/apps/v1') as Doc;
    const scale = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
    expect(scale.patch['x-kubernetes-group-version-kind']).toEqual({
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
    expect(apps.components.schemas['io.k8s.api.autoscaling.v1.Scale']).toBeDefined();
  });

  it('refers only to schemas the document holds, and publishes no merge hints', () => {
    for (const path of Object.keys(openApi.index().paths)) {
      const doc = openApi.document(path) as Doc;
      for (const target of refsOf(doc)) {
        expect(doc.components.schemas[target.replace('#/components/schemas/', '')], `${path}: ${target}`).toBeDefined();
      }
      const text = JSON.stringify(doc);
      expect(text).not.toContain('x-kubernetes-patch-merge-key');
      expect(text).not.toContain('x-kubernetes-patch-strategy');
      expect(text).not.toContain('$schema');
    }
  });

  it('serves a defineResource kind in its own group document', () => {
    const custom = createOpenApi({ types: () => [...builtinTypes, Website, Cluster] });
    expect(custom.index().paths['apis/example.dev/v1']).toBeDefined();
    const doc = custom.document('apis/example.dev/v1') as Doc;
    const website = doc.components.schemas['dev.example.v1.Website'];
    expect(website['x-kubernetes-group-version-kind']).toEqual([
      { group: 'example.dev', version: 'v1', kind: 'Website' },
    ]);
    expect(doc.components.schemas['dev.example.v1.WebsiteSpec'].required).toEqual(['image']);
    expect(doc.paths['/apis/example.dev/v1/namespaces/{namespace}/websites/{name}/scale']).toBeDefined();
    expect(doc.paths['/apis/example.dev/v1/clusters/{name}'].patch.operationId).toBe('patchExampleDevV1Cluster');
    expect(supportsFieldValidation(doc, Website)).toBe(true);
    expect(custom.document('apis/example.dev/v2')).toBeUndefined();
  });

  it('uses a kind’s own schema from schemaOf, keeping Kubernetes’ metadata', () => {
    const own = {
      type: 'object',
      properties: {
        spec: { type: 'object', properties: { domain: { type: 'string' } }, 'x-kubernetes-patch-strategy': 'merge' },
        metadata: { type: 'object' },
      },
    };
    const custom = createOpenApi({ types: () => [Website], schemaOf: (t) => (t === Website ? own : undefined) });
    const website = (custom.document('apis/example.dev/v1') as Doc).components.schemas['dev.example.v1.Website'];
    expect(website.properties.spec.properties.domain).toEqual({ type: 'string' });
    expect(website.properties.spec['x-kubernetes-patch-strategy']).toBeUndefined();
    expect(refsOf(website.properties.metadata)).toEqual([
      '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    ]);
    expect(website['x-kubernetes-group-version-kind']).toEqual([
      { group: 'example.dev', version: 'v1', kind: 'Website' },
    ]);
  });

  it('rebuilds when types() returns a different array, and the hash follows the schema', () => {
    let types: readonly ResourceType[] = [Website];
    const custom = createOpenApi({ types: () => types });
    const before = custom.hash('apis/example.dev/v1');
    const first = custom.document('apis/example.dev/v1');
    expect(custom.document('apis/example.dev/v1')).toBe(first);
    types = [Website];
    expect(custom.document('apis/example.dev/v1')).toBe(first);
    expect(custom.hash('apis/example.dev/v1')).toBe(before);
    const Changed = defineResource({
      group: 'example.dev',
      version: 'v1',
      kind: 'Website',
      plural: 'websites',
      namespaced: true,
      spec: z.object({ image: z.string(), tier: z.string() }),
    });
    types = [Changed];
    expect(custom.hash('apis/example.dev/v1')).not.toBe(before);
    expect(custom.index().paths['apis/example.dev/v1']?.serverRelativeURL).toContain(
      custom.hash('apis/example.dev/v1'),
    );
  });

  it('rebuilds when schemaOf gives a kind a different schema', () => {
    let own: Record<string, unknown> = { type: 'object', properties: { spec: { type: 'object' } } };
    const custom = createOpenApi({ types: () => [Website], schemaOf: () => own });
    const before = custom.hash('apis/example.dev/v1');
    own = { type: 'object', properties: { spec: { type: 'object', properties: { domain: { type: 'string' } } } } };
    expect(custom.hash('apis/example.dev/v1')).not.toBe(before);
  });

  it('writes zod types as Kubernetes does: integer widths, IntOrString, Quantity', () => {
    const schemas = (openApi.document('apis/apps/v1') as Doc).components.schemas;
    const spec = schemas['io.k8s.api.apps.v1.DeploymentSpec'];
    expect(refsOf(spec.properties.strategy.properties.rollingUpdate.properties.maxSurge)).toEqual([
      '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString',
    ]);
    expect(spec.properties.replicas).toEqual({ type: 'integer', format: 'int32', minimum: 0, default: 1 });
    const container = spec.properties.template.properties.spec.properties.containers.items;
    expect(refsOf(container.properties.resources.properties.limits.additionalProperties)).toEqual([
      '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity',
    ]);
  });

  it('advertises strategic merge only for the kinds it is told to', () => {
    const custom = createOpenApi({ types: () => builtinTypes, strategicMerge: (t) => t.kind === 'Pod' });
    const core = custom.document('api/v1') as Doc;
    expect(core.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch.requestBody.content).toHaveProperty([
      'application/strategic-merge-patch+json',
    ]);
    expect(core.paths['/api/v1/nodes/{name}'].patch.requestBody.content).not.toHaveProperty([
      'application/strategic-merge-patch+json',
    ]);
  });

  it('adds create-only kinds to their group-version', () => {
    const custom = createOpenApi({
      types: () => builtinTypes,
      createOnly: [
        {
          group: 'authorization.k8s.io',
          version: 'v1',
          kind: 'SelfSubjectAccessReview',
          plural: 'selfsubjectaccessreviews',
          namespaced: false,
          schema: { type: 'object', properties: { spec: { type: 'object' } } },
        },
      ],
    });
    const doc = custom.document('apis/authorization.k8s.io/v1') as Doc;
    const item = doc.paths['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'];
    expect(Object.keys(item)).toEqual(['post', 'parameters']);
    expect(doc.components.schemas['io.k8s.api.authorization.v1.SelfSubjectAccessReview']).toBeDefined();
  });
});
