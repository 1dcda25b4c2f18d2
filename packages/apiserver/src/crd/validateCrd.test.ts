import { ValidationError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { CustomResourceDefinition } from './CustomResourceDefinition';
import { crdStore, rejection, websiteCrd } from './crdFixtures';
import { serveCustomResources } from './serveCustomResources';

const v1 = (name: string, storage: boolean, openAPIV3Schema: Record<string, unknown> = { type: 'object' }) => ({
  name,
  served: true,
  storage,
  schema: { openAPIV3Schema },
});

async function refusal(crd: ReturnType<typeof websiteCrd>): Promise<ValidationError> {
  const { store } = await crdStore();
  const revision = store.revision;
  const error = await rejection(store.create(CustomResourceDefinition, crd));
  expect(error).toBeInstanceOf(ValidationError);
  expect(store.revision).toBe(revision);
  return error as ValidationError;
}

describe('CustomResourceDefinition validation', () => {
  it('accepts a good CRD and defaults singular and listKind', async () => {
    const { store } = await crdStore();
    const base = websiteCrd();
    const crd = await store.create(CustomResourceDefinition, {
      ...base,
      spec: { ...base.spec, names: { plural: 'websites', kind: 'Website' } },
    });
    expect(crd.spec.names).toMatchObject({ singular: 'website', listKind: 'WebsiteList' });
    expect(crd.status?.storedVersions).toEqual(['v1']);
  });

  it('refuses a name that is not plural.group and two storage versions, naming the fields', async () => {
    const error = await refusal(websiteCrd({ name: 'web.example.dev', versions: [v1('v1', true), v1('v2', true)] }));
    expect(error.status).toBe(422);
    expect(error.issues).toEqual([
      { path: 'metadata.name', message: 'must be spec.names.plural+"."+spec.group' },
      { path: 'spec.versions', message: 'Invalid value: must have exactly one version marked as storage version' },
    ]);
    expect(error.message).toContain('metadata.name: must be spec.names.plural+"."+spec.group');
  });

  it('refuses bad groups, names, scopes and versions', async () => {
    const base = websiteCrd({ name: 'web-sites.example', versions: [v1('v1', true), v1('v1', false)] });
    const error = await refusal({
      ...base,
      spec: {
        ...base.spec,
        group: 'example',
        scope: 'Global',
        names: { plural: 'Web_sites', kind: 'website', shortNames: ['WS'] },
      },
    });
    const byPath = Object.fromEntries(error.issues.map((i) => [i.path, i.message]));
    expect(byPath['spec.group']).toBe('Invalid value: "example": should be a domain with at least one dot');
    expect(byPath['spec.scope']).toBe('Unsupported value: "Global": supported values: "Cluster", "Namespaced"');
    expect(byPath['spec.names.plural']).toMatch(/^Invalid value: "Web_sites": a lowercase RFC 1035 label/);
    expect(byPath['spec.names.kind']).toBe('Invalid value: "website": must be UpperCamelCase such as "Website"');
    expect(byPath['spec.names.shortNames[0]']).toMatch(/^Invalid value: "WS"/);
    expect(byPath['spec.versions']).toBe('Invalid value: must contain unique version names');
  });

  it('refuses schemas that are missing or not structural', async () => {
    const missing = await refusal(websiteCrd({ versions: [{ name: 'v1', served: true, storage: true }] }));
    expect(missing.issues).toEqual([
      { path: 'spec.versions[0].schema.openAPIV3Schema', message: 'Required value: schemas are required' },
    ]);
    const error = await refusal(
      websiteCrd({
        versions: [
          v1('v1', true, {
            type: 'object',
            properties: {
              spec: {
                properties: {
                  list: { type: 'array' },
                  both: { type: 'object', properties: {}, additionalProperties: { type: 'string' } },
                },
              },
              metadata: { type: 'object', properties: { labels: { type: 'object' } } },
            },
          }),
        ],
      }),
    );
    expect(error.issues.map((i) => i.path)).toEqual([
      'spec.versions[0].schema.openAPIV3Schema.properties[metadata]',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[both].additionalProperties',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].type',
    ]);
  });

  it('refuses defaults that fail their schema or would be pruned', async () => {
    const error = await refusal(
      websiteCrd({
        versions: [
          v1('v1', true, {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  replicas: { type: 'integer', minimum: 1, default: 0 },
                  tls: { type: 'object', properties: { on: { type: 'boolean' } }, default: { on: true, port: 443 } },
                },
              },
            },
          }),
        ],
      }),
    );
    expect(error.issues).toEqual([
      {
        path: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[replicas].default',
        message: 'Invalid value: 0: default in body should be greater than or equal to 1',
      },
      {
        path: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[tls].default',
        message: 'Invalid value: must not have unknown fields',
      },
    ]);
  });

  it('refuses a schema Ajv cannot compile', async () => {
    const error = await refusal(
      websiteCrd({
        versions: [v1('v1', true, { type: 'object', properties: { spec: { type: 'string', pattern: '(' } } })],
      }),
    );
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.path).toBe('spec.versions[0].schema');
    expect(error.issues[0]?.message).toMatch(/^Invalid value: "": error building validator: /);
  });

  it('refuses bad scale paths and printer columns', async () => {
    const version = {
      ...v1('v1', true),
      subresources: { scale: { specReplicasPath: '.status.replicas', statusReplicasPath: 'replicas' } },
      additionalPrinterColumns: [{ name: '', type: 'float', jsonPath: '' }],
    };
    const error = await refusal(websiteCrd({ versions: [version] }));
    expect(error.issues.map((i) => i.path)).toEqual([
      'spec.versions[0].additionalPrinterColumns[0].jsonPath',
      'spec.versions[0].additionalPrinterColumns[0].name',
      'spec.versions[0].additionalPrinterColumns[0].type',
      'spec.versions[0].subresources.scale.specReplicasPath',
      'spec.versions[0].subresources.scale.statusReplicasPath',
    ]);
  });

  it('keeps group and plural immutable, and scope and kind once Established', async () => {
    const { store } = await crdStore();
    const crds = serveCustomResources(store);
    await store.create(CustomResourceDefinition, websiteCrd());
    await crds.settled();
    const crd = await store.get(CustomResourceDefinition, 'websites.example.dev');
    const error = (await rejection(
      store.update({ ...crd, spec: { ...crd.spec, scope: 'Cluster', names: { ...crd.spec.names, kind: 'Site' } } }),
    )) as ValidationError;
    expect(error.issues).toEqual([
      { path: 'spec.names.kind', message: 'Invalid value: "Site": field is immutable' },
      { path: 'spec.scope', message: 'Invalid value: "Cluster": field is immutable' },
    ]);
    // The storage version stays (no conversion); a new served version is fine, and listed stored versions must remain.
    const moved = (await rejection(
      store.update({ ...crd, spec: { ...crd.spec, versions: [{ ...v1('v1', false), served: true }, v1('v2', true)] } }),
    )) as ValidationError;
    expect(moved.issues.map((i) => i.path)).toEqual(['spec.versions']);
    const v2 = await store.update({ ...crd, spec: { ...crd.spec, versions: [v1('v1', true), v1('v2', false)] } });
    expect(v2.spec.versions.map((v) => v.name)).toEqual(['v1', 'v2']);
    const dropped = (await rejection(
      store.update({ ...v2, spec: { ...v2.spec, versions: [v1('v2', true)] } }),
    )) as ValidationError;
    expect(dropped.issues.map((i) => i.path)).toEqual(['spec.versions', 'status.storedVersions[0]']);
    expect(dropped.issues[1]).toEqual({
      path: 'status.storedVersions[0]',
      message: 'Invalid value: "v1": must appear in spec.versions',
    });
    crds.stop();
  });
});
