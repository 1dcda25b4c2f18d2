import { EndpointSlice, Pod, Service } from '@keelson/api';
import { createRandom } from '@keelson/clock';
import { isKeelsonError, type Store } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { endpointSliceController } from '../endpointslice/endpointSliceController';
import { addReadyNode, setPodStatus, startWorkloads, type WorkloadHarness } from '../testSupport';
import { createLoadBalancer, type LoadBalancer } from './createLoadBalancer';
import { pickEndpoint } from './pickEndpoint';

let harness: WorkloadHarness | undefined;
const balancers: LoadBalancer[] = [];
afterEach(async () => {
  for (const lb of balancers.splice(0)) lb.close();
  await harness?.stop();
  harness = undefined;
});

async function addPod(store: Store, name: string, ip: string, ready = true): Promise<void> {
  const pod = await store.create(Pod, {
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'web:1.0' }] },
  });
  await setPodStatus(store, pod, { ready, podIP: ip });
}

/** A Service `web` (http 80 → 8080, metrics 9100) and `pods` ready pods web-0… at 10.0.0.1… */
async function cluster(pods = 3, spec: Record<string, unknown> = {}) {
  harness = await startWorkloads([endpointSliceController()]);
  const { store } = harness;
  await addReadyNode(store, 'node-1');
  await store.create(Service, {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { app: 'web' },
      ports: [
        { name: 'http', port: 80, targetPort: 8080 },
        { name: 'metrics', port: 9100 },
      ],
      ...spec,
    },
  } as never);
  for (let i = 0; i < pods; i++) await addPod(store, `web-${i}`, `10.0.0.${i + 1}`);
  await harness.advance();
  return harness;
}

function balancer(store: Store, options: Omit<Parameters<typeof createLoadBalancer>[1], 'service'> = {}) {
  const lb = createLoadBalancer(store, { namespace: 'default', service: 'web', ...options });
  balancers.push(lb);
  return lb;
}

function picks(lb: LoadBalancer, n: number): Array<string | undefined> {
  return Array.from({ length: n }, () => lb.pick()?.pod);
}

describe('createLoadBalancer', () => {
  it('goes round-robin over the ready pods, in address order, on the target port', async () => {
    const { store } = await cluster();
    const lb = balancer(store);
    expect((await lb.ready()).map((e) => `${e.pod} ${e.address}:${e.port} ${e.node}`)).toEqual([
      'web-0 10.0.0.1:8080 node-1',
      'web-1 10.0.0.2:8080 node-1',
      'web-2 10.0.0.3:8080 node-1',
    ]);
    expect(picks(lb, 7)).toEqual(['web-0', 'web-1', 'web-2', 'web-0', 'web-1', 'web-2', 'web-0']);
  });

  it('draws reproducibly from a seeded random source', async () => {
    const { store } = await cluster();
    const run = async (seed: number) => {
      const lb = balancer(store, { strategy: 'random', random: createRandom(seed, 'lb') });
      await lb.ready();
      return picks(lb, 40);
    };
    const first = await run(42);
    expect(await run(42)).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['web-0', 'web-1', 'web-2']));
  });

  it('sends the next request to the endpoint with the fewest in flight', async () => {
    const { store } = await cluster();
    const lb = balancer(store, { strategy: 'least-outstanding' });
    await lb.ready();
    const a = lb.pick();
    const b = lb.pick();
    const c = lb.pick();
    expect([a?.pod, b?.pod, c?.pod]).toEqual(['web-0', 'web-1', 'web-2']);
    b?.done();
    b?.done(); // a second done() changes nothing
    expect(lb.pick()?.pod).toBe('web-1');
    a?.done();
    expect(lb.pick()?.pod).toBe('web-0');
    // Now web-0, web-1 and web-2 each have one in flight: ties go on in turn.
    expect(lb.pick()?.pod).toBe('web-1');
  });

  it('drops a pod that turns unready at the next slice change, and takes it back when ready', async () => {
    const { store, advance } = await cluster();
    const lb = balancer(store);
    await lb.ready();
    await setPodStatus(store, { metadata: { name: 'web-1', namespace: 'default' } }, { ready: false });
    await advance();
    expect(lb.endpoints().map((e) => e.pod)).toEqual(['web-0', 'web-2']);
    expect(picks(lb, 6)).not.toContain('web-1');
    await setPodStatus(store, { metadata: { name: 'web-1', namespace: 'default' } }, { ready: true });
    await advance();
    expect(lb.endpoints().map((e) => e.pod)).toEqual(['web-0', 'web-1', 'web-2']);
  });

  it('never picks a terminating pod, even when the Service publishes not-ready addresses', async () => {
    const { store, advance } = await cluster(2, { publishNotReadyAddresses: true });
    const lb = balancer(store);
    await lb.ready();
    await store.delete(Pod, 'web-1', { namespace: 'default', gracePeriodSeconds: 30 });
    await advance();
    const [slice] = (await store.list(EndpointSlice, { namespace: 'default' })).items;
    // The slice still lists the pod, ready (publishNotReadyAddresses) but terminating.
    expect(slice?.endpoints.find((e) => e.targetRef?.name === 'web-1')?.conditions).toEqual({
      ready: true,
      serving: true,
      terminating: true,
    });
    expect(picks(lb, 4)).toEqual(['web-0', 'web-0', 'web-0', 'web-0']);
  });

  it('waits for the first ready endpoint, or times out on the store clock', async () => {
    const { store, advance, clock } = await cluster(0);
    const lb = balancer(store);
    await lb.synced();
    expect(lb.pick()).toBeUndefined();
    const timedOut = lb.waitForEndpoints({ timeoutMs: 5_000 }).catch((e: unknown) => e);
    const ready = lb.ready();
    await advance(5_000);
    expect(isKeelsonError(await timedOut, 'Timeout')).toBe(true);
    expect(clock.now() - Date.UTC(2026, 0, 1)).toBe(5_000);
    await addPod(store, 'web-0', '10.0.0.7');
    await advance();
    expect((await ready).map((e) => e.address)).toEqual(['10.0.0.7']);
  });

  it('chooses the Service port by name or number', async () => {
    const { store } = await cluster(1);
    expect((await balancer(store, { port: 'metrics' }).ready())[0]?.port).toBe(9100);
    expect((await balancer(store, { port: 80 }).ready())[0]?.port).toBe(8080);
    const wrong = balancer(store, { port: 'grpc' });
    await expect(wrong.ready()).rejects.toThrow(/option "port".*no port named "grpc"/);
    expect(() => wrong.pick()).toThrow(/option "port"/);
  });

  it('refuses bad options with an InvalidError naming the option', async () => {
    const { store } = await cluster(0);
    const attempt = (options: Record<string, unknown>) => {
      try {
        createLoadBalancer(store, options as never);
      } catch (error) {
        return isKeelsonError(error, 'Invalid') ? error.message : 'not an InvalidError';
      }
      return 'accepted';
    };
    expect(attempt({ namespace: 'default' })).toMatch(/option "service" is required/);
    expect(attempt({ service: 'web', strategy: 'fastest' })).toMatch(
      /option "strategy" must be one of round-robin, random, least-outstanding, got "fastest"/,
    );
    expect(attempt({ service: 'web', port: 0 })).toMatch(/option "port" must be/);
  });

  it('fails pending waits when closed', async () => {
    const { store } = await cluster(0);
    const lb = balancer(store);
    const waiting = lb.ready().catch((e: unknown) => e);
    await lb.synced();
    lb.close();
    expect(isKeelsonError(await waiting, 'LoadBalancerClosed')).toBe(true);
  });
});

describe('pickEndpoint', () => {
  it('picks one ready endpoint, or none', async () => {
    const { store, advance } = await cluster(2);
    const picked = await pickEndpoint(store, { namespace: 'default', service: 'web', random: createRandom(1, 'x') });
    expect(['web-0', 'web-1']).toContain(picked?.pod);
    expect(picked?.port).toBe(8080);
    expect(await pickEndpoint(store, { namespace: 'default', service: 'absent' })).toBeUndefined();
    expect((await pickEndpoint(store, { namespace: 'default', service: 'web', port: 'metrics' }))?.port).toBe(9100);
    const waited = pickEndpoint(store, { namespace: 'default', service: 'absent', timeoutMs: 1_000 });
    await advance(1_000);
    expect(await waited).toBeUndefined();
    await expect(pickEndpoint(store, { namespace: 'default', service: '' })).rejects.toThrow(/option "service"/);
  });
});
