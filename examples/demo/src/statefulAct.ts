/**
 * The story's stateful act: a StatefulSet of three database pods, each with
 * its own claim from a volumeClaimTemplate. The mock provisioner creates each
 * volume in the zone of the node its pod was scheduled to; a deleted pod comes
 * back with the same name and finds its data; scaling down keeps the claims,
 * and scaling up again finds the data where it was left.
 */
import { getCondition, Node, PersistentVolume, PersistentVolumeClaim, Pod, StatefulSet } from '@keelson/api';
import type { ImageOptions } from '@keelson/runtime-mock';
import type { TestCluster } from '@keelson/testing';

/** The image of the act's database: it writes its pod name once and a line on every start. */
export const DB_IMAGE = 'registry.example.com/db:1.0';

/** How {@link DB_IMAGE} behaves on the mock runtime. */
export const DB_IMAGE_OPTIONS: ImageOptions = {
  pullMs: 1_000,
  behaviour: {
    startupMs: 2_000,
    files: [
      {
        path: '/data/owner',
        content: ({ fs }) => (fs.exists('/data/owner') ? fs.read('/data/owner') : fs.read('/etc/podinfo/name')),
      },
      { path: '/data/starts', content: 'start\n', append: true },
    ],
  },
};

const ZONE = 'topology.kubernetes.io/zone';

const manifests = (replicas: number) => `
apiVersion: v1
kind: Service
metadata: { name: db }
spec: { clusterIP: None, selector: { app: db }, ports: [{ port: 5432 }] }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  replicas: ${replicas}
  serviceName: db
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      containers:
        - name: db
          image: ${DB_IMAGE}
          ports: [{ name: pg, containerPort: 5432 }]
          readinessProbe: { tcpSocket: { port: pg }, periodSeconds: 2 }
          volumeMounts: [{ name: data, mountPath: /data }, { name: podinfo, mountPath: /etc/podinfo }]
      volumes:
        - name: podinfo
          downwardAPI: { items: [{ path: name, fieldRef: { fieldPath: metadata.name } }] }
  volumeClaimTemplates:
    - metadata: { name: data }
      spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
`;

/** One database pod as the act saw it. */
export interface DbPod {
  name: string;
  node: string;
  /** The zone of the pod's node. */
  zone: string;
  /** The zone its volume was provisioned in. */
  volumeZone: string;
  /** What the pod found in its claim: the name it first wrote, and how many starts it counted. */
  owner: string;
  starts: number;
}

/** What the act saw. */
export interface StatefulResult {
  /** The order in which the pods became ready (OrderedReady: 0, 1, 2). */
  readyOrder: string[];
  placed: DbPod[];
  /** db-1 after it was deleted and came back. */
  recreated: DbPod;
  /** The pods the scale-down to one deleted, in order. */
  scaleDownOrder: string[];
  /** The claims left after scaling down to one pod. */
  claimsAfterScaleDown: string[];
  /** Every pod after scaling back up to three. */
  rescaled: DbPod[];
}

const isReady = (p: Pod) =>
  p.metadata.deletionTimestamp === undefined && getCondition(p.status?.conditions, 'Ready')?.status === 'True';

async function dbPods(cluster: TestCluster): Promise<Pod[]> {
  const pods = await cluster.list(Pod, { namespace: 'default', labelSelector: 'app=db' });
  return pods.filter(isReady).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

async function describePod(cluster: TestCluster, pod: Pod): Promise<DbPod> {
  const node = pod.spec.nodeName ?? '';
  const zone = (await cluster.get(Node, node)).metadata.labels?.[ZONE] ?? '';
  const claim = await cluster.get(PersistentVolumeClaim, `data-${pod.metadata.name}`, 'default');
  const volume = await cluster.get(PersistentVolume, claim.spec.volumeName ?? '');
  const volumeZone =
    volume.spec.nodeAffinity?.required?.nodeSelectorTerms
      .flatMap((term) => term.matchExpressions ?? [])
      .find((e) => e.key === ZONE)?.values?.[0] ?? '';
  const files = await cluster.files(pod.metadata.name);
  const starts = files.read('/data/starts').split('\n').filter(Boolean).length;
  return { name: pod.metadata.name, node, zone, volumeZone, owner: files.read('/data/owner'), starts };
}

async function waitForReady(cluster: TestCluster, count: number, description: string, seen?: string[]) {
  await cluster.waitFor(
    async () => {
      const ready = await dbPods(cluster);
      for (const p of ready) if (seen && !seen.includes(p.metadata.name)) seen.push(p.metadata.name);
      const all = await cluster.list(Pod, { namespace: 'default', labelSelector: 'app=db' });
      return ready.length === count && all.length === count;
    },
    { timeout: '5m', description },
  );
}

const line = (p: DbPod) =>
  `${p.name} on ${p.node} (${p.zone}), volume in ${p.volumeZone}: its data says owner ${p.owner}, ${p.starts} start${p.starts === 1 ? '' : 's'}`;

/** Runs the act on `cluster`, telling it through `say`. */
export async function statefulAct(cluster: TestCluster, say: (text: string) => void): Promise<StatefulResult> {
  await cluster.apply(manifests(3));
  say('applied statefulset db (3 replicas, a 1Gi claim each, storage class "standard": WaitForFirstConsumer)');
  const readyOrder: string[] = [];
  await waitForReady(cluster, 3, 'three ready database pods', readyOrder);
  say(`pods became ready one by one, in ordinal order: ${readyOrder.join(', ')}`);
  const placed = await Promise.all((await dbPods(cluster)).map((p) => describePod(cluster, p)));
  for (const p of placed) say(`  ${line(p)}`);

  const old = await cluster.get(Pod, 'db-1', 'default');
  await cluster.delete(Pod, 'db-1', { namespace: 'default' });
  say('deleted pod db-1');
  await cluster.waitFor(
    async () => {
      const pod = (await dbPods(cluster)).find((p) => p.metadata.name === 'db-1');
      return pod !== undefined && pod.metadata.uid !== old.metadata.uid;
    },
    { timeout: '5m', description: 'a new db-1' },
  );
  const recreated = await describePod(cluster, await cluster.get(Pod, 'db-1', 'default'));
  say(`a new db-1 (same name, same claim) is ready: ${line(recreated)}`);

  const scaleDownOrder: string[] = [];
  const deletions = cluster.store.watch(Pod, { namespace: 'default' }).subscribe((event) => {
    if (event.type === 'DELETED') scaleDownOrder.push(event.object.metadata.name);
  });
  await cluster.apply(manifests(1));
  await waitForReady(cluster, 1, 'the set scaled down to db-0');
  deletions.unsubscribe();
  const claimsAfterScaleDown = (await cluster.list(PersistentVolumeClaim, { namespace: 'default' }))
    .map((c) => c.metadata.name)
    .filter((name) => name.startsWith('data-db-'))
    .sort();
  say(`scaled down to 1: ${scaleDownOrder.join(' then ')} went; the claims stay: ${claimsAfterScaleDown.join(', ')}`);
  await cluster.apply(manifests(3));
  await waitForReady(cluster, 3, 'the set scaled back up to 3');
  const rescaled = await Promise.all((await dbPods(cluster)).map((p) => describePod(cluster, p)));
  say('scaled back up to 3: each pod found its own data');
  for (const p of rescaled) say(`  ${line(p)}`);
  const set = await cluster.get(StatefulSet, 'db', 'default');
  say(
    `statefulset db: ${set.status?.readyReplicas ?? 0}/${set.spec.replicas} ready, revision ${set.status?.currentRevision}`,
  );
  return { readyOrder, placed, recreated, scaleDownOrder, claimsAfterScaleDown, rescaled };
}
