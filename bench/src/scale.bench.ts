/**
 * A whole simulated cluster at scale: `createTestCluster` on a `VirtualClock`
 * with N mock nodes (real node agents: leases, status, pod workers, probes)
 * and Deployments of 100 pods totalling M pods. The figure is the wall time
 * from the first Deployment's creation until every pod is Running and Ready;
 * beside it the peak heap and RSS, the log entries written, binds per second
 * and the virtual time simulated. A churn run then deletes 10% of the pods
 * and takes 5% of the nodes away, and times the cluster's way back to M
 * Ready pods. Every run records a digest of its log: two runs with the same
 * seed print the same digest.
 *
 * `pnpm --filter @keelson/bench run bench scale` runs the sizes in
 * {@link SCALE_SIZES}; `KEELSON_SCALE=500x10000,5000x100000` picks others;
 * `KEELSON_SCALE_ONCE=1` skips the churn run and the same-seed repeat.
 */
import { createHash } from 'node:crypto';
import { Deployment, getCondition, type Pod, Pod as PodType } from '@keelson/api';
import type { EventLog } from '@keelson/eventlog';
import { createTestCluster, type TestCluster } from '@keelson/testing';
import { progress, type Row } from './measure';

/** The (nodes, pods) sizes the targets name, smallest first. */
export const SCALE_SIZES: ReadonlyArray<readonly [number, number]> = [
  [500, 10_000],
  [5_000, 50_000],
  [5_000, 100_000],
];
const PODS_PER_DEPLOYMENT = 100;
const SEED = 1;

/** What one run to Running and Ready measured. */
interface ScaleRun {
  wallMs: number;
  /** CPU time (user + system) of this process over the run: steadier than wall on a shared machine. */
  cpuMs: number;
  virtualMs: number;
  entries: number;
  binds: number;
  peakHeap: number;
  peakRss: number;
  digest: string;
}

function deployment(index: number, replicas: number) {
  const name = `app-${index}`;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'registry.k8s.io/pause:3.10',
              resources: { requests: { cpu: '100m', memory: '100Mi' } },
              readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 10 },
            },
          ],
        },
      },
    },
  };
}

function isReady(pod: Pod): boolean {
  return (
    pod.metadata.deletionTimestamp === undefined &&
    pod.status?.phase === 'Running' &&
    getCondition(pod.status?.conditions, 'Ready')?.status === 'True'
  );
}

/** Counts Ready pods and binds from the store's watch, so that waiting costs no list. */
function track(cluster: TestCluster) {
  const ready = new Map<string, string>();
  const bound = new Set<string>();
  let binds = 0;
  const subscription = cluster.store.watch(PodType).subscribe((event) => {
    if (event.type === 'BOOKMARK') return;
    const pod = event.object;
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (event.type !== 'DELETED' && pod.spec.nodeName && !bound.has(key)) {
      bound.add(key);
      binds++;
    }
    if (event.type === 'DELETED') bound.delete(key);
    if (event.type !== 'DELETED' && isReady(pod)) ready.set(key, pod.spec.nodeName as string);
    else ready.delete(key);
  });
  return {
    ready: () => ready.size,
    /** Ready pods on nodes the cluster still has (a removed node's pods don't count). */
    readyOn: (nodes: readonly string[]) => {
      const present = new Set(nodes);
      let count = 0;
      for (const node of ready.values()) if (present.has(node)) count++;
      return count;
    },
    binds: () => binds,
    stop: () => subscription.unsubscribe(),
  };
}

async function digestOf(log: EventLog): Promise<{ digest: string; entries: number }> {
  const hash = createHash('sha256');
  let entries = 0;
  for await (const entry of log.read()) {
    hash.update(JSON.stringify(entry));
    entries++;
  }
  return { digest: hash.digest('hex').slice(0, 16), entries };
}

/** Runs virtual time in 1 s steps until `done`, printing progress every few wall seconds. */
async function runUntil(
  cluster: TestCluster,
  done: () => boolean,
  label: () => string,
  peaks: { heap: number; rss: number },
): Promise<void> {
  let lastPrint = performance.now();
  const limit = cluster.clock.now() + 3_600_000;
  while (!done()) {
    if (cluster.clock.now() > limit) throw new Error(`scale: not done after an hour of virtual time (${label()})`);
    await cluster.advance('1s');
    const memory = process.memoryUsage();
    peaks.heap = Math.max(peaks.heap, memory.heapUsed);
    peaks.rss = Math.max(peaks.rss, memory.rss);
    if (performance.now() - lastPrint > 5_000) {
      lastPrint = performance.now();
      progress(`  ${label()}, heap ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB`);
    }
  }
}

async function scaleRun(nodes: number, pods: number, churn: boolean): Promise<ScaleRun> {
  progress(
    `scale: ${nodes.toLocaleString('en-US')} nodes, ${pods.toLocaleString('en-US')} pods${churn ? ', churn' : ''}`,
  );
  const cluster = await createTestCluster({
    nodes: Array.from({ length: nodes }, () => ({ capacity: { cpu: '32', memory: '256Gi', pods: '110' } })),
    seed: SEED,
  });
  const peaks = { heap: 0, rss: 0 };
  const tracker = track(cluster);
  try {
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const virtualStart = cluster.clock.now();
    const deployments = Math.ceil(pods / PODS_PER_DEPLOYMENT);
    for (let i = 0; i < deployments; i++) {
      const replicas = Math.min(PODS_PER_DEPLOYMENT, pods - i * PODS_PER_DEPLOYMENT);
      await cluster.store.create(Deployment, deployment(i, replicas));
    }
    const status = () =>
      `${tracker.binds().toLocaleString('en-US')} bound, ${tracker.ready().toLocaleString('en-US')}/${pods.toLocaleString('en-US')} ready at ${((cluster.clock.now() - virtualStart) / 1000).toFixed(0)} s virtual, ${((performance.now() - started) / 1000).toFixed(1)} s wall`;
    await runUntil(cluster, () => tracker.ready() >= pods, status, peaks);
    if (churn) {
      const all = (await cluster.list(PodType)).filter(isReady);
      for (let i = 0; i < all.length; i += 10) {
        const pod = all[i] as Pod;
        await cluster.delete(PodType, pod.metadata.name, { namespace: pod.metadata.namespace as string });
      }
      const lost = cluster.nodes.filter((_, i) => i % 20 === 0);
      for (const name of lost) await cluster.removeNode(name);
      progress(`  churn: ${Math.ceil(all.length / 10)} pods deleted, ${lost.length} nodes removed`);
      await runUntil(cluster, () => tracker.readyOn(cluster.nodes) >= pods, status, peaks);
    }
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuStart);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const virtualMs = cluster.clock.now() - virtualStart;
    const { digest, entries } = await digestOf(cluster.log);
    progress(
      `  done in ${(wallMs / 1000).toFixed(1)} s wall, ${(cpuMs / 1000).toFixed(1)} s CPU; log digest ${digest}`,
    );
    return {
      wallMs,
      cpuMs,
      virtualMs,
      entries,
      binds: tracker.binds(),
      peakHeap: peaks.heap,
      peakRss: peaks.rss,
      digest,
    };
  } finally {
    tracker.stop();
    await cluster.close();
  }
}

function sizes(): Array<readonly [number, number]> {
  const chosen = process.env.KEELSON_SCALE;
  if (!chosen) return [...SCALE_SIZES];
  return chosen.split(',').map((size) => {
    const [nodes, pods] = size.split('x').map(Number);
    if (!Number.isInteger(nodes) || !Number.isInteger(pods) || (nodes as number) < 1 || (pods as number) < 1) {
      throw new Error(`KEELSON_SCALE: "${size}" is not <nodes>x<pods>, e.g. 500x10000`);
    }
    return [nodes as number, pods as number] as const;
  });
}

/** kwok's CI: 10,000 pods to Running in 60 s with a real API server. */
const KWOK_PODS_PER_SECOND = 10_000 / 60;
/** kube-scheduler's CI floor at 5,000 nodes (scheduler_perf SchedulingBasic), pods/s. */
const KUBE_SCHEDULER_FLOOR = 680;
/** DESIGN.md §14: 5,000 nodes / 100,000 pods Running and Ready in ≤ 60 s wall, ≤ 4 GiB heap. */
const TARGET_WALL_S = 60;
const TARGET_HEAP_MIB = 4096;

function rows(nodes: number, pods: number, run: ScaleRun, label: string): Row[] {
  const size = `${nodes.toLocaleString('en-US')} nodes, ${pods.toLocaleString('en-US')} pods${label}`;
  const seconds = run.wallMs / 1000;
  const facts = [
    `${(run.cpuMs / 1000).toFixed(1)} s CPU`,
    `${(run.virtualMs / 1000).toFixed(0)} s virtual`,
    `${run.entries.toLocaleString('en-US')} log entries (${(run.entries / seconds).toFixed(0)}/s)`,
    `RSS ${(run.peakRss / 2 ** 20).toFixed(0)} MiB`,
    `digest ${run.digest}`,
  ].join(', ');
  return [
    {
      name: 'cluster to Running and Ready',
      input: `${size}: ${facts}`,
      value: seconds,
      unit: 's wall',
      baselineName: 'target at 5,000 / 100,000',
      baselineValue: TARGET_WALL_S,
    },
    {
      name: 'pods Running and Ready per second',
      input: size,
      value: pods / seconds,
      unit: 'pods/s',
      baselineName: "kwok's CI (10,000 pods in 60 s)",
      baselineValue: KWOK_PODS_PER_SECOND,
    },
    {
      name: 'binds per second',
      input: size,
      value: run.binds / seconds,
      unit: 'pods/s',
      baselineName: "kube-scheduler's CI floor, 5,000 nodes",
      baselineValue: KUBE_SCHEDULER_FLOOR,
    },
    {
      name: 'peak heap',
      input: size,
      value: run.peakHeap / 2 ** 20,
      unit: 'MiB',
      baselineName: 'target',
      baselineValue: TARGET_HEAP_MIB,
    },
  ];
}

/** The `scale` suite: each size once, then the churn run at the largest, then a repeat of the smallest for determinism. */
export async function scaleBenchmarks(): Promise<Row[]> {
  const out: Row[] = [];
  const chosen = sizes();
  for (const [nodes, pods] of chosen) out.push(...rows(nodes, pods, await scaleRun(nodes, pods, false), ''));
  if (process.env.KEELSON_SCALE_ONCE === '1') return out;
  const largest = chosen[chosen.length - 1] as readonly [number, number];
  out.push(...rows(largest[0], largest[1], await scaleRun(largest[0], largest[1], true), ', churn'));
  const [first] = chosen as [readonly [number, number]];
  const again = await scaleRun(first[0], first[1], false);
  out.push(...rows(first[0], first[1], again, ', same seed again'));
  return out;
}
