import { builtinTypes, Event } from '@keelson/api';
import { createRandom, VirtualClock } from '@keelson/clock';
import { createMemoryLogger, createStore, InvalidError, type KubeObject, type Store } from '@keelson/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEventRecorder, type EventRecorder, type EventRecorderOptions } from './eventRecorder';

const T0 = Date.UTC(2026, 0, 1);

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web',
    namespace: 'shop',
    uid: 'uid-web',
    resourceVersion: '7',
    generation: 1,
    creationTimestamp: '2026-01-01T00:00:00Z',
  },
};

const recorders: EventRecorder[] = [];
afterEach(() => {
  for (const recorder of recorders.splice(0)) recorder.stop();
});

async function setup(options: Partial<EventRecorderOptions> = {}, store?: Store) {
  const clock = new VirtualClock(T0);
  const errors: unknown[] = [];
  const target =
    store ??
    (await createStore({ types: builtinTypes, clock, random: createRandom(1, 'events'), logger: { warn() {} } }));
  const recorder = createEventRecorder(target, {
    component: 'test-controller',
    host: 'node-1',
    clock,
    random: createRandom(1, 'recorder'),
    onError: (error) => errors.push(error),
    ...options,
  });
  recorders.push(recorder);
  const events = async () => (await target.list(Event)).items;
  return { clock, store: target, recorder, errors, events };
}

/** A store that refuses every write of an Event. */
async function eventlessStore() {
  const clock = new VirtualClock(T0);
  const store = await createStore({
    types: builtinTypes,
    clock,
    random: createRandom(1, 'events'),
    logger: { warn() {} },
    authorizer: ({ kind, verb }) => kind !== 'Event' || verb === 'list',
  });
  return { clock, store };
}

describe('createEventRecorder', () => {
  it("writes an Event in the object's namespace, about the object", async () => {
    const { recorder, events } = await setup();
    await recorder.eventf(pod, 'Normal', 'Scheduled', 'Successfully assigned %s/%s to %s', 'shop', 'web', 'node-1');
    const [event, ...rest] = await events();
    expect(rest).toEqual([]);
    expect(event?.metadata.namespace).toBe('shop');
    expect(event?.metadata.name).toMatch(/^web\.[0-9a-f]{16}$/);
    expect(event).toMatchObject({
      involvedObject: {
        kind: 'Pod',
        apiVersion: 'v1',
        name: 'web',
        namespace: 'shop',
        uid: 'uid-web',
        resourceVersion: '7',
      },
      type: 'Normal',
      reason: 'Scheduled',
      message: 'Successfully assigned shop/web to node-1',
      source: { component: 'test-controller', host: 'node-1' },
      reportingComponent: 'test-controller',
      reportingInstance: 'node-1',
      count: 1,
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:00:00Z',
    });
  });

  it('writes events about cluster-scoped objects in "default"', async () => {
    const { recorder, events } = await setup();
    const node: KubeObject = { ...pod, kind: 'Node', metadata: { ...pod.metadata, name: 'node-1', namespace: '' } };
    await recorder.event(node, 'Warning', 'NodeNotReady', 'Node node-1 status is now: NodeNotReady');
    const [event] = await events();
    expect(event?.metadata.namespace).toBe('default');
    expect(event?.involvedObject.namespace).toBeUndefined();
  });

  it('counts an identical event on the existing Event: count and lastTimestamp', async () => {
    const { clock, recorder, events } = await setup();
    await recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await clock.advance(30_000);
    await recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await clock.advance(30_000);
    await recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    const all = await events();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      count: 3,
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:01:00Z',
    });
  });

  it('writes in call order when callers do not wait', async () => {
    const { recorder, events } = await setup();
    await Promise.all([1, 2, 3].map(() => recorder.event(pod, 'Warning', 'BackOff', 'Back-off')));
    expect(await events()).toMatchObject([{ count: 3 }]);
  });

  it('combines similar events from the 10th distinct message within 600 s, then starts over', async () => {
    const { clock, recorder, events } = await setup();
    for (let i = 1; i <= 11; i++) {
      await recorder.event(pod, 'Warning', 'FailedMount', `volume v${i} not attached`);
      await clock.advance(10_000);
    }
    const messages = (await events()).map((event) => `${event.message} x${event.count}`);
    expect(messages).toHaveLength(10);
    expect(messages).toContain('(combined from similar events): volume v11 not attached x2');
    expect(messages.filter((m) => m.startsWith('(combined'))).toHaveLength(1);
    expect(messages).toContain('volume v9 not attached x1');

    await clock.advance(600_001);
    await recorder.event(pod, 'Warning', 'FailedMount', 'volume v12 not attached');
    expect((await events()).map((event) => event.message)).toContain('volume v12 not attached');
  });

  it('drops the 26th event about one object, and lets one through after 5 minutes', async () => {
    const { clock, recorder, events } = await setup();
    for (let i = 1; i <= 26; i++) await recorder.event(pod, 'Normal', `Step${i}`, 'step done');
    expect(await events()).toHaveLength(25);
    await clock.advance(299_000);
    await recorder.event(pod, 'Normal', 'Step27', 'step done');
    expect(await events()).toHaveLength(25);
    await clock.advance(1_000);
    await recorder.event(pod, 'Normal', 'Step28', 'step done');
    await recorder.event(pod, 'Normal', 'Step29', 'step done');
    const reasons = (await events()).map((event) => event.reason);
    expect(reasons).toHaveLength(26);
    expect(reasons).toContain('Step28');
  });

  it('deletes expired events with one background timer, however many events there are', async () => {
    const { clock, recorder, events } = await setup({ random: createRandom(2, 'recorder') });
    const timers = clock.pendingTimers();
    expect(timers).toBe(1);
    const object = (i: number): KubeObject => ({ ...pod, metadata: { ...pod.metadata, name: `web-${i}` } });
    for (let i = 0; i < 40; i++) await recorder.event(object(i), 'Normal', 'Started', 'Started container');
    expect(clock.pendingTimers()).toBe(timers);

    await clock.advance(30 * 60_000);
    await recorder.event(object(0), 'Normal', 'Started', 'Started container'); // counted: lives on
    await recorder.event(object(100), 'Normal', 'Started', 'Started container');
    expect(clock.pendingTimers()).toBe(timers);

    await clock.advance(30 * 60_000 + 60_000);
    const left = (await events()).map((event) => event.involvedObject.name).sort();
    expect(left).toEqual(['web-0', 'web-100']);
    expect(clock.pendingTimers()).toBe(timers);

    await clock.advance(60 * 60_000);
    expect(await events()).toEqual([]);

    recorder.stop();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('re-creates an Event the sweep deleted when it happens again', async () => {
    const { clock, recorder, events } = await setup();
    await recorder.event(pod, 'Warning', 'BackOff', 'Back-off');
    await clock.advance(3_600_000 + 60_000);
    expect(await events()).toEqual([]);
    await recorder.event(pod, 'Warning', 'BackOff', 'Back-off');
    expect(await events()).toMatchObject([{ count: 2, message: 'Back-off' }]);
  });

  it('sets no timer with sweep: false', async () => {
    const { clock } = await setup({ sweep: false });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('refuses bad arguments at once and writes nothing', async () => {
    const { recorder, events } = await setup();
    const refusals: Array<[() => unknown, RegExp]> = [
      [() => recorder.event(pod, 'Error' as never, 'Failed', 'x'), /type must be "Normal" or "Warning"/],
      [() => recorder.event(pod, 'Normal', '', 'x'), /reason must be a non-empty UpperCamelCase/],
      [() => recorder.event(pod, 'Normal', 'failed_mount', 'x'), /reason must be .*UpperCamelCase/],
      [() => recorder.event(pod, 'Normal', 'Failed', 42 as never), /message must be a string/],
      [() => recorder.event({ kind: 'Pod' } as never, 'Normal', 'Failed', 'x'), /object must be a Kubernetes object/],
      [() => recorder.eventf(pod, 'Normal', 'Failed', undefined as never), /format must be a string/],
    ];
    for (const [call, message] of refusals) {
      expect(call).toThrow(InvalidError);
      expect(call).toThrow(message);
    }
    expect(await events()).toEqual([]);
    expect(() => createEventRecorder({} as never, { component: '' })).toThrow(/component must be a non-empty string/);
    expect(() => createEventRecorder({} as never, { component: 'c', ttlMs: -1 })).toThrow(InvalidError);
  });

  it('reports store failures through onError and never throws', async () => {
    const { store } = await eventlessStore();
    const { recorder, errors, events } = await setup({}, store);
    await expect(recorder.event(pod, 'Warning', 'BackOff', 'Back-off')).resolves.toBeUndefined();
    await expect(recorder.event(pod, 'Warning', 'BackOff', 'Back-off')).resolves.toBeUndefined();
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ code: 'Forbidden' });
    expect(await events()).toEqual([]);
  });

  it('without onError, reports store failures as warn lines on the logger, and is silent without one', async () => {
    const { clock, store } = await eventlessStore();
    const warn = vi.spyOn(console, 'warn');
    const silent = createEventRecorder(store, { component: 'kubelet', clock, sweep: false });
    await silent.event(pod, 'Warning', 'BackOff', 'Back-off');
    expect(warn).not.toHaveBeenCalled();
    silent.stop();
    const logger = createMemoryLogger();
    const recorder = createEventRecorder(store, { component: 'kubelet', clock, sweep: false, logger });
    await recorder.event(pod, 'Warning', 'BackOff', 'Back-off');
    recorder.stop();
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        message: 'could not record event',
        fields: { source: 'kubelet', reason: 'BackOff', error: expect.any(String), code: 'Forbidden' },
      },
    ]);
    warn.mockRestore();
  });
});
