import { bindPod, Event, NOT_READY_TAINT, Node, Pod, UNREACHABLE_TAINT } from '@keelson/api';
import { createRandom } from '@keelson/clock';
import { createEventRecorder, type EventRecorder } from '@keelson/controller';
import { isKeelsonError, type Store } from '@keelson/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeLifecycleController } from './index';
import { advanceTo, at, lifecycleStore, TestKubelet } from './testKubelet';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** A pod that declares an unreachable toleration (so admission adds no default one) that never matches. */
const NO_UNREACHABLE_TOLERATION = [
  { key: UNREACHABLE_TAINT, operator: 'Equal' as const, value: 'never', effect: 'NoExecute' as const },
];
/** A pod that tolerates unreachable nodes forever. */
const FOREVER = [{ key: UNREACHABLE_TAINT, operator: 'Exists' as const, effect: 'NoExecute' as const }];

async function cluster(options: { recorder?: boolean } = {}) {
  const { clock, store } = await lifecycleStore();
  let recorder: EventRecorder | undefined;
  if (options.recorder) {
    recorder = createEventRecorder(store, { component: 'node-controller', random: createRandom(1, 'events') });
    cleanup.push(() => recorder?.stop());
  }
  const start = async () => {
    const controller = createNodeLifecycleController(store, recorder ? { recorder } : {});
    cleanup.push(() => controller.stop());
    await controller.start();
    return controller;
  };
  return { clock, store, start };
}

async function ready(store: Store, node: string) {
  return (await store.get(Node, node)).status?.conditions?.find((c) => c.type === 'Ready');
}

async function taints(store: Store, node: string): Promise<string[]> {
  return ((await store.get(Node, node)).spec.taints ?? []).map((t) => `${t.key}:${t.effect}@${t.timeAdded}`);
}

async function pod(store: Store, name: string) {
  return store.get(Pod, name, { namespace: 'default' });
}

async function deletionTimestamp(store: Store, name: string): Promise<string | undefined> {
  try {
    return (await pod(store, name)).metadata.deletionTimestamp;
  } catch (error) {
    if (isKeelsonError(error, 'NotFound')) return 'gone';
    throw error;
  }
}

/** Kubelet on n1 renews at 0, 10, 20, 30 s and then dies; the controller checks at 0, 5, 10, … s. */
async function lostNode(options: { recorder?: boolean } = {}) {
  const { clock, store, start } = await cluster(options);
  const kubelet = new TestKubelet(store, clock, 'n1');
  cleanup.push(() => kubelet.stop());
  await kubelet.register();
  await kubelet.runPod('doomed', NO_UNREACHABLE_TOLERATION);
  await kubelet.runPod('patient'); // admission adds the 300 s tolerations
  await kubelet.runPod('loyal', FOREVER);
  const before = clock.pendingTimers();
  const controller = await start();
  const running = clock.pendingTimers();
  await advanceTo(clock, 30);
  kubelet.stop();
  return { clock, store, kubelet, controller, before, running };
}

describe('node lifecycle controller', () => {
  it('marks a silent node Unknown at the first check more than 50 s after its last renewal, and taints it', async () => {
    const { clock, store } = await lostNode();
    await advanceTo(clock, 80); // exactly 50 s after the renewal at 30 s: not yet
    expect((await ready(store, 'n1'))?.status).toBe('True');
    expect(await taints(store, 'n1')).toEqual([]);

    await advanceTo(clock, 85);
    expect(await ready(store, 'n1')).toEqual({
      type: 'Ready',
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
      lastHeartbeatTime: at(0), // the node's own heartbeat is kept
      lastTransitionTime: at(85),
    });
    expect(await taints(store, 'n1')).toEqual([
      `${UNREACHABLE_TAINT}:NoSchedule@${at(85)}`,
      `${UNREACHABLE_TAINT}:NoExecute@${at(85)}`,
    ]);

    const written = (await store.get(Node, 'n1')).metadata.resourceVersion;
    await advanceTo(clock, 200);
    expect((await store.get(Node, 'n1')).metadata.resourceVersion).toBe(written); // later checks write nothing
  });

  it('marks a pod bound to a lost node later not ready, and evicts it on the taint’s schedule', async () => {
    const { clock, store } = await lostNode();
    await advanceTo(clock, 100);
    const late = await store.create(Pod, {
      metadata: { name: 'late', namespace: 'default' },
      spec: { containers: [{ name: 'app', image: 'app:1' }] },
    });
    await store.updateStatus({
      ...late,
      status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at(99) }] },
    });
    await bindPod(store, late, 'n1');
    await clock.advance(0);
    expect((await pod(store, 'late')).status?.conditions).toEqual([
      { type: 'Ready', status: 'False', lastTransitionTime: at(100) },
      { type: 'PodScheduled', status: 'True', lastTransitionTime: at(100) }, // set by the binding itself
    ]);
    await advanceTo(clock, 384);
    expect(await deletionTimestamp(store, 'late')).toBeUndefined();
    await advanceTo(clock, 385); // timeAdded 85 s + 300 s, not 100 s + 300 s
    expect(await deletionTimestamp(store, 'late')).toBe(at(415));
  });

  it('forgets the eviction of a pod deleted meanwhile', async () => {
    const { clock, store, running } = await lostNode();
    await advanceTo(clock, 85);
    expect(clock.pendingTimers()).toBe(running);
    await store.delete(Pod, 'patient', { namespace: 'default', gracePeriodSeconds: 0 });
    await clock.advance(0);
    expect(clock.pendingTimers()).toBe(running - 1);
  });

  it('evicts by toleration: untolerated at once, 300 s after timeAdded by default, never when tolerated forever', async () => {
    const { clock, store } = await lostNode();
    await advanceTo(clock, 84);
    expect(await deletionTimestamp(store, 'doomed')).toBeUndefined();

    await advanceTo(clock, 85);
    const doomed = await pod(store, 'doomed');
    expect(doomed.metadata.deletionTimestamp).toBe(at(85 + 30)); // deleted at 85 s with its 30 s grace period
    expect(doomed.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'DeletionByTaintManager',
      lastTransitionTime: at(85),
    });
    expect(await deletionTimestamp(store, 'patient')).toBeUndefined();

    await advanceTo(clock, 384);
    expect(await deletionTimestamp(store, 'patient')).toBeUndefined();
    await advanceTo(clock, 385); // the taint's timeAdded (85 s) + tolerationSeconds 300
    expect(await deletionTimestamp(store, 'patient')).toBe(at(385 + 30));

    await advanceTo(clock, 3_600);
    expect(await deletionTimestamp(store, 'loyal')).toBeUndefined();
  });

  it('marks the pods of a lost node not ready', async () => {
    const { clock, store } = await lostNode();
    await advanceTo(clock, 80);
    expect((await pod(store, 'loyal')).status?.conditions).toEqual([
      { type: 'Ready', status: 'True', lastTransitionTime: at(0) },
    ]);
    await advanceTo(clock, 85);
    for (const name of ['patient', 'loyal']) {
      expect((await pod(store, name)).status?.conditions).toEqual([
        { type: 'Ready', status: 'False', lastTransitionTime: at(85) },
      ]);
    }
  });

  it('keeps one periodic timer, plus one per pending eviction, and leaves none behind', async () => {
    const { clock, controller, before, running } = await lostNode();
    for (let s = 35; s <= 80; s += 5) {
      await advanceTo(clock, s);
      expect(clock.pendingTimers()).toBe(running - 1); // the kubelet's renewal timer is gone
    }
    await advanceTo(clock, 85);
    expect(clock.pendingTimers()).toBe(running); // + the patient pod's eviction (loyal: none, doomed: deleted)
    await advanceTo(clock, 385);
    expect(clock.pendingTimers()).toBe(running - 1);
    await controller.stop();
    expect(clock.pendingTimers()).toBe(before - 1);
  });

  it('removes the taints and cancels pending evictions when the node comes back', async () => {
    const { clock, store, kubelet, running } = await lostNode({ recorder: true });
    await advanceTo(clock, 85);
    expect(clock.pendingTimers()).toBe(running); // the patient pod's eviction is pending

    await advanceTo(clock, 102);
    await kubelet.resume(); // renews and reposts Ready=True at 102 s
    await advanceTo(clock, 104);
    expect(await taints(store, 'n1')).toEqual([`${UNREACHABLE_TAINT}:NoExecute@${at(85)}`]); // NoSchedule went at once
    await advanceTo(clock, 105); // NoExecute goes at the next check
    expect(await taints(store, 'n1')).toEqual([]);
    expect((await ready(store, 'n1'))?.status).toBe('True');
    expect(clock.pendingTimers()).toBe(running); // the eviction timer went, the kubelet's renewal is back

    await advanceTo(clock, 600);
    expect(await deletionTimestamp(store, 'patient')).toBeUndefined();
    expect(await deletionTimestamp(store, 'doomed')).toBe(at(115)); // what was done stays done
    const events = (await store.list(Event, { namespace: 'default' })).items;
    expect(events.map((e) => `${e.involvedObject.name} ${e.type} ${e.reason}: ${e.message}`).sort()).toEqual([
      'doomed Normal TaintManagerEviction: Marking for deletion Pod default/doomed',
      'doomed Warning NodeNotReady: Node is not ready',
      'loyal Warning NodeNotReady: Node is not ready',
      'n1 Normal NodeNotReady: Node n1 status is now: NodeNotReady',
      'n1 Normal RegisteredNode: Registered Node n1 in Controller',
      'patient Normal TaintManagerEviction: Cancelling deletion of Pod default/patient',
      'patient Warning NodeNotReady: Node is not ready',
    ]);
  });

  it('taints a node that reports Ready=False with not-ready instead of unreachable', async () => {
    const { clock, store, start } = await cluster();
    const kubelet = new TestKubelet(store, clock, 'n1');
    cleanup.push(() => kubelet.stop());
    await kubelet.register();
    await start();
    await advanceTo(clock, 42);
    await kubelet.reportReady('False'); // alive (the lease keeps being renewed), but not ready
    await advanceTo(clock, 44);
    expect(await taints(store, 'n1')).toEqual([`${NOT_READY_TAINT}:NoSchedule@${at(42)}`]);
    await advanceTo(clock, 45);
    expect(await taints(store, 'n1')).toEqual([
      `${NOT_READY_TAINT}:NoSchedule@${at(42)}`,
      `${NOT_READY_TAINT}:NoExecute@${at(45)}`,
    ]);
    await advanceTo(clock, 200);
    expect((await ready(store, 'n1'))?.status).toBe('False'); // it reports: never Unknown
  });

  it('gives a node never heard from 60 s from when the controller first saw it', async () => {
    const { clock, store, start } = await cluster();
    await start();
    await advanceTo(clock, 3);
    await new TestKubelet(store, clock, 'silent').register({ ready: false, lease: false });
    const quiet = new TestKubelet(store, clock, 'quiet');
    await quiet.register(); // reported once at 3 s, then never again
    quiet.stop();

    await advanceTo(clock, 50);
    expect((await ready(store, 'quiet'))?.status).toBe('True');
    await advanceTo(clock, 55); // 3 s + 50 s grace, next check
    expect((await ready(store, 'quiet'))?.status).toBe('Unknown');

    await advanceTo(clock, 60);
    expect(await ready(store, 'silent')).toBeUndefined();
    await advanceTo(clock, 65); // 3 s + 60 s startup grace, next check
    expect(await ready(store, 'silent')).toEqual({
      type: 'Ready',
      status: 'Unknown',
      reason: 'NodeStatusNeverUpdated',
      message: 'Kubelet never posted node status.',
      lastTransitionTime: at(65),
    });
    expect(await taints(store, 'silent')).toEqual([
      `${UNREACHABLE_TAINT}:NoSchedule@${at(65)}`,
      `${UNREACHABLE_TAINT}:NoExecute@${at(65)}`,
    ]);
  });

  it('does not hold up runUntilIdle', async () => {
    const { clock, store, start } = await cluster();
    await new TestKubelet(store, clock, 'n1').register({ lease: false });
    await start();
    const now = clock.now();
    await clock.runUntilIdle();
    expect(clock.now()).toBe(now);
  });

  it('refuses bad options', async () => {
    const { store } = await lifecycleStore();
    const bad = [
      { monitorPeriodMs: 0 },
      { gracePeriodMs: -1 },
      { startupGracePeriodMs: Number.NaN },
      { monitorPeriodMs: '5s' },
      { leaseNamespace: '' },
      { recorder: {} },
      { clock: { now: () => 0 } },
    ];
    for (const options of bad) {
      expect(() => createNodeLifecycleController(store, options as never)).toThrowError(
        expect.objectContaining({ code: 'Invalid' }),
      );
    }
    expect(() => createNodeLifecycleController({} as Store)).toThrow(/store must be a store/);
  });
});
