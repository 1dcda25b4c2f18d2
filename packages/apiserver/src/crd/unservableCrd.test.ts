import { createStore, defineResource } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CustomResourceDefinition } from './CustomResourceDefinition';
import { websiteCrd } from './crdFixtures';
import { type CustomResourceChange, serveCustomResources } from './serveCustomResources';

/** The CRD kind without its validation, to put into a log what a careless writer could have. */
const UncheckedCrd = defineResource({
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  namespaced: false,
  spec: z.looseObject({}),
});

describe('serveCustomResources and CRDs it cannot serve', () => {
  it('marks a CRD that cannot make a kind as not Established, and keeps serving the others', async () => {
    const store = await createStore({ types: [UncheckedCrd] });
    const bad = websiteCrd({
      name: 'gadgets.example.dev',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object' } },
          subresources: { scale: { specReplicasPath: 'spec', statusReplicasPath: '.status.n' } },
        },
      ],
    });
    await store.create(UncheckedCrd, {
      ...bad,
      spec: { ...bad.spec, names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' } },
    } as never);

    store.registerType(CustomResourceDefinition);
    const changes: CustomResourceChange[] = [];
    const errors: unknown[] = [];
    const crds = serveCustomResources(store, { onChange: (c) => changes.push(c), onError: (e) => errors.push(e) });
    await store.create(CustomResourceDefinition, websiteCrd());
    await crds.settled();
    const gadgets = await store.get(CustomResourceDefinition, 'gadgets.example.dev');
    expect(gadgets.status?.conditions?.find((c) => c.type === 'NamesAccepted')).toMatchObject({
      status: 'False',
      reason: 'InvalidDefinition',
    });
    expect(gadgets.status?.conditions?.find((c) => c.type === 'Established')?.status).toBe('False');
    expect(store.types.map((t) => t.kind).sort()).toEqual(['CustomResourceDefinition', 'Website']);
    expect(changes.map((c) => [c.type, c.crd.metadata.name]).sort()).toEqual([
      ['established', 'websites.example.dev'],
      ['rejected', 'gadgets.example.dev'],
    ]);
    expect(errors).toEqual([]);
    crds.stop();
  });
});
