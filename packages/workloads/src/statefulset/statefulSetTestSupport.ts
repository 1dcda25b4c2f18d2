/**
 * Test support for the StatefulSet controller: a set `web` in `default`,
 * and the kubelet's part (report pods running and ready, finish graceful
 * deletions). Not exported from the package.
 */
import { bindPod, ControllerRevision, Event, PersistentVolumeClaim, Pod, StatefulSet } from '@keelson/api';
import type { Store } from '@keelson/core';
import { garbageCollectorController } from '../gc/index';
import { setPodStatus, startWorkloads, type WorkloadHarness } from '../testSupport';
import { statefulSetController } from './statefulSetController';

/** A harness running the StatefulSet controller and the garbage collector. */
export function startStatefulSets(): Promise<WorkloadHarness> {
  return startWorkloads([statefulSetController(), garbageCollectorController()]);
}

/** A claim template `data` asking for 1Gi. */
export const DATA_TEMPLATE = {
  metadata: { name: 'data', labels: { tier: 'storage' } },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
};

/** Creates `web` in `default` (3 replicas, service `web`, selecting `app: web`), with `spec` merged over it. */
export async function createWeb(store: Store, spec: Record<string, unknown> = {}): Promise<StatefulSet> {
  return store.create(StatefulSet, {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } },
      ...spec,
    },
  } as unknown as StatefulSet);
}

/** Changes the set's spec. */
export async function patchWeb(store: Store, change: (spec: StatefulSet['spec']) => void): Promise<void> {
  await store.patch(
    StatefulSet,
    'web',
    (draft) => {
      change(draft.spec);
      return draft;
    },
    { namespace: 'default' },
  );
}

/** Sets the template's image (a new revision). */
export function setImage(store: Store, image: string): Promise<void> {
  return patchWeb(store, (spec) => {
    (spec.template.spec.containers[0] as { image: string }).image = image;
  });
}

/** Every pod in `default`, by name. */
export async function allPods(store: Store): Promise<Pod[]> {
  const { items } = await store.list(Pod, { namespace: 'default' });
  return items.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

/** Names of the pods not being deleted. */
export async function liveNames(store: Store): Promise<string[]> {
  return (await allPods(store)).filter((p) => p.metadata.deletionTimestamp === undefined).map((p) => p.metadata.name);
}

/** Names of the claims in `default`. */
export async function claimNames(store: Store): Promise<string[]> {
  const { items } = await store.list(PersistentVolumeClaim, { namespace: 'default' });
  return items.map((c) => c.metadata.name).sort();
}

/** A claim by name. */
export function claim(store: Store, name: string): Promise<PersistentVolumeClaim> {
  return store.get(PersistentVolumeClaim, name, { namespace: 'default' });
}

/** The image of each live pod, by name. */
export async function images(store: Store): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const pod of await allPods(store)) {
    if (pod.metadata.deletionTimestamp === undefined) out[pod.metadata.name] = pod.spec.containers[0]?.image ?? '';
  }
  return out;
}

/** Binds one pod to node `n1` (so its deletion is graceful) and reports it running and ready. */
export async function ready(store: Store, name: string): Promise<void> {
  const pod = await store.get(Pod, name, { namespace: 'default' });
  if (!pod.spec.nodeName) await bindPod(store, pod, 'n1');
  await setPodStatus(store, { metadata: { name, namespace: 'default' } }, { ready: true });
}

/** Reports every live pod that is not yet ready as running and ready. */
export async function readyAll(store: Store): Promise<void> {
  for (const pod of await allPods(store)) {
    if (pod.metadata.deletionTimestamp === undefined && pod.status?.phase !== 'Running') {
      await ready(store, pod.metadata.name);
    }
  }
}

/** What kubelets do with deleted pods: confirm every graceful deletion. */
export async function finishDeletions(store: Store): Promise<void> {
  for (const pod of await allPods(store)) {
    if (pod.metadata.deletionTimestamp !== undefined) {
      await store.delete(Pod, pod.metadata.name, { namespace: 'default', gracePeriodSeconds: 0 });
    }
  }
}

/**
 * Plays kubelet until the set settles: readies new pods and finishes
 * deletions, advancing time between rounds, recording the order in which
 * pods were first seen and were deleted.
 */
export async function settle(harness: WorkloadHarness, rounds = 20): Promise<{ created: string[]; deleted: string[] }> {
  const created: string[] = [];
  const deleted: string[] = [];
  const seen = new Map<string, string>();
  for (let i = 0; i < rounds; i++) {
    for (const pod of await allPods(harness.store)) {
      if (seen.get(pod.metadata.name) !== pod.metadata.uid) {
        seen.set(pod.metadata.name, pod.metadata.uid);
        created.push(pod.metadata.name);
      }
      if (pod.metadata.deletionTimestamp !== undefined) deleted.push(pod.metadata.name);
    }
    await readyAll(harness.store);
    await finishDeletions(harness.store);
    await harness.advance(1000);
  }
  return { created, deleted };
}

/** The set's status as stored. */
export async function webStatus(store: Store): Promise<StatefulSet['status']> {
  return (await store.get(StatefulSet, 'web', { namespace: 'default' })).status;
}

/** The set's revisions, oldest first. */
export async function revisions(store: Store): Promise<ControllerRevision[]> {
  const { items } = await store.list(ControllerRevision, { namespace: 'default' });
  return items.sort((a, b) => a.revision - b.revision);
}

/** Reasons and messages of the events about `web`. */
export async function webEvents(store: Store): Promise<string[]> {
  const { items } = await store.list(Event, { namespace: 'default' });
  return items.filter((e) => e.involvedObject.name === 'web').map((e) => `${e.reason}: ${e.message}`);
}
