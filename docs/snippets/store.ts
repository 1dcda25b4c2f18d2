import { createRandom, VirtualClock } from '@keelson/clock';
import {
  type AdmissionPlugin,
  createStore,
  defineResource,
  isKeelsonError,
  type ResourceOf,
  type Store,
  ValidationError,
  type WatchEvent,
} from '@keelson/core';
import { z } from 'zod';

// #region define
export const Website = defineResource({
  group: 'example.dev',
  version: 'v1',
  kind: 'Website',
  plural: 'websites',
  namespaced: true,
  spec: z.object({
    replicas: z.number().int().min(0).default(1),
    image: z.string().min(1),
  }),
  status: z.object({ readyReplicas: z.number().int().default(0) }),
  fields: { 'spec.image': { get: (site) => site.spec.image } }, // usable in field selectors
});
export type Website = ResourceOf<typeof Website>;
// #endregion

// #region admission
/** Refuses images without a pinned tag, after the schema and every other rule ran. */
export const pinnedImages: AdmissionPlugin = {
  name: 'pinned-images',
  validate({ object }) {
    const image = (object as Website).spec.image;
    if (!image.includes(':') || image.endsWith(':latest')) {
      throw new ValidationError('Website', object.metadata.name, [
        { path: 'spec.image', message: 'pin a version tag' },
      ]);
    }
  },
};
// #endregion

export async function openStore(): Promise<Store> {
  // #region create-store
  const store = await createStore({
    types: [Website],
    clock: new VirtualClock(Date.UTC(2026, 0, 1)), // timestamps come from here
    random: createRandom(42, 'store'), // uids and generated names come from here
    admission: [pinnedImages],
  });
  // #endregion
  return store;
}

export async function crud(store: Store) {
  // #region crud
  const blog = await store.create(Website, { metadata: { name: 'blog' }, spec: { image: 'nginx:1.25' } });
  // blog.spec.replicas === 1 (the schema's default); blog.metadata.generation === 1

  const scaled = await store.patch(Website, 'blog', (draft) => {
    draft.spec.replicas = 3; // an immer draft of the current object; retried on conflicts
  });
  // scaled.metadata.generation === 2: the spec changed

  const ready = await store.updateStatus({ ...scaled, status: { readyReplicas: 3 } });
  // ready.metadata.generation is still 2: status writes never bump it

  try {
    await store.update({ ...blog, spec: { ...blog.spec, replicas: 10 } }); // blog is stale
  } catch (error) {
    if (!isKeelsonError(error, 'Conflict')) throw error;
    // "the object has been modified; please apply your changes to the latest version and try again"
  }
  // #endregion
  return { blog, scaled, ready };
}

export async function watching(store: Store) {
  // #region watch
  const seen: string[] = [];
  const { items, resourceVersion } = await store.list(Website, { labelSelector: 'tier=web' });
  const subscription = store
    .watch(Website, { labelSelector: 'tier=web', resourceVersion }) // every change after the list, no gap
    .subscribe((event: WatchEvent<Website>) => {
      if (event.type !== 'BOOKMARK') seen.push(`${event.type} ${event.object.metadata.name}`);
    });
  await store.create(Website, { metadata: { name: 'shop', labels: { tier: 'web' } }, spec: { image: 'shop:2.0' } });
  await store.patch(Website, 'shop', (draft) => {
    draft.metadata.labels = {}; // stops matching: DELETED for this watcher
  });
  subscription.unsubscribe();
  // items: []; seen: ['ADDED shop', 'DELETED shop']
  // #endregion
  return { items, seen };
}

export async function timeTravel(store: Store) {
  // #region time-travel
  const before = store.revision;
  await store.patch(Website, 'blog', (draft) => {
    draft.spec.image = 'nginx:1.27';
  });
  const past = await store.at(before);
  const oldImage = (await past.get(Website, 'blog')).spec.image; // 'nginx:1.25'

  const changes: string[] = [];
  for await (const version of store.history(Website, 'blog')) {
    changes.push(`${version.type} by ${version.actor}: ${JSON.stringify(version.patch.map((op) => op.path))}`);
  }
  // #endregion
  return { oldImage, changes };
}

export async function deleting(store: Store) {
  // #region delete
  await store.create(Website, {
    metadata: { name: 'legacy', finalizers: ['example.dev/backup'] },
    spec: { image: 'legacy:1.0' },
  });
  const terminating = await store.delete(Website, 'legacy');
  // terminating.metadata.deletionTimestamp is set; the object stays while finalizers remain
  await store.patch(Website, 'legacy', (draft) => {
    draft.metadata.finalizers = []; // the backup is done: the object is gone now
  });
  // #endregion
  return terminating;
}
