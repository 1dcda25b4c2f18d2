import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { rejection, site, testStore, Website } from '../../test/fixtures';
import { isKeelsonError, ValidationError } from '../errors/index';
import { defineResource } from '../resource/defineResource';

const Pool = defineResource({
  group: 'example.dev',
  version: 'v1',
  kind: 'Pool',
  plural: 'pools',
  namespaced: true,
  spec: z.object({ size: z.number().int().min(0).default(1), selector: z.string().default('') }),
  status: z.object({ workers: z.number().int().default(0) }),
  scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.workers', labelSelectorPath: '.spec.selector' },
});

async function poolStore() {
  const { store, clock } = await testStore({ types: [Website, Pool] });
  await store.create(Pool, { metadata: { name: 'p', namespace: 'default' }, spec: { size: 2, selector: 'app=p' } });
  return { store, clock };
}

describe('store: the scale subresource', () => {
  it('reads an autoscaling/v1 Scale from the fields the kind declares', async () => {
    const { store } = await poolStore();
    const pool = await store.get(Pool, 'p', { namespace: 'default' });
    await store.updateStatus({ ...pool, status: { workers: 1 } });
    const scale = await store.getScale(Pool, 'p', { namespace: 'default' });
    expect(scale).toEqual({
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: {
        name: 'p',
        namespace: 'default',
        uid: pool.metadata.uid,
        resourceVersion: expect.any(String),
        creationTimestamp: pool.metadata.creationTimestamp,
      },
      spec: { replicas: 2 },
      status: { replicas: 1, selector: 'app=p' },
    });
  });

  it('updateScale writes the desired replicas, bumps the generation and honours a resourceVersion', async () => {
    const { store } = await poolStore();
    const before = await store.getScale(Pool, 'p', { namespace: 'default' });
    const after = await store.updateScale(Pool, 'p', { spec: { replicas: 5 } }, { namespace: 'default' });
    expect(after.spec.replicas).toBe(5);
    const pool = await store.get(Pool, 'p', { namespace: 'default' });
    expect(pool.spec.size).toBe(5);
    expect(pool.metadata.generation).toBe(2);
    const stale = await rejection(
      store.updateScale(Pool, 'p', { metadata: before.metadata, spec: { replicas: 1 } }, { namespace: 'default' }),
    );
    expect(isKeelsonError(stale, 'Conflict')).toBe(true);
    expect((await store.get(Pool, 'p', { namespace: 'default' })).spec.size).toBe(5);
  });

  it('refuses bad replicas and kinds without a scale subresource, writing nothing', async () => {
    const { store } = await poolStore();
    const revision = store.revision;
    const negative = await rejection(
      store.updateScale(Pool, 'p', { spec: { replicas: -1 } }, { namespace: 'default' }),
    );
    expect(negative).toBeInstanceOf(ValidationError);
    expect(negative.message).toBe('Scale "p" is invalid: spec.replicas: must be greater than or equal to 0');
    const fractional = await rejection(
      store.updateScale(Pool, 'p', { spec: { replicas: 1.5 } }, { namespace: 'default' }),
    );
    expect(fractional.message).toContain('spec.replicas: must be an integer between 0 and 2147483647, got 1.5');
    await store.create(Website, site('w'));
    const none = await rejection(store.getScale(Website, 'w', { namespace: 'default' }));
    expect(isKeelsonError(none, 'NotFound')).toBe(true);
    expect(none.message).toContain('the Website kind has no scale subresource');
    expect(isKeelsonError(await rejection(store.getScale(Pool, 'missing', { namespace: 'default' })), 'NotFound')).toBe(
      true,
    );
    expect(store.revision).toBe(revision + 1);
  });

  it('defineResource refuses a scale path outside spec or status', () => {
    expect(() =>
      defineResource({
        group: 'example.dev',
        version: 'v1',
        kind: 'Bad',
        plural: 'bads',
        namespaced: true,
        scale: { specReplicasPath: 'spec.size', statusReplicasPath: '.status.workers' },
      }),
    ).toThrow(/scale.specReplicasPath of Bad must be a dotted path such as ".spec.replicas"/);
  });
});
