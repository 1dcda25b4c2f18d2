import { EndpointSlice, Node, Pod, Service } from '@keelson/api';
import type { Store } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { addReadyNode, setPodStatus, startWorkloads, type WorkloadHarness } from '../testSupport';
import { endpointSliceController } from './endpointSliceController';

let harness: WorkloadHarness | undefined;
afterEach(async () => {
  const errors = harness?.errors ?? [];
  await harness?.stop();
  harness = undefined;
  expect(errors).toEqual([]);
});

async function start(options: { maxEndpointsPerSlice?: number } = {}): Promise<WorkloadHarness> {
  harness = await startWorkloads([endpointSliceController(options)]);
  await addReadyNode(harness.store, 'node-1', { 'topology.kubernetes.io/zone': 'zone-a' });
  return harness;
}

interface PodOptions {
  labels?: Record<string, string>;
  node?: string;
  ip?: string;
  ready?: boolean;
  port?: { name: string; containerPort: number };
}

async function addPod(store: Store, name: string, options: PodOptions = {}): Promise<Pod> {
  const pod = await store.create(Pod, {
    metadata: { name, namespace: 'default', labels: options.labels ?? { app: 'web' } },
    spec: {
      nodeName: options.node ?? 'node-1',
      containers: [{ name: 'app', image: 'web:1.0', ...(options.port ? { ports: [options.port] } : {}) }],
    },
  });
  if (options.ip !== undefined) await setPodStatus(store, pod, { ready: options.ready ?? true, podIP: options.ip });
  return pod;
}

async function addService(store: Store, spec: Record<string, unknown> = {}, name = 'web'): Promise<Service> {
  return store.create(Service, {
    metadata: { name, namespace: 'default', labels: { tier: 'front' } },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...spec },
  } as never);
}

async function slicesOf(store: Store, service = 'web'): Promise<EndpointSlice[]> {
  const { items } = await store.list(EndpointSlice, {
    namespace: 'default',
    labelSelector: `kubernetes.io/service-name=${service}`,
  });
  return items;
}

function endpointsOf(slices: readonly EndpointSlice[]) {
  return slices
    .flatMap((s) => s.endpoints)
    .sort((a, b) => ((a.targetRef?.name ?? '') < (b.targetRef?.name ?? '') ? -1 : 1));
}

describe('endpointSliceController', () => {
  it('publishes one endpoint per pod with an IP, with ready/serving/terminating from the pod', async () => {
    const { store, advance } = await start();
    await addPod(store, 'ready', { ip: '10.0.0.1', ready: true });
    await addPod(store, 'unready', { ip: '10.0.0.2', ready: false });
    await addPod(store, 'leaving', { ip: '10.0.0.3', ready: true });
    await addPod(store, 'no-ip');
    const done = await addPod(store, 'done', { ip: '10.0.0.5', ready: false });
    await setPodStatus(store, done, { phase: 'Succeeded' });
    await store.delete(Pod, 'leaving', { namespace: 'default', gracePeriodSeconds: 30 });
    await addService(store);
    await advance();

    const slices = await slicesOf(store);
    expect(slices).toHaveLength(1);
    const pod = await store.get(Pod, 'ready', { namespace: 'default' });
    expect(endpointsOf(slices)).toEqual([
      {
        addresses: ['10.0.0.3'],
        conditions: { ready: false, serving: true, terminating: true },
        targetRef: expect.objectContaining({ name: 'leaving' }),
        nodeName: 'node-1',
        zone: 'zone-a',
      },
      {
        addresses: ['10.0.0.1'],
        conditions: { ready: true, serving: true, terminating: false },
        targetRef: { kind: 'Pod', namespace: 'default', name: 'ready', uid: pod.metadata.uid },
        nodeName: 'node-1',
        zone: 'zone-a',
      },
      {
        addresses: ['10.0.0.2'],
        conditions: { ready: false, serving: false, terminating: false },
        targetRef: expect.objectContaining({ name: 'unready' }),
        nodeName: 'node-1',
        zone: 'zone-a',
      },
    ]);
    expect(slices[0]?.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 8080 }]);
  });

  it('marks every endpoint ready when the Service publishes not-ready addresses', async () => {
    const { store, advance } = await start();
    await addPod(store, 'unready', { ip: '10.0.0.2', ready: false });
    await addService(store, { publishNotReadyAddresses: true });
    await advance();
    expect(endpointsOf(await slicesOf(store))[0]?.conditions).toEqual({
      ready: true,
      serving: false,
      terminating: false,
    });
  });

  it('labels and owns its slices as Kubernetes does', async () => {
    const { store, advance } = await start();
    await addPod(store, 'a', { ip: '10.0.0.1' });
    const service = await addService(store);
    await advance();
    const [slice] = await slicesOf(store);
    expect(slice?.addressType).toBe('IPv4');
    expect(slice?.metadata.generateName).toBe('web-');
    expect(slice?.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slice?.metadata.labels).toEqual({
      tier: 'front',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    // What the garbage collector follows to delete the slices with the Service.
    expect(slice?.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Service',
        name: 'web',
        uid: service.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
  });

  it('resolves named target ports per pod and groups pods by the ports they serve', async () => {
    const { store, advance } = await start();
    await addPod(store, 'a', { ip: '10.0.0.1', port: { name: 'http', containerPort: 8080 } });
    await addPod(store, 'b', { ip: '10.0.0.2', port: { name: 'http', containerPort: 8080 } });
    await addPod(store, 'c', { ip: '10.0.0.3', port: { name: 'http', containerPort: 9090 } });
    await addPod(store, 'd', { ip: '10.0.0.4', port: { name: 'metrics', containerPort: 9100 } });
    await addService(store, { ports: [{ name: 'web', port: 80, targetPort: 'http' }] });
    await advance();
    const byPorts = (await slicesOf(store)).map((s) => ({
      ports: s.ports.map((p) => p.port),
      pods: s.endpoints.map((e) => e.targetRef?.name).sort(),
    }));
    expect(byPorts.sort((x, y) => (x.pods[0] ?? '').localeCompare(y.pods[0] ?? ''))).toEqual([
      { ports: [8080], pods: ['a', 'b'] },
      { ports: [9090], pods: ['c'] },
      // A pod without the named port is still an endpoint, in a slice without ports.
      { ports: [], pods: ['d'] },
    ]);
  });

  it('splits 250 pods into 3 slices of at most 100', async () => {
    const { store, advance } = await start();
    for (let i = 0; i < 250; i++)
      await addPod(store, `p-${String(i).padStart(3, '0')}`, { ip: `10.0.${i >> 8}.${i & 255}` });
    await addService(store);
    await advance();
    const slices = await slicesOf(store);
    expect(slices.map((s) => s.endpoints.length).sort((a, b) => b - a)).toEqual([100, 100, 50]);
    expect(new Set(slices.flatMap((s) => s.endpoints.map((e) => e.targetRef?.name))).size).toBe(250);
  });

  it('honours maxEndpointsPerSlice and refuses a bad one', async () => {
    expect(() => endpointSliceController({ maxEndpointsPerSlice: 0 })).toThrow(/"maxEndpointsPerSlice".*1 to 1000/);
    const { store, advance } = await start({ maxEndpointsPerSlice: 2 });
    for (const [i, name] of ['a', 'b', 'c', 'd', 'e'].entries()) await addPod(store, name, { ip: `10.0.0.${i + 1}` });
    await addService(store);
    await advance();
    expect((await slicesOf(store)).map((s) => s.endpoints.length).sort()).toEqual([1, 2, 2]);
  });

  it('flips readiness in place: same slice, no new slice', async () => {
    const { store, advance } = await start();
    const a = await addPod(store, 'a', { ip: '10.0.0.1' });
    await addPod(store, 'b', { ip: '10.0.0.2' });
    await addService(store);
    await advance();
    const [before] = await slicesOf(store);
    await setPodStatus(store, a, { ready: false });
    await advance();
    const after = await slicesOf(store);
    expect(after).toHaveLength(1);
    expect(after[0]?.metadata.uid).toBe(before?.metadata.uid);
    expect(after[0]?.metadata.resourceVersion).not.toBe(before?.metadata.resourceVersion);
    expect(endpointsOf(after).map((e) => [e.targetRef?.name, e.conditions.ready])).toEqual([
      ['a', false],
      ['b', true],
    ]);
  });

  it('writes nothing when nothing an endpoint shows has changed', async () => {
    const { store, advance } = await start();
    await addPod(store, 'a', { ip: '10.0.0.1' });
    await addService(store);
    await advance();
    const [before] = await slicesOf(store);
    await store.patch(
      Pod,
      'a',
      (draft) => {
        draft.metadata.annotations = { note: 'unrelated' };
        return draft;
      },
      { namespace: 'default' },
    );
    await setPodStatus(store, { metadata: { name: 'a', namespace: 'default' } }, { ready: true, restarts: 1 });
    await advance(60_000);
    const [after] = await slicesOf(store);
    expect(after?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
  });

  it('follows Service label changes onto its slices in place', async () => {
    const { store, advance } = await start();
    await addPod(store, 'a', { ip: '10.0.0.1' });
    const service = await addService(store);
    await advance();
    const [before] = await slicesOf(store);
    await store.update({ ...service, metadata: { ...service.metadata, labels: { tier: 'back' } } });
    await advance();
    const [after] = await slicesOf(store);
    expect(after?.metadata.uid).toBe(before?.metadata.uid);
    expect(after?.metadata.labels?.tier).toBe('back');
  });

  it('reuses room freed in existing slices instead of creating new ones', async () => {
    const { store, advance } = await start();
    for (let i = 0; i < 150; i++) await addPod(store, `p-${String(i).padStart(3, '0')}`, { ip: `10.0.1.${i}` });
    await addService(store);
    await advance();
    const before = await slicesOf(store);
    const full = before.find((s) => s.endpoints.length === 100) as EndpointSlice;
    const leaving = full.endpoints.slice(0, 10).map((e) => e.targetRef?.name as string);
    for (const name of leaving) await store.delete(Pod, name, { namespace: 'default', gracePeriodSeconds: 0 });
    for (let i = 0; i < 10; i++) await addPod(store, `q-${i}`, { ip: `10.0.2.${i}` });
    await advance();
    const after = await slicesOf(store);
    expect(after.map((s) => s.metadata.uid).sort()).toEqual(before.map((s) => s.metadata.uid).sort());
    expect(after.map((s) => s.endpoints.length).sort((a, b) => b - a)).toEqual([100, 50]);
    const refilled = after.find((s) => s.metadata.uid === full.metadata.uid) as EndpointSlice;
    const names = refilled.endpoints.map((e) => e.targetRef?.name);
    expect(names.filter((n) => n?.startsWith('q-'))).toHaveLength(10);
    expect(names.some((n) => leaving.includes(n as string))).toBe(false);
  });

  it('keeps one empty placeholder slice for a Service with no endpoints, and reuses it', async () => {
    const { store, advance } = await start();
    await addService(store);
    await advance();
    const [placeholder, ...others] = await slicesOf(store);
    expect(others).toEqual([]);
    expect(placeholder).toMatchObject({ endpoints: [], ports: [], addressType: 'IPv4' });
    await addPod(store, 'a', { ip: '10.0.0.1' });
    await advance();
    const [filled, ...more] = await slicesOf(store);
    expect(more).toEqual([]);
    expect(filled?.metadata.uid).toBe(placeholder?.metadata.uid);
    expect(filled?.endpoints.map((e) => e.addresses)).toEqual([['10.0.0.1']]);
    await store.delete(Pod, 'a', { namespace: 'default', gracePeriodSeconds: 0 });
    await advance();
    const [emptied, ...rest] = await slicesOf(store);
    expect(rest).toEqual([]);
    expect(emptied).toMatchObject({ endpoints: [], ports: [] });
    expect(emptied?.metadata.uid).toBe(placeholder?.metadata.uid);
  });

  it('drops a pod whose labels stop matching, and deletes slices left empty', async () => {
    const { store, advance } = await start({ maxEndpointsPerSlice: 1 });
    await addPod(store, 'a', { ip: '10.0.0.1' });
    await addPod(store, 'b', { ip: '10.0.0.2' });
    await addService(store);
    await advance();
    expect(await slicesOf(store)).toHaveLength(2);
    await store.patch(
      Pod,
      'b',
      (draft) => {
        draft.metadata.labels = { app: 'other' };
        return draft;
      },
      { namespace: 'default' },
    );
    await advance();
    const slices = await slicesOf(store);
    expect(endpointsOf(slices).map((e) => e.targetRef?.name)).toEqual(['a']);
    expect(slices).toHaveLength(1);
  });

  it('gives no slices to a Service without a selector, nor to an ExternalName Service', async () => {
    const { store, advance } = await start();
    await addPod(store, 'a', { ip: '10.0.0.1' });
    await store.create(Service, {
      metadata: { name: 'manual', namespace: 'default' },
      spec: { ports: [{ port: 80 }] },
    });
    await store.create(Service, {
      metadata: { name: 'external', namespace: 'default' },
      spec: { type: 'ExternalName', externalName: 'db.example.com', selector: { app: 'web' } },
    });
    await advance();
    expect(await slicesOf(store, 'manual')).toEqual([]);
    expect(await slicesOf(store, 'external')).toEqual([]);
  });

  it('replaces the slices of a deleted Service when one of the same name comes back', async () => {
    const { store, advance } = await start();
    await addPod(store, 'a', { ip: '10.0.0.1' });
    const first = await addService(store);
    await advance();
    const [old] = await slicesOf(store);
    // No garbage collector runs here: the old slice outlives its Service.
    await store.delete(Service, 'web', { namespace: 'default' });
    await advance();
    expect((await slicesOf(store)).map((s) => s.metadata.uid)).toEqual([old?.metadata.uid]);
    const second = await addService(store);
    await advance();
    const slices = await slicesOf(store);
    expect(slices).toHaveLength(1);
    expect(slices[0]?.metadata.uid).not.toBe(old?.metadata.uid);
    expect(slices[0]?.metadata.ownerReferences?.[0]?.uid).toBe(second.metadata.uid);
    expect(second.metadata.uid).not.toBe(first.metadata.uid);
  });

  it('leaves out pods on an unknown node until the node registers, then adds its zone', async () => {
    const { store, advance } = await start();
    await addPod(store, 'a', { ip: '10.0.0.1', node: 'node-2' });
    await addService(store);
    await advance();
    expect(endpointsOf(await slicesOf(store))).toEqual([]);
    await addReadyNode(store, 'node-2', { 'topology.kubernetes.io/zone': 'zone-b' });
    await advance();
    expect(endpointsOf(await slicesOf(store)).map((e) => [e.nodeName, e.zone])).toEqual([['node-2', 'zone-b']]);
    const node = await store.get(Node, 'node-2');
    await store.update({
      ...node,
      metadata: { ...node.metadata, labels: { 'topology.kubernetes.io/zone': 'zone-c' } },
    });
    await advance();
    expect(endpointsOf(await slicesOf(store)).map((e) => e.zone)).toEqual(['zone-c']);
  });
});
