import { createRandom, VirtualClock } from '@keelson/clock';
import { createManager, defineController, generationChanged } from '@keelson/controller';
import { createStore } from '@keelson/core';
import { Website } from './storeDemo';

/** A controller on virtual time: it reports each website's observed generation, and polls every 30 s. */
export async function runControllerDemo(print: (line: string) => void) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store = await createStore({ types: [Website], clock, random: createRandom(7, 'demo-controller') });
  const start = clock.now();
  const log: string[] = [];
  const manager = createManager({ store }).add(
    defineController({
      name: 'website-status',
      for: Website,
      predicates: [generationChanged()],
      async reconcile({ name, namespace }, { client, cache }) {
        const site = cache.get(Website, name, namespace);
        if (!site) return undefined;
        const line = `t=+${(clock.now() - start) / 1000}s reconcile ${name} (generation ${site.metadata.generation})`;
        log.push(line);
        print(`  ${line}`);
        if (site.status?.readyReplicas !== site.spec.replicas) {
          await client.updateStatus({ ...site, status: { readyReplicas: site.spec.replicas } });
        }
        return { requeueAfter: 30_000 };
      },
    }),
  );
  await manager.start();
  await store.create(Website, { metadata: { name: 'shop' }, spec: { image: 'shop:1.0', replicas: 2 } });
  await clock.advance(0);
  await store.patch(Website, 'shop', (draft) => {
    draft.spec.replicas = 4;
  });
  await clock.advance(65_000);
  const shop = await store.get(Website, 'shop');
  print(
    `  status after 65 virtual seconds: readyReplicas ${shop.status?.readyReplicas}; ${JSON.stringify(manager.stats())}`,
  );
  await manager.stop();
  return { log, readyReplicas: shop.status?.readyReplicas };
}
