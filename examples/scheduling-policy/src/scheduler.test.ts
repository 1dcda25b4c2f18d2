import { Event, getCondition, Node, Pod } from '@keelson/api';
import type { Scheduler } from '@keelson/scheduler';
import { afterEach, describe, expect, it } from 'vitest';
import { inference, node, pod, startCluster, training, web } from './cluster';
import { reservedReason } from './gpuBinPacking';

let running: Scheduler | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('the GPU profile in createScheduler', () => {
  it('binds pods by the policy and explains the one it cannot place', async () => {
    const { store, scheduler, settle } = await startCluster();
    running = scheduler;
    for (const manifest of [inference('infer-0'), inference('infer-1'), training('train'), web('web')]) {
      await store.create(Pod, manifest);
    }
    await store.create(Pod, pod('batch', { cpu: '20', memory: '8Gi' }));
    await settle();

    const nodeOf = async (name: string) => (await store.get(Pod, name, { namespace: 'default' })).spec.nodeName;
    const packed = await nodeOf('infer-0');
    expect(packed).toMatch(/^gpu-/);
    expect(await nodeOf('infer-1')).toBe(packed); // packed, not spread
    expect(await nodeOf('train')).toMatch(/^gpu-/); // the other GPU node, whole
    expect(await nodeOf('train')).not.toBe(packed);
    expect(await nodeOf('web')).toMatch(/^cpu-/);

    const batch = await store.get(Pod, 'batch', { namespace: 'default' });
    const condition = getCondition(batch.status?.conditions, 'PodScheduled');
    expect(condition).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    expect(condition?.message).toBe(
      `0/4 nodes are available: 2 Insufficient cpu, 2 ${reservedReason('nvidia.com/gpu')}. ` +
        'preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling..',
    );
    const events = (await store.list(Event, { namespace: 'default' })).items;
    expect(events.find((e) => e.reason === 'FailedScheduling')?.message).toBe(condition?.message);
    expect(scheduler.queueLength().unschedulable).toBe(1);
  });

  // #region scheduler-test
  it('places the waiting pod once a node that fits it joins', async () => {
    const { store, scheduler, settle, clock } = await startCluster();
    running = scheduler;
    await store.create(Pod, pod('batch', { cpu: '20', memory: '8Gi' }));
    await settle();
    expect(scheduler.stats.unschedulable).toBe(1);

    // NodeAdd is one of the events GpuBinPacking and NodeResourcesFit say may help.
    await store.create(Node, node('cpu-big', { cpu: '64', memory: '256Gi' }));
    await settle();
    await clock.advance(1_000); // the pod's first backoff: 1 s
    await settle();
    expect((await store.get(Pod, 'batch', { namespace: 'default' })).spec.nodeName).toBe('cpu-big');
  });
  // #endregion
});

describe('profiles by schedulerName', () => {
  it('schedules each pod with the profile it names, and leaves pods of other schedulers alone', async () => {
    const { store, scheduler, settle } = await startCluster();
    running = scheduler;
    await store.create(Pod, pod('half', { cpu: '8', memory: '8Gi', nodeName: 'cpu-1' }));
    await store.create(Pod, pod('most', { cpu: '12', memory: '8Gi', nodeName: 'cpu-2' }));
    await store.create(Pod, pod('spread', { cpu: '2', memory: '1Gi' }));
    await store.create(Pod, pod('packed', { cpu: '1', memory: '1Gi', schedulerName: 'bin-packing' }));
    await store.create(Pod, pod('elsewhere', { cpu: '1', memory: '1Gi', schedulerName: 'other-scheduler' }));
    await settle();

    const get = (name: string) => store.get(Pod, name, { namespace: 'default' });
    expect((await get('spread')).spec.nodeName).toBe('cpu-1'); // default-scheduler: least allocated
    expect((await get('packed')).spec.nodeName).toBe('cpu-2'); // bin-packing: most allocated
    const elsewhere = await get('elsewhere');
    expect(elsewhere.spec.nodeName).toBeUndefined();
    expect(elsewhere.status?.conditions ?? []).toEqual([]); // not ours: no PodScheduled written
  });
});
