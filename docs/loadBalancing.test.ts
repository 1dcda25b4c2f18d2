import { Deployment } from '@keelson/api';
import { createLoadBalancer } from '@keelson/workloads';
import { afterEach, describe, expect, it } from 'vitest';
import { callWeb, failures, startWeb, strategies, type WebCluster, webDeployment } from './snippets/loadBalancing';

let web: WebCluster | undefined;
afterEach(async () => {
  await web?.stop();
  web = undefined;
});

/** The web app with its three pods started and passing their readiness probes. */
async function running(): Promise<WebCluster> {
  web = await startWeb();
  await web.clock.advance(30_000);
  return web;
}

describe('load balancing guide snippets', () => {
  it('the Deployment manifest is a valid Deployment', async () => {
    const { store } = await running();
    const created = await store.create(Deployment, webDeployment);
    expect(created.spec.template.spec.containers[0]?.readinessProbe?.httpGet?.path).toBe('/ready');
  });

  it('sends each call to the next ready pod, and answers 503 when there is none', async () => {
    const { store } = await running();
    const { turns, leastBusy, seeded } = strategies(store);
    await turns.ready();
    const urls: string[] = [];
    const send = async (url: string) => {
      urls.push(url);
      return 200;
    };
    for (let i = 0; i < 4; i++) expect(await callWeb(turns, send)).toBe(200);
    expect(urls).toEqual([
      'http://10.88.0.2:8080/',
      'http://10.88.0.3:8080/',
      'http://10.88.0.4:8080/',
      'http://10.88.0.2:8080/',
    ]);
    const nobody = createLoadBalancer(store, { namespace: 'default', service: 'nobody' });
    await nobody.synced();
    expect(await callWeb(nobody, send)).toBe(503);
    // callWeb calls done(), so least-outstanding sees no request in flight and takes turns.
    await leastBusy.ready();
    await callWeb(leastBusy, send);
    await callWeb(leastBusy, send);
    expect(urls.slice(-2)).toEqual(['http://10.88.0.2:8080/', 'http://10.88.0.3:8080/']);
    await seeded.ready();
    expect(seeded.pick()?.pod).toMatch(/^web-[0-2]$/);
    for (const lb of [turns, leastBusy, seeded, nobody]) lb.close();
  });

  it('takes a pod that stops answering, then one being deleted, out of the rotation', async () => {
    const { seen, one } = await failures(await running());
    expect(seen).toEqual([
      { at: 30_000, pods: ['web-0', 'web-1', 'web-2'] },
      { at: 45_000, pods: ['web-0', 'web-2'] },
      { at: 45_000, pods: ['web-0'] },
    ]);
    expect(one).toEqual({ address: '10.88.0.2', port: 8080, pod: 'web-0', node: 'node-1', zone: 'zone-a' });
  });
});
