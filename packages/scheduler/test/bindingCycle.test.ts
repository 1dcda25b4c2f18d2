import { getCondition, Node, Pod } from '@keelson/api';
import type { Store } from '@keelson/core';
import { describe, expect, it } from 'vitest';
import { errorStatus, unschedulable, WAIT } from '../src/framework/status';
import type { PluginFactory } from '../src/framework/types';
import type { SchedulerOptions } from '../src/scheduler/scheduler';
import { schedulerCluster } from './schedulerCluster';

const setup = (options: Partial<SchedulerOptions> = {}) => schedulerCluster({ recorder: false, ...options });

const node = (store: Store, name: string, cpu = '2') =>
  store.create(Node, { metadata: { name }, spec: {}, status: { capacity: { cpu, memory: '8Gi', pods: '110' } } });
const pod = (store: Store, name: string, cpu: string, spec: Record<string, unknown> = {}) =>
  store.create(Pod, {
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'app:1', resources: { requests: { cpu } } }], ...spec },
  });
const boundTo = async (store: Store, name: string) =>
  (await store.get(Pod, name, { namespace: 'default' })).spec.nodeName;

describe('the binding cycle', () => {
  it('holds a pod a Permit plugin asked to wait until it is allowed', async () => {
    const gate: PluginFactory = () => ({ name: 'Gate', permit: () => ({ status: WAIT, timeoutMs: 60_000 }) });
    const { store, scheduler, settle, clock } = await setup({
      registry: { Gate: gate },
      profiles: [{ plugins: { permit: { enabled: [{ name: 'Gate' }] } } }],
    });
    await node(store, 'n1');
    await scheduler.start();
    await pod(store, 'p', '1');
    await clock.advance(0);
    await clock.advance(0);
    expect(scheduler.waitingPod('default/p')).toBeDefined();
    expect(await boundTo(store, 'p')).toBeUndefined();
    // While it waits, the pod is assumed: a second pod sees its cpu taken.
    await pod(store, 'q', '1500m');
    await clock.advance(0);
    expect(scheduler.waitingPod('default/q')).toBeUndefined();
    scheduler.waitingPod('default/p')?.allow();
    await settle();
    expect(await boundTo(store, 'p')).toBe('n1');
  });

  it('rejects a waiting pod when Permit times out, and frees what it had assumed', async () => {
    let waitFirst = true;
    const gate: PluginFactory = () => ({
      name: 'Gate',
      permit: (_s, p) =>
        p.pod.metadata.name === 'p' && waitFirst ? { status: WAIT, timeoutMs: 10_000 } : { status: undefined },
    });
    const { store, scheduler, settle, clock } = await setup({
      registry: { Gate: gate },
      profiles: [{ plugins: { permit: { enabled: [{ name: 'Gate' }] } } }],
    });
    await node(store, 'n1');
    await scheduler.start();
    await pod(store, 'p', '1500m');
    await settle();
    await clock.advance(9_000);
    expect(scheduler.waitingPod('default/p')).toBeDefined();
    waitFirst = false;
    await clock.advance(1_000);
    await settle();
    const rejected = await store.get(Pod, 'p', { namespace: 'default' });
    expect(getCondition(rejected.status?.conditions, 'PodScheduled')?.message).toBe(
      'rejected due to timeout after waiting 10s at Permit',
    );
    await clock.advance(2_000); // backoff
    await settle();
    expect(await boundTo(store, 'p')).toBe('n1');
  });

  it('on a failed bind, forgets the assumed pod and retries it with backoff', async () => {
    let failures = 1;
    const flaky: PluginFactory = (_args, handle) => ({
      name: 'FlakyBinder',
      async bind(_s, p, nodeName) {
        if (failures-- > 0) return errorStatus(new Error('binding refused'));
        const { bindPod } = await import('@keelson/api');
        await bindPod(handle.store as Store, p.pod, nodeName);
        return undefined;
      },
    });
    const { store, scheduler, settle, clock } = await setup({
      registry: { FlakyBinder: flaky },
      profiles: [{ plugins: { bind: { enabled: [{ name: 'FlakyBinder' }], disabled: [{ name: '*' }] } } }],
    });
    await node(store, 'n1');
    await scheduler.start();
    await pod(store, 'p', '2');
    await settle();
    expect(await boundTo(store, 'p')).toBeUndefined();
    expect(scheduler.stats.errors).toBe(1);
    expect(scheduler.queueLength().backoff).toBe(1);
    await clock.advance(1_000);
    await settle();
    expect(await boundTo(store, 'p')).toBe('n1'); // the whole node: nothing of the failed attempt remained
  });

  it('runs Unreserve when Reserve fails, and the pod is retried', async () => {
    const calls: string[] = [];
    const ledger: PluginFactory = () => ({
      name: 'Ledger',
      reserve: (_s, p) => {
        calls.push(`reserve ${p.pod.metadata.name}`);
        return calls.length === 1 ? unschedulable('ledger is full') : undefined;
      },
      unreserve: (_s, p) => void calls.push(`unreserve ${p.pod.metadata.name}`),
    });
    const { store, scheduler, settle, clock } = await setup({
      registry: { Ledger: ledger },
      profiles: [{ plugins: { reserve: { enabled: [{ name: 'Ledger' }] } } }],
    });
    await node(store, 'n1');
    await scheduler.start();
    await pod(store, 'p', '1');
    await settle();
    expect(calls).toEqual(['reserve p', 'unreserve p']);
    await clock.advance(300_000 + 30_000); // rejected by Reserve: back after the unschedulable timeout at the latest
    await settle();
    expect(await boundTo(store, 'p')).toBe('n1');
  });

  it('keeps the nominated node for the preemptor: a lower-priority pod does not take the freed room', async () => {
    const { store, scheduler, settle, clock } = await setup();
    await node(store, 'only');
    await scheduler.start();
    await pod(store, 'victim', '2', { priority: 1 });
    await settle();
    await pod(store, 'vip', '2', { priority: 100 });
    await settle();
    expect((await store.get(Pod, 'vip', { namespace: 'default' })).status?.nominatedNodeName).toBe('only');
    await store.delete(Pod, 'victim', { namespace: 'default', gracePeriodSeconds: 0 });
    await pod(store, 'sneak', '2', { priority: 50 });
    await settle();
    await clock.advance(1_000);
    await settle();
    expect(await boundTo(store, 'vip')).toBe('only');
    expect(await boundTo(store, 'sneak')).toBeUndefined();
  });
});
