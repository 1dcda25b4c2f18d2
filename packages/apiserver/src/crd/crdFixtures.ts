import { createRandom, VirtualClock } from '@keelson/clock';
import { createStore, type InputOf } from '@keelson/core';
import { CustomResourceDefinition } from './CustomResourceDefinition';

type CrdSpecInput = NonNullable<InputOf<typeof CustomResourceDefinition>['spec']>;
type VersionInput = NonNullable<CrdSpecInput['versions']>[number];

/** A CRD for `websites.example.dev`: replicas (integer ≥ 1, default 1), image required, status and scale subresources. */
export function websiteCrd(overrides: { versions?: VersionInput[]; name?: string } = {}): {
  metadata: { name: string };
  spec: CrdSpecInput;
} {
  return {
    metadata: { name: overrides.name ?? 'websites.example.dev' },
    spec: {
      group: 'example.dev',
      scope: 'Namespaced',
      names: { plural: 'websites', singular: 'website', kind: 'Website', shortNames: ['ws'], categories: ['all'] },
      versions: overrides.versions ?? [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: {
            status: {},
            scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
          },
          additionalPrinterColumns: [{ name: 'Image', type: 'string', jsonPath: '.spec.image', priority: 0 }],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['image'],
                  properties: {
                    replicas: { type: 'integer', minimum: 1, default: 1 },
                    image: { type: 'string' },
                    tier: { type: 'string', enum: ['web', 'batch'], default: 'web' },
                    labels: { type: 'object', additionalProperties: { type: 'string' } },
                    extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  },
                },
                status: { type: 'object', properties: { replicas: { type: 'integer' } } },
              },
            },
          },
        },
      ],
    },
  };
}

/** A store on a virtual clock that serves CustomResourceDefinitions. */
export async function crdStore() {
  const clock = new VirtualClock(Date.UTC(2026, 11, 7));
  const store = await createStore({ types: [CustomResourceDefinition], clock, random: createRandom(3, 'crd') });
  return { store, clock };
}

/** The rejection of a promise that must reject. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
