import { isKeelsonError, type KubeObject, type ResourceType, ValidationError } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { CustomResourceDefinition } from './CustomResourceDefinition';
import { crdStore, rejection, websiteCrd } from './crdFixtures';
import { printerColumnsOf } from './resourceTypeFromCrd';
import { type CustomResourceChange, serveCustomResources } from './serveCustomResources';
import { CRD_CLEANUP_FINALIZER } from './validateCrd';

type Website = KubeObject & { spec: Record<string, unknown>; status?: Record<string, unknown> };

async function served() {
  const { store, clock } = await crdStore();
  const changes: CustomResourceChange[] = [];
  const crds = serveCustomResources(store, {
    onChange: (c) => changes.push(c),
    onError: (e) => {
      throw e;
    },
  });
  await store.create(CustomResourceDefinition, websiteCrd());
  await crds.settled();
  const type = store.types.find((t) => t.kind === 'Website') as ResourceType<Website, unknown>;
  return { store, clock, crds, changes, type };
}

describe('serveCustomResources', () => {
  it('serves the kind of an applied CRD and marks it Established', async () => {
    const { store, crds, changes, type } = await served();
    expect(type).toBeDefined();
    expect([type.apiVersion, type.plural, type.namespaced]).toEqual(['example.dev/v1', 'websites', true]);
    expect(crds.types()).toEqual([type]);
    expect(changes.map((c) => c.type)).toEqual(['established']);
    const crd = await store.get(CustomResourceDefinition, 'websites.example.dev');
    expect(crd.metadata.finalizers).toEqual([CRD_CLEANUP_FINALIZER]);
    const conditions = Object.fromEntries((crd.status?.conditions ?? []).map((c) => [c.type, c.status]));
    expect(conditions).toEqual({ NamesAccepted: 'True', Established: 'True' });
    expect(crd.status?.acceptedNames).toMatchObject({ plural: 'websites', kind: 'Website', listKind: 'WebsiteList' });
    expect(crd.status?.storedVersions).toEqual(['v1']);
    expect(crds.definitionOf(type)?.metadata.name).toBe('websites.example.dev');
    expect(crds.namesOf(type)).toMatchObject({ singular: 'website', shortNames: ['ws'], categories: ['all'] });
    expect(printerColumnsOf(crd)).toEqual([{ name: 'Image', type: 'string', jsonPath: '.spec.image', priority: 0 }]);
    // A change that is not the spec's is seen and written nothing for: no status churn.
    const labelled = await store.update({ ...crd, metadata: { ...crd.metadata, labels: { team: 'web' } } });
    await crds.settled();
    expect(store.revision).toBe(Number(labelled.metadata.resourceVersion));
    expect(changes.map((c) => c.type)).toEqual(['established']);
  });

  it('keeps declared fields, applies defaults and prunes unknown fields', async () => {
    const { store, type } = await served();
    const site = await store.create(type, {
      metadata: { name: 'blog', namespace: 'default' },
      spec: { image: 'nginx', labels: { a: 'b' }, extra: { any: { deep: 1 } }, bogus: true },
      topLevel: 'dropped',
    } as never);
    expect(site.spec).toEqual({
      image: 'nginx',
      replicas: 1,
      tier: 'web',
      labels: { a: 'b' },
      extra: { any: { deep: 1 } },
    });
    expect('topLevel' in site).toBe(false);
    const read = await store.get(type, 'blog', { namespace: 'default' });
    expect(read.spec.replicas).toBe(1);
    expect(read.apiVersion).toBe('example.dev/v1');
  });

  it('refuses an object the schema rejects, naming the field, and writes nothing', async () => {
    const { store, type } = await served();
    const revision = store.revision;
    const bad = await rejection(
      store.create(type, {
        metadata: { name: 'x', namespace: 'default' },
        spec: { image: 'nginx', replicas: 'x' },
      } as never),
    );
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).status).toBe(422);
    expect((bad as ValidationError).issues).toEqual([
      {
        path: 'spec.replicas',
        message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      },
    ]);
    const missing = (await rejection(
      store.create(type, {
        metadata: { name: 'y', namespace: 'default' },
        spec: { replicas: 0, tier: 'gold' },
      } as never),
    )) as ValidationError;
    expect(missing.issues.map((i) => i.path)).toEqual(['spec.image', 'spec.replicas', 'spec.tier']);
    expect(missing.issues[0]?.message).toBe('Required value');
    expect(missing.issues[1]?.message).toBe(
      'Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
    );
    expect(missing.issues[2]?.message).toBe('Unsupported value: "gold": supported values: "web", "batch"');
    expect(store.revision).toBe(revision);
  });

  it('checks updates and status updates too; status only through updateStatus', async () => {
    const { store, type } = await served();
    const site = await store.create(type, {
      metadata: { name: 'a', namespace: 'default' },
      spec: { image: 'nginx' },
      status: { replicas: 5 },
    } as never);
    expect(site.status).toBeUndefined();
    const badUpdate = (await rejection(
      store.update({ ...site, spec: { ...site.spec, replicas: -1 } }),
    )) as ValidationError;
    expect(badUpdate.issues.map((i) => i.path)).toEqual(['spec.replicas']);
    const updated = await store.update({ ...site, spec: { ...site.spec, replicas: 3 } });
    expect(updated.metadata.generation).toBe(2);
    const badStatus = (await rejection(
      store.updateStatus({ ...updated, status: { replicas: 'many' } }),
    )) as ValidationError;
    expect(badStatus.issues.map((i) => i.path)).toEqual(['status.replicas']);
    const withStatus = await store.updateStatus({ ...updated, status: { replicas: 3, junk: 1 } });
    expect(withStatus.status).toEqual({ replicas: 3 });
    const scale = await store.getScale(type, 'a', { namespace: 'default' });
    expect([scale.spec.replicas, scale.status.replicas]).toEqual([3, 3]);
  });

  it('deleting the CRD deletes its objects, then the CRD, and the kind goes', async () => {
    const { store, crds, changes, type } = await served();
    await store.create(type, { metadata: { name: 'a', namespace: 'default' }, spec: { image: 'x' } } as never);
    await store.create(type, { metadata: { name: 'b', namespace: 'other' }, spec: { image: 'y' } } as never);
    await store.delete(CustomResourceDefinition, 'websites.example.dev');
    await crds.settled();
    expect(
      isKeelsonError(await rejection(store.get(CustomResourceDefinition, 'websites.example.dev')), 'NotFound'),
    ).toBe(true);
    expect(store.types.map((t) => t.kind)).toEqual(['CustomResourceDefinition']);
    expect(crds.types()).toEqual([]);
    expect(changes.map((c) => c.type)).toEqual(['established', 'removed']);
    // The same CRD applied again serves an empty kind.
    await store.create(CustomResourceDefinition, websiteCrd());
    await crds.settled();
    const again = store.types.find((t) => t.kind === 'Website') as ResourceType;
    expect((await store.list(again)).items).toEqual([]);
  });

  it('waits for objects held by their own finalizers before removing the CRD', async () => {
    const { store, crds, type } = await served();
    const held = await store.create(type, {
      metadata: { name: 'held', namespace: 'default', finalizers: ['example.dev/keep'] },
      spec: { image: 'x' },
    } as never);
    await store.delete(CustomResourceDefinition, 'websites.example.dev');
    await crds.settled();
    const crd = await store.get(CustomResourceDefinition, 'websites.example.dev');
    expect(crd.status?.conditions?.find((c) => c.type === 'Terminating')).toMatchObject({
      status: 'True',
      reason: 'InstanceDeletionCheck',
    });
    const current = await store.get(type, 'held', { namespace: 'default' });
    expect(current.metadata.deletionTimestamp).toBeDefined();
    // As the HTTP API does, look the kind up again: it now refuses creates.
    const now = store.types.find((t) => t.kind === 'Website') as ResourceType;
    const refused = await rejection(
      store.create(now, { metadata: { name: 'late', namespace: 'default' }, spec: { image: 'x' } } as never),
    );
    expect(isKeelsonError(refused, 'MethodNotAllowed')).toBe(true);
    expect((refused as { status: number }).status).toBe(405);
    expect(crds.definitionOf(type)?.metadata.name).toBe('websites.example.dev');
    await store.update({ ...current, metadata: { ...current.metadata, finalizers: [] } });
    await crds.settled();
    expect(store.types.some((t) => t.kind === 'Website')).toBe(false);
    expect(held.metadata.name).toBe('held');
  });

  it('re-registers on a spec change and rejects a kind whose names are taken', async () => {
    const { store, crds, type } = await served();
    const crd = await store.get(CustomResourceDefinition, 'websites.example.dev');
    const versions = websiteCrd().spec.versions as Array<{ schema: { openAPIV3Schema: Record<string, unknown> } }>;
    const preserve = {
      ...versions[0],
      schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    };
    await store.update({ ...crd, spec: { ...crd.spec, versions: [preserve] } } as never);
    await crds.settled();
    const next = store.types.find((t) => t.kind === 'Website') as ResourceType<Website, unknown>;
    expect(next).not.toBe(type);
    const loose = await store.create(next, {
      metadata: { name: 'l', namespace: 'default' },
      spec: { any: 1 },
      top: 2,
    } as never);
    expect([loose.spec, (loose as unknown as { top: number }).top]).toEqual([{ any: 1 }, 2]);

    await store.create(CustomResourceDefinition, {
      ...websiteCrd({ name: 'sites.example.dev' }),
      spec: { ...websiteCrd().spec, names: { plural: 'sites', kind: 'Website' } },
    });
    await crds.settled();
    const taken = await store.get(CustomResourceDefinition, 'sites.example.dev');
    expect(taken.status?.conditions?.find((c) => c.type === 'NamesAccepted')).toMatchObject({
      status: 'False',
      reason: 'KindConflict',
    });
    expect(taken.status?.conditions?.find((c) => c.type === 'Established')?.status).toBe('False');
    expect(crds.types()).toHaveLength(1);
    crds.stop();
  });
});
