import { createRandom, VirtualClock } from '@keelson/clock';
import { defineResource, isKeelsonError } from '@keelson/core';
import { createMemoryLog } from '@keelson/eventlog';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SYSTEM_NAMESPACES } from './admission/index';
import { createClusterStore } from './createClusterStore';
import { Namespace } from './kinds/namespace';
import { Pod } from './kinds/pod';

const quiet = { warn: () => undefined };
const web = {
  metadata: { name: 'web', namespace: 'default' },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
};

describe('createClusterStore', () => {
  it("admits a new user's first Pod in default with no further setup", async () => {
    const store = await createClusterStore({ clock: new VirtualClock(0), random: createRandom(1, 'c'), logger: quiet });
    const pod = await store.create(Pod, web);
    expect(pod.metadata.namespace).toBe('default');
    expect((await store.list(Namespace)).items.map((n) => n.metadata.name)).toEqual([...SYSTEM_NAMESPACES].sort());
    expect([...SYSTEM_NAMESPACES].sort()).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  });

  it('runs the built-in admission: a missing namespace is refused, a system one cannot be deleted', async () => {
    const store = await createClusterStore({ clock: new VirtualClock(0), logger: quiet });
    const missing = await store
      .create(Pod, { ...web, metadata: { name: 'web', namespace: 'nowhere' } })
      .catch((e) => e);
    expect(isKeelsonError(missing, 'NotFound')).toBe(true);
    const undeletable = await store.delete(Namespace, 'kube-public').catch((e) => e);
    expect(isKeelsonError(undeletable, 'Forbidden')).toBe(true);
  });

  it('serves extra kinds beside the built-ins and leaves the namespaces out when asked', async () => {
    const Website = defineResource({
      group: 'example.dev',
      version: 'v1',
      kind: 'Website',
      plural: 'websites',
      namespaced: true,
      spec: z.object({ image: z.string() }),
    });
    const log = createMemoryLog();
    const bare = await createClusterStore({ log, types: [Website], systemNamespaces: false, logger: quiet });
    expect((await bare.list(Namespace)).items).toEqual([]);
    await bare.create(Namespace, { metadata: { name: 'team' } });
    const site = await bare.create(Website, {
      metadata: { name: 'blog', namespace: 'team' },
      spec: { image: 'nginx' },
    });
    expect(site.spec.image).toBe('nginx');
  });
});
