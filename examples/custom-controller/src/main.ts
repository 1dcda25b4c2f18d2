import { Deployment } from '@keelson/api';
import { startWebsites } from './cluster';
import { Website } from './website';

const { clock, store, manager } = await startWebsites();
const show = async (step: string) => {
  await clock.advance(0); // let the controller react: virtual time does not move
  const deployments = (await store.list(Deployment)).items.map(
    (d) => `${d.metadata.name} (replicas ${d.spec.replicas}, image ${d.spec.template.spec.containers[0]?.image})`,
  );
  const site = (await store.list(Website)).items[0];
  console.log(`${step}\n  deployments: ${deployments.join(', ') || 'none'}`);
  if (site) console.log(`  website status: ${JSON.stringify(site.status)} at generation ${site.metadata.generation}`);
};

await store.create(Website, { metadata: { name: 'blog', namespace: 'default' }, spec: { image: 'nginx:1.25' } });
await show('1. created website "blog"');

await store.patch(
  Website,
  'blog',
  (w) => {
    w.spec.replicas = 3;
    w.spec.image = 'nginx:1.27';
  },
  { namespace: 'default' },
);
await show('2. scaled to 3 and upgraded the image');

await store.delete(Deployment, 'blog-web', { namespace: 'default' });
await show('3. someone deleted the deployment: the controller put it back');

console.log(`\nreconciles: ${JSON.stringify(manager.stats())}`);
await manager.stop();
