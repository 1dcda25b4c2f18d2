import { createRandom, type VirtualClock } from '@keelson/clock';
import { createStore, defineResource, isKeelsonError, type ResourceOf, type WatchEvent } from '@keelson/core';
import type { EventLog } from '@keelson/eventlog';
import { z } from 'zod';

export const Website = defineResource({
  group: 'demo.keelson.dev',
  version: 'v1',
  kind: 'Website',
  plural: 'websites',
  namespaced: true,
  spec: z.object({ replicas: z.number().int().min(0).default(1), image: z.string().min(1) }),
  status: z.object({ readyReplicas: z.number().int().default(0) }),
});
export type Website = ResourceOf<typeof Website>;

/** The API store on the demo's log: typed writes, a watch, a conflict, time travel and a replay. */
export async function runStoreDemo(log: EventLog, clock: VirtualClock, print: (line: string) => void) {
  const store = await createStore({ types: [Website], log, clock, random: createRandom(42, 'demo-store') });
  const events: string[] = [];
  const watch = store.watch(Website).subscribe((event: WatchEvent<Website>) => {
    if (event.type === 'BOOKMARK') return;
    const line = `${event.type} ${event.object.metadata.name} (rv ${event.object.metadata.resourceVersion})`;
    events.push(line);
    print(`  watch: ${line}`);
  });
  await new Promise((resolve) => setImmediate(resolve));

  const blog = await store.as('alice').create(Website, { metadata: { name: 'blog' }, spec: { image: 'nginx:1.25' } });
  print(
    `  created blog: uid ${blog.metadata.uid}, replicas ${blog.spec.replicas} (schema default), generation ${blog.metadata.generation}`,
  );
  await clock.advance(30_000);
  const scaled = await store.as('bob').patch(Website, 'blog', (draft) => {
    draft.spec.replicas = 3;
  });
  print(`  bob scaled it to ${scaled.spec.replicas}: generation ${scaled.metadata.generation}`);
  const ready = await store.updateStatus({ ...scaled, status: { readyReplicas: 3 } });
  print(
    `  status written: readyReplicas ${ready.status?.readyReplicas}, generation still ${ready.metadata.generation}`,
  );
  try {
    await store.update({ ...blog, spec: { ...blog.spec, image: 'nginx:1.27' } });
  } catch (error) {
    if (!isKeelsonError(error, 'Conflict')) throw error;
    print(`  a stale update was refused: ${error.message}`);
  }
  try {
    await store.create(Website, { metadata: { name: 'Bad_Name' }, spec: { image: '' } });
  } catch (error) {
    if (!isKeelsonError(error, 'Validation')) throw error;
    print(`  bad input was refused: ${error.message}`);
  }
  const past = await store.at(Number(blog.metadata.resourceVersion));
  print(
    `  time travel to rv ${blog.metadata.resourceVersion}: replicas were ${(await past.get(Website, 'blog')).spec.replicas}`,
  );
  for await (const version of store.history(Website, 'blog')) {
    const paths = version.patch.map((op) => `${op.op} ${op.path || '/'}`).join(', ');
    print(`  history rv ${version.revision} ${version.type} by ${version.actor}: ${paths}`);
  }
  watch.unsubscribe();

  const replay = await createStore({ types: [Website], log, clock, random: createRandom(42, 'demo-replay') });
  const same = JSON.stringify(await replay.list(Website)) === JSON.stringify(await store.list(Website));
  print(`  a second store replayed the log to revision ${replay.revision}: same objects: ${same ? 'yes' : 'NO'}`);
  return { events, same };
}
