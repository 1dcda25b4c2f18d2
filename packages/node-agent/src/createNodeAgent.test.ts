import { Lease, Node } from '@keelson/api';
import { isKeelsonError } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeAgent } from './createNodeAgent';
import { type Harness, startHarness, T0 } from './testHarness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.agent.stop();
  h = undefined;
});

describe('registration and heartbeat', () => {
  it('registers the node with labels, capacity, allocatable and a Ready condition', async () => {
    h = await startHarness();
    const node = await h.store.get(Node, 'node-1');
    expect(node.metadata.labels?.['kubernetes.io/hostname']).toBe('node-1');
    expect(node.status?.capacity).toEqual({ cpu: '4', memory: '8Gi', pods: '110' });
    expect(node.status?.allocatable).toEqual({ cpu: '4', memory: '8Gi', pods: '110' });
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'True', reason: 'KubeletReady', lastHeartbeatTime: '2026-01-01T00:00:00Z' });
    expect(node.status?.nodeInfo?.containerRuntimeVersion).toBe('keelson-mock://0.1.0');
  });

  it("reports the images it holds, largest first, for the scheduler's image locality", async () => {
    h = await startHarness();
    h.registry.add('registry.example/big:1.0', { size: 500_000_000 });
    h.registry.add('registry.example/small:1.0', { size: 30_000_000 });
    await h.runPod('a', [{ name: 'c', image: 'registry.example/small:1.0' }]);
    await h.runPod('b', [{ name: 'c', image: 'registry.example/big:1.0' }]);
    await h.advance(10_000); // the next status computation sees the pulled images and writes the change
    const images = (await h.store.get(Node, 'node-1')).status?.images ?? [];
    expect(images.map((image) => image.sizeBytes)).toEqual([500_000_000, 30_000_000]);
    expect(images[0]?.names).toContain('registry.example/big:1.0');
  });

  it('registers labels and taints, and adopts an existing Node', async () => {
    const harness = await startHarness();
    h = harness;
    const options = {
      store: harness.store,
      runtime: harness.runtime,
      images: harness.runtime,
      nodeName: 'node-2',
      clock: harness.clock,
      capacity: { cpu: '2', memory: '4Gi', pods: '10' },
      labels: { zone: 'a' },
      taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const }],
    };
    const second = createNodeAgent(options);
    await second.start();
    await second.stop();
    const again = createNodeAgent({ ...options, labels: { zone: 'b' } });
    await again.start();
    const node = await harness.store.get(Node, 'node-2');
    expect(node.metadata.labels).toMatchObject({ zone: 'b', 'kubernetes.io/hostname': 'node-2' });
    expect(node.spec.taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    expect(node.status?.allocatable).toEqual({ cpu: '2', memory: '4Gi', pods: '10' });
    await again.stop();
  });

  it('renews its lease every 10 s', async () => {
    h = await startHarness();
    const lease0 = await h.store.get(Lease, 'node-1', { namespace: 'kube-node-lease' });
    expect(lease0.spec).toMatchObject({
      holderIdentity: 'node-1',
      leaseDurationSeconds: 40,
      renewTime: '2026-01-01T00:00:00.000000Z',
    });
    await h.advance(9_999);
    expect((await h.store.get(Lease, 'node-1', { namespace: 'kube-node-lease' })).spec.renewTime).toBe(
      '2026-01-01T00:00:00.000000Z',
    );
    await h.advance(1);
    expect((await h.store.get(Lease, 'node-1', { namespace: 'kube-node-lease' })).spec.renewTime).toBe(
      '2026-01-01T00:00:10.000000Z',
    );
    await h.advance(20_000);
    expect((await h.store.get(Lease, 'node-1', { namespace: 'kube-node-lease' })).spec.renewTime).toBe(
      '2026-01-01T00:00:30.000000Z',
    );
  });

  it('writes an unchanged node status only every 5 minutes', async () => {
    h = await startHarness();
    const heartbeat = async () =>
      (await h?.store.get(Node, 'node-1'))?.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
    await h.advance(60_000);
    expect(await heartbeat()).toBe('2026-01-01T00:00:00Z');
    await h.advance(240_000);
    expect(await heartbeat()).toBe('2026-01-01T00:05:00Z');
    await h.advance(10_000);
    expect(await heartbeat()).toBe('2026-01-01T00:05:00Z');
  });

  it('writes the node status at once when it changes', async () => {
    h = await startHarness();
    h.runtime.faults.runtimeDown();
    await h.advance(10_000);
    const ready = (await h.store.get(Node, 'node-1')).status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({
      status: 'False',
      reason: 'KubeletNotReady',
      lastTransitionTime: '2026-01-01T00:00:10Z',
    });
    h.runtime.faults.runtimeUp();
  });

  it('stop() leaves no timers', async () => {
    h = await startHarness();
    h.registry.add('web:1.0');
    await h.runPod('web', [{ name: 'web', image: 'web:1.0', readinessProbe: { tcpSocket: { port: 80 } } }]);
    await h.advance(30_000);
    expect(h.clock.pendingTimers()).toBeGreaterThan(0);
    await h.agent.stop();
    expect(h.clock.pendingTimers()).toBe(0);
    h = undefined;
  });

  it('refuses bad options with InvalidError', async () => {
    const harness = await startHarness();
    h = harness;
    const bad = () =>
      createNodeAgent({
        store: harness.store,
        runtime: harness.runtime,
        images: harness.runtime,
        nodeName: 'Bad_Name',
        capacity: {},
      });
    expect(bad).toThrow(/nodeName/);
    expect(() =>
      createNodeAgent({
        store: harness.store,
        runtime: harness.runtime,
        images: harness.runtime,
        nodeName: 'n',
        capacity: { cpu: 'lots' },
      }),
    ).toThrow(/capacity.cpu/);
    try {
      bad();
    } catch (error) {
      expect(isKeelsonError(error, 'Invalid')).toBe(true);
    }
  });
});

describe('time origin', () => {
  it('starts at 2026-01-01', () => {
    expect(new Date(T0).toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});
