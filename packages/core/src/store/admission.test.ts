import { describe, expect, it } from 'vitest';
import { rejection, site, testStore, Website } from '../../test/fixtures';
import { ForbiddenError, isKeelsonError, ValidationError } from '../errors/index';
import type { KubeObject } from '../resource/defineResource';
import type { AdmissionPlugin, RequestAttributes } from './types';

describe('authorizer', () => {
  it('decides per actor, verb, kind and namespace; a refusal is ForbiddenError and writes nothing', async () => {
    const asked: RequestAttributes[] = [];
    const { store, log } = await testStore({
      authorizer: (request) => {
        asked.push(request);
        return request.actor !== 'mallory' && !(request.verb === 'delete' && request.namespace === 'prod');
      },
    });
    await store.create(Website, site('a', {}, { namespace: 'prod' }));
    const head = await log.head();
    const denied = await rejection(store.as('mallory').create(Website, site('b')));
    expect(denied).toBeInstanceOf(ForbiddenError);
    expect(denied.message).toBe(
      'mallory cannot create resource "websites" in API group "example.dev" in the namespace "default"',
    );
    const noDelete = await rejection(store.delete(Website, 'a', { namespace: 'prod' }));
    expect(isKeelsonError(noDelete, 'Forbidden')).toBe(true);
    expect(await log.head()).toBe(head);
    expect(isKeelsonError(await rejection(store.as('mallory').list(Website)), 'Forbidden')).toBe(true);
    expect(asked[0]).toEqual({
      actor: 'system:admin',
      verb: 'create',
      group: 'example.dev',
      kind: 'Website',
      resource: 'websites',
      namespace: 'prod',
      name: 'a',
    });
  });
});

describe('admission', () => {
  it('runs mutating plugins before the schema and validating plugins after every rule, in order', async () => {
    const order: string[] = [];
    const plugins: AdmissionPlugin[] = [
      {
        name: 'add-label',
        mutate: ({ object, operation }) => {
          order.push(`mutate ${operation}`);
          const o = object as KubeObject & { spec?: { image?: string } };
          // Mutation sees raw input: defaults are not applied yet.
          expect((o.spec as { replicas?: number }).replicas).toBeUndefined();
          return { ...o, metadata: { ...o.metadata, labels: { ...(o.metadata.labels ?? {}), admitted: 'yes' } } };
        },
      },
      {
        name: 'no-latest',
        validate: ({ object, operation }) => {
          order.push(`validate ${operation}`);
          const spec = (object as KubeObject & { spec: { image: string; replicas: number } }).spec;
          expect(spec.replicas).toBe(1);
          if (spec.image.endsWith(':latest')) {
            throw new ValidationError('Website', object.metadata.name, [
              { path: 'spec.image', message: 'pin a version' },
            ]);
          }
        },
      },
    ];
    const { store, log } = await testStore({ admission: plugins });
    const created = await store.create(Website, site('a'));
    expect(created.metadata.labels).toEqual({ admitted: 'yes' });
    expect(order).toEqual(['mutate CREATE', 'validate CREATE']);
    const head = await log.head();
    const refused = await rejection(store.create(Website, site('b', { image: 'nginx:latest' })));
    expect(refused.message).toMatch(/spec\.image: pin a version/);
    expect(await log.head()).toBe(head);
  });
});
