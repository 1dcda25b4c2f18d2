import { VirtualClock } from '@keelson/clock';
import { describe, expect, it } from 'vitest';
import { podInfoOf } from '../src/framework/podInfo';
import type { QueuedPodInfo } from '../src/framework/types';
import { prioritySort } from '../src/plugins/prioritySort';
import { SchedulingQueue, type SchedulingQueueOptions } from '../src/queue/schedulingQueue';
import { clusterOf, handleFor, makePod } from './harness';

function queueOn(clock: VirtualClock, options: Partial<SchedulingQueueOptions> = {}) {
  const sort = prioritySort(undefined, handleFor(clusterOf([])));
  return new SchedulingQueue({ clock, less: (a, b) => sort.less?.(a, b) ?? false, ...options });
}

const name = (q: QueuedPodInfo | undefined) => q?.podInfo.pod.metadata.name;

/** Advances the clock in 100 ms steps until the queue hands out a pod; returns it and when. */
async function nextPop(clock: VirtualClock, queue: SchedulingQueue, limitMs = 600_000) {
  let got: QueuedPodInfo | undefined;
  void queue.pop().then((q) => {
    got = q;
  });
  const start = clock.now();
  await clock.advance(0);
  while (got === undefined && clock.now() - start < limitMs) await clock.advance(100);
  return { pod: got, waited: clock.now() - start };
}

describe('SchedulingQueue', () => {
  it('pops by priority, then by age', async () => {
    const clock = new VirtualClock(0);
    const queue = queueOn(clock);
    queue.add(podInfoOf(makePod('old-low', { priority: 1 })));
    await clock.advance(10);
    queue.add(podInfoOf(makePod('high', { priority: 100 })));
    queue.add(podInfoOf(makePod('new-low', { priority: 1 })));
    expect([name(await queue.pop()), name(await queue.pop()), name(await queue.pop())]).toEqual([
      'high',
      'old-low',
      'new-low',
    ]);
  });

  it('backs off 1 s, 2 s, 4 s, 8 s, then 10 s after failed attempts', async () => {
    const clock = new VirtualClock(0);
    const queue = queueOn(clock);
    queue.add(podInfoOf(makePod('p')));
    let popped = await queue.pop();
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      expect(popped?.attempts).toBe(attempt);
      queue.requeue(popped as QueuedPodInfo, { unschedulable: false, cycle: queue.schedulingCycle });
      expect(queue.where('default/p')).toBe('backoff');
      const next = await nextPop(clock, queue);
      waits.push(next.waited);
      popped = next.pod;
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it('keeps an unschedulable pod until an event one of its rejecting plugins cares about', async () => {
    const clock = new VirtualClock(0);
    const queue = queueOn(clock, {
      interestedIn: (event, plugin) => plugin === 'NodeResourcesFit' && event === 'AssignedPodDelete',
    });
    queue.add(podInfoOf(makePod('p')));
    const popped = (await queue.pop()) as QueuedPodInfo;
    queue.requeue(popped, { unschedulable: true, plugins: ['NodeResourcesFit'], cycle: queue.schedulingCycle });
    expect(queue.where('default/p')).toBe('unschedulable');
    queue.moveOnEvent('NodeAdd');
    expect(queue.where('default/p')).toBe('unschedulable');
    await clock.advance(5000); // past its 1 s backoff
    queue.moveOnEvent('AssignedPodDelete');
    expect(queue.where('default/p')).toBe('active');
  });

  it('sends a pod to backoff, not the pool, when an event arrived during its attempt', async () => {
    const clock = new VirtualClock(0);
    const queue = queueOn(clock, { interestedIn: () => true });
    queue.add(podInfoOf(makePod('p')));
    const popped = (await queue.pop()) as QueuedPodInfo;
    const cycle = queue.schedulingCycle;
    queue.moveOnEvent('NodeAdd'); // while "scheduling"
    queue.requeue(popped, { unschedulable: true, plugins: ['NodeResourcesFit'], cycle });
    expect(queue.where('default/p')).toBe('backoff');
  });

  it('retries a pod left unschedulable for 5 minutes without any event', async () => {
    const clock = new VirtualClock(0);
    const queue = queueOn(clock, { interestedIn: () => false });
    queue.add(podInfoOf(makePod('p')));
    queue.requeue((await queue.pop()) as QueuedPodInfo, { unschedulable: true, plugins: ['X'], cycle: 1 });
    await clock.advance(4 * 60_000);
    expect(queue.where('default/p')).toBe('unschedulable');
    await clock.advance(60_000 + 30_000);
    expect(queue.where('default/p')).toBe('active');
  });

  it('moves an unschedulable pod on a spec change but not on a status-only change', async () => {
    const clock = new VirtualClock(0);
    const queue = queueOn(clock, { interestedIn: () => false });
    const pod = makePod('p');
    queue.add(podInfoOf(pod));
    queue.requeue((await queue.pop()) as QueuedPodInfo, { unschedulable: true, plugins: ['X'], cycle: 1 });
    queue.update(podInfoOf({ ...pod, status: { phase: 'Pending' } }), false);
    expect(queue.where('default/p')).toBe('unschedulable');
    await clock.advance(2000);
    queue.update(podInfoOf(makePod('p', { nodeSelector: { disk: 'ssd' } })), true);
    expect(queue.where('default/p')).toBe('active');
  });

  it('gates pods a PreEnqueue plugin rejects until they change', async () => {
    const clock = new VirtualClock(0);
    let open = false;
    const queue = queueOn(clock, {
      preEnqueue: () => (open ? undefined : { code: 'UnschedulableAndUnresolvable', reasons: ['gated'] }),
    });
    queue.add(podInfoOf(makePod('p')));
    expect(queue.where('default/p')).toBe('gated');
    queue.moveOnEvent('NodeAdd');
    expect(queue.where('default/p')).toBe('gated');
    open = true;
    queue.update(podInfoOf(makePod('p')), true);
    expect(name(await queue.pop())).toBe('p');
  });

  it('resolves waiting pops with undefined on close', async () => {
    const queue = queueOn(new VirtualClock(0));
    const waiting = queue.pop();
    queue.close();
    expect(await waiting).toBeUndefined();
  });
});
