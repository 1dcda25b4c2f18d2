/**
 * A stateful service end to end: a 3-replica StatefulSet whose pods write to
 * claims from its volumeClaimTemplates, provisioned by the mock provisioner
 * when the scheduler picks a node (WaitForFirstConsumer) — in that node's
 * zone. A deleted pod comes back with the same name and the same data on
 * another node; scale down and up keeps the claims; a rolling update goes in
 * reverse ordinal order and stops at the partition.
 */
import { Node, PersistentVolume, PersistentVolumeClaim, type Pod, Pod as PodType, StatefulSet } from '@keelson/api';
import { describe, expect, it } from 'vitest';
import type { TestCluster } from '../src/index';
import { clustersClosedAfterEach, isReady, live } from './support';

const cluster = clustersClosedAfterEach();
const ZONE = 'topology.kubernetes.io/zone';

/** The database writes its owner once (from the downward API) and a line per start. */
const DB = {
  behaviour: {
    files: [
      {
        path: '/data/owner',
        content: (p: { fs: { exists(path: string): boolean; read(path: string): string } }) =>
          p.fs.exists('/data/owner') ? p.fs.read('/data/owner') : p.fs.read('/etc/podinfo/name'),
      },
      { path: '/data/starts', content: 'start\n', append: true },
    ],
  },
};

const NODES = ['a', 'a', 'b', 'b', 'c', 'c'].map((zone) => ({ zone: `zone-${zone}` }));

function statefulSet(image: string, replicas: number, partition = 0) {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: {
      replicas,
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition } },
      template: {
        metadata: { labels: { app: 'db' } },
        spec: {
          containers: [
            {
              name: 'db',
              image,
              volumeMounts: [
                { name: 'data', mountPath: '/data' },
                { name: 'podinfo', mountPath: '/etc/podinfo' },
              ],
            },
          ],
          volumes: [
            { name: 'podinfo', downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
    },
  };
}

const SERVICE = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'db', namespace: 'default' },
  spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] },
};

async function readyPods(c: TestCluster): Promise<Pod[]> {
  return live(await c.list(PodType)).filter(isReady);
}

async function waitReady(c: TestCluster, names: readonly string[], description: string): Promise<void> {
  await c.waitFor(
    async () => {
      const ready = new Set((await readyPods(c)).map((p) => p.metadata.name));
      const all = live(await c.list(PodType));
      return names.every((n) => ready.has(n)) && all.length === names.length;
    },
    { timeout: '5m', description },
  );
}

async function zoneOf(c: TestCluster, nodeName: string): Promise<string | undefined> {
  return (await c.get(Node, nodeName)).metadata.labels?.[ZONE];
}

async function filesOf(c: TestCluster, pod: string): Promise<{ owner: string; starts: number }> {
  const files = await c.files(pod);
  return { owner: files.read('/data/owner'), starts: files.read('/data/starts').split('\n').filter(Boolean).length };
}

describe('a StatefulSet with claims, end to end', () => {
  it('keeps each ordinal’s data across deletion, rescheduling and scaling, and binds claims in the pod’s zone', async () => {
    const c = await cluster({ nodes: NODES, seed: 11, images: { 'db:1': DB, 'db:2': DB } });
    const added: string[] = [];
    const watch = c.store.watch(PodType).subscribe((e) => {
      if (e.type === 'ADDED') added.push(e.object.metadata.name);
    });
    await c.apply([SERVICE, statefulSet('db:1', 3)]);
    await waitReady(c, ['db-0', 'db-1', 'db-2'], 'three ready ordinals');
    expect(added).toEqual(['db-0', 'db-1', 'db-2']);

    // WaitForFirstConsumer: each claim was provisioned in the zone of the node its pod landed on.
    for (const pod of await readyPods(c)) {
      const claim = await c.get(PersistentVolumeClaim, `data-${pod.metadata.name}`, 'default');
      expect(claim.status?.phase).toBe('Bound');
      const pv = await c.get(PersistentVolume, claim.spec.volumeName as string);
      const terms = pv.spec.nodeAffinity?.required?.nodeSelectorTerms ?? [];
      const zones = terms
        .flatMap((t) => (t.matchExpressions ?? []).filter((e) => e.key === ZONE))
        .flatMap((e) => e.values ?? []);
      expect(zones).toEqual([await zoneOf(c, pod.spec.nodeName as string)]);
      expect(await filesOf(c, pod.metadata.name)).toEqual({ owner: pod.metadata.name, starts: 1 });
    }

    // Delete db-1 with its node cordoned: the new db-1 lands on the other node of the zone, on the same disk.
    const old = await c.get(PodType, 'db-1', 'default');
    const oldNode = old.spec.nodeName as string;
    await c.store.patch(Node, oldNode, (draft) => {
      draft.spec.unschedulable = true;
      return draft;
    });
    await c.delete(PodType, 'db-1', { namespace: 'default' });
    await c.waitFor(
      async () => {
        const pod = live(await c.list(PodType)).find((p) => p.metadata.name === 'db-1');
        return pod !== undefined && pod.metadata.uid !== old.metadata.uid && isReady(pod);
      },
      { timeout: '5m', description: 'a new db-1 ready' },
    );
    const again = await c.get(PodType, 'db-1', 'default');
    expect(again.spec.nodeName).not.toBe(oldNode);
    expect(await zoneOf(c, again.spec.nodeName as string)).toBe(await zoneOf(c, oldNode));
    expect(await filesOf(c, 'db-1')).toEqual({ owner: 'db-1', starts: 2 });

    // Scale down to 1 and back to 3: the claims stay and the pods find their data again.
    await c.apply(statefulSet('db:1', 1));
    await waitReady(c, ['db-0'], 'scaled down to db-0');
    const claims = (await c.list(PersistentVolumeClaim)).map((p) => p.metadata.name).sort();
    expect(claims).toEqual(['data-db-0', 'data-db-1', 'data-db-2']);
    await c.apply(statefulSet('db:1', 3));
    await waitReady(c, ['db-0', 'db-1', 'db-2'], 'scaled back up');
    expect(await filesOf(c, 'db-1')).toEqual({ owner: 'db-1', starts: 3 });
    expect(await filesOf(c, 'db-2')).toEqual({ owner: 'db-2', starts: 2 });
    watch.unsubscribe();
  });

  it('rolls an update out in reverse ordinal order and stops at the partition', async () => {
    const c = await cluster({ nodes: NODES, seed: 12, images: { 'db:1': DB, 'db:2': DB } });
    await c.apply([SERVICE, statefulSet('db:1', 3)]);
    await waitReady(c, ['db-0', 'db-1', 'db-2'], 'three ready ordinals');
    const deleted: string[] = [];
    const watch = c.store.watch(PodType).subscribe((e) => {
      if (e.type === 'DELETED') deleted.push(e.object.metadata.name);
    });
    await c.apply(statefulSet('db:2', 3, 1));
    await c.waitFor(
      async () => {
        const set = await c.get(StatefulSet, 'db', 'default');
        return set.status?.updatedReplicas === 2 && set.status?.readyReplicas === 3;
      },
      { timeout: '5m', description: 'two ordinals updated' },
    );
    await c.settle();
    watch.unsubscribe();
    expect(deleted).toEqual(['db-2', 'db-1']);
    const images = Object.fromEntries(
      live(await c.list(PodType)).map((p) => [p.metadata.name, p.spec.containers[0]?.image]),
    );
    expect(images).toEqual({ 'db-0': 'db:1', 'db-1': 'db:2', 'db-2': 'db:2' });
    const set = await c.get(StatefulSet, 'db', 'default');
    expect(set.status?.currentRevision).not.toBe(set.status?.updateRevision);
    expect(await filesOf(c, 'db-2')).toEqual({ owner: 'db-2', starts: 2 });
  });
});
