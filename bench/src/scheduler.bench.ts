/**
 * Scheduling throughput, as scheduler_perf's SchedulingBasic: nodes with
 * 4 cpu / 32Gi / 110 pods, pods with one container requesting 100m / 500Mi,
 * scheduled by `createScheduler` on a memory-log store with binds (and the
 * `Scheduled` events) included, on one core. Pods are created before the
 * scheduler starts; the time runs from `start()` (informers listing the
 * nodes and pods included) until every bind landed. Each figure is the
 * median of three runs after a warm-up.
 */
import { bindPod, builtinAdmission, builtinTypes, ensureSystemNamespaces, Node, Pod } from '@keelson/api';
import { createRandom, VirtualClock } from '@keelson/clock';
import { createStore, type Store } from '@keelson/core';
import { createScheduler } from '@keelson/scheduler';
import { median, progress, type Row, type Timing, time } from './measure';

/** kube-scheduler's published CI floor for 5,000 nodes / 10,000 pods (SchedulingBasic), pods/s. */
const KUBE_SCHEDULER_CI_FLOOR_5000_NODES = 680;

async function clusterWith(nodes: number, pods: number): Promise<Store> {
  const store = await createStore({
    types: builtinTypes,
    admission: builtinAdmission(),
    clock: new VirtualClock(Date.UTC(2026, 0, 1)),
    random: createRandom(1, 'bench-scheduler'),
    logger: { warn: () => undefined },
  });
  await ensureSystemNamespaces(store);
  for (let i = 0; i < nodes; i++) {
    await store.create(Node, {
      metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}` } },
      spec: {},
      status: { capacity: { cpu: '4', memory: '32Gi', pods: '110' } },
    });
  }
  for (let i = 0; i < pods; i++) {
    await store.create(Pod, {
      metadata: { name: `pod-${i}`, namespace: 'default' },
      spec: {
        containers: [
          {
            name: 'pause',
            image: 'registry.k8s.io/pause:3.10',
            resources: { requests: { cpu: '100m', memory: '500Mi' } },
          },
        ],
      },
    });
  }
  return store;
}

async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}

/** Schedules `pods` pods onto `nodes` nodes; times start → all bound. */
async function schedule(nodes: number, pods: number): Promise<Timing> {
  const store = await clusterWith(nodes, pods);
  const scheduler = createScheduler({ store, random: createRandom(1, 'bench'), onError: (e) => console.error(e) });
  const timing = await time(pods, async () => {
    await scheduler.start();
    await until(() => scheduler.stats.scheduled >= pods);
  });
  await scheduler.stop();
  return timing;
}

/** The same binds with no scheduling: each pod bound round-robin, `bindPod` back to back. */
async function bareBinds(nodes: number, pods: number): Promise<Timing> {
  const store = await clusterWith(nodes, pods);
  return time(pods, async () => {
    await Promise.all(
      Array.from({ length: pods }, (_, i) =>
        bindPod(store, { metadata: { name: `pod-${i}`, namespace: 'default' } }, `node-${i % nodes}`),
      ),
    );
  });
}

const rate = (t: Timing) => t.count / (t.ms / 1000);

export async function schedulerBenchmarks(): Promise<Row[]> {
  const rows: Row[] = [];
  const PODS = 10_000;
  progress('scheduler: warm-up');
  await schedule(500, 2_000);
  for (const nodes of [500, 5_000, 15_000]) {
    progress(`scheduler: ${PODS.toLocaleString('en-US')} pods onto ${nodes.toLocaleString('en-US')} nodes`);
    const scheduled = await median(() => schedule(nodes, PODS));
    const binds = await median(() => bareBinds(nodes, PODS));
    rows.push({
      name: `scheduling (SchedulingBasic), ${nodes.toLocaleString('en-US')} nodes`,
      input: `${PODS.toLocaleString('en-US')} pods, binds included`,
      value: rate(scheduled),
      unit: 'pods/s',
      baselineName: 'bindPod alone, same pods (no scheduling)',
      baselineValue: rate(binds),
    });
    if (nodes === 5_000) {
      rows.push({
        name: 'scheduling (SchedulingBasic), 5,000 nodes',
        input: `${PODS.toLocaleString('en-US')} pods, binds included`,
        value: rate(scheduled),
        unit: 'pods/s',
        baselineName: "kube-scheduler's CI floor (published)",
        baselineValue: KUBE_SCHEDULER_CI_FLOOR_5000_NODES,
      });
    }
  }
  return rows;
}
