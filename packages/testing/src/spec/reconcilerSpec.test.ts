import { Pod } from '@keelson/api';
import { defineController, TerminalError } from '@keelson/controller';
import { defineResource, isKeelsonError, type ResourceOf } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { reconcilerSpec, SpecFailure } from './reconcilerSpec';

const Website = defineResource({
  group: 'example.dev',
  version: 'v1',
  kind: 'Website',
  plural: 'websites',
  namespaced: true,
  spec: z.object({ image: z.string() }),
  status: z.object({ pod: z.string().optional() }).optional(),
});
type Website = ResourceOf<typeof Website>;

const blog = {
  apiVersion: 'example.dev/v1',
  kind: 'Website',
  metadata: { name: 'blog', namespace: 'shop' },
  spec: { image: 'nginx:1.27' },
};

/** Runs one pod per website, named after it; idempotent because it looks before it creates. */
const websites = defineController({
  name: 'website-controller',
  for: Website,
  owns: [Pod],
  async reconcile({ name, namespace }, { client, cache, recorder }) {
    const site = cache.get(Website, name, namespace) as Website | undefined;
    if (!site) return;
    if (cache.get(Pod, `${name}-web`, namespace)) return;
    await client.create(Pod, {
      metadata: { name: `${name}-web`, namespace, labels: { site: name } },
      spec: { containers: [{ name: 'web', image: site.spec.image }] },
    });
    await recorder?.event(site, 'Normal', 'Created', `Created pod ${name}-web`);
    return { requeueAfter: 60_000 };
  },
});

describe('reconcilerSpec', () => {
  it('hands then the writes, events and result of one reconcile', async () => {
    await reconcilerSpec(websites, { types: [Website] })
      .given([blog])
      .when({ name: 'blog', namespace: 'shop' })
      .then(async ({ writes, events, result, store }) => {
        expect(writes.map((w) => `${w.verb} ${w.kind} ${w.namespace}/${w.name}`)).toEqual(['create Pod shop/blog-web']);
        expect(events.map((e) => (e as unknown as { reason: string }).reason)).toEqual(['Created']);
        expect(result).toEqual({ requeueAfter: 60_000 });
        const pod = await store.get(Pod, 'blog-web', { namespace: 'shop' });
        expect(pod.spec.containers[0]?.image).toBe('nginx:1.27');
      });
  });

  it('accepts YAML and sees an update of what exists', async () => {
    const relabel = defineController({
      name: 'relabel',
      for: Pod,
      async reconcile({ name, namespace }, { client }) {
        await client.patch(Pod, name, (p) => ({ ...p, metadata: { ...p.metadata, labels: { seen: 'yes' } } }), {
          namespace,
        });
      },
    });
    const yaml = `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: default }
spec: { containers: [{ name: web, image: nginx }] }
`;
    // Patching to the same labels writes nothing the second time: idempotent.
    await reconcilerSpec(relabel)
      .given(yaml)
      .when({ name: 'web', namespace: 'default' })
      .then(({ writes }) => {
        expect(writes.map((w) => `${w.verb} ${w.kind}`)).toEqual(['update Pod']);
        expect(writes[0]?.object.metadata.labels).toEqual({ seen: 'yes' });
      });
  });

  it('fails a reconcile that writes again when nothing changed', async () => {
    const careless = defineController({
      name: 'careless',
      for: Website,
      async reconcile({ namespace }, { client }) {
        await client.create(Pod, {
          metadata: { generateName: 'web-', namespace },
          spec: { containers: [{ name: 'web', image: 'nginx' }] },
        });
      },
    });
    const spec = reconcilerSpec(careless, { types: [Website] })
      .given(blog)
      .when({ name: 'blog', namespace: 'shop' })
      .then(({ writes }) => {
        expect(writes).toHaveLength(1);
      });
    await expect(spec).rejects.toThrow(SpecFailure);
    await expect(
      reconcilerSpec(careless, { types: [Website] })
        .given(blog)
        .when({ name: 'blog', namespace: 'shop' })
        .then(() => undefined),
    ).rejects.toThrow(
      /reconciling shop\/blog again with nothing changed wrote create Pod shop\/web-\w{5}; a reconcile must be idempotent/,
    );
  });

  it('thenThrows sees the error', async () => {
    const strict = defineController({
      name: 'strict',
      for: Website,
      reconcile() {
        throw new TerminalError('image must be pinned');
      },
    });
    await reconcilerSpec(strict, { types: [Website] })
      .given(blog)
      .when({ name: 'blog', namespace: 'shop' })
      .thenThrows((error) => expect(isKeelsonError(error, 'Terminal')).toBe(true));
    await expect(
      reconcilerSpec(websites, { types: [Website] })
        .given(blog)
        .when({ name: 'blog', namespace: 'shop' })
        .thenThrows(),
    ).rejects.toThrow(/expected to throw/);
  });

  it('refuses what is not a controller, and an unknown kind in given', async () => {
    expect(() => reconcilerSpec({} as never)).toThrow(/pass a controller from defineController/);
    await expect(
      reconcilerSpec(websites)
        .given({ apiVersion: 'example.dev/v1', kind: 'Blog', metadata: { name: 'x' } })
        .when({ name: 'x' })
        .then(() => undefined),
    ).rejects.toThrow(/kind "Blog" is not a kind this cluster serves/);
  });
});
