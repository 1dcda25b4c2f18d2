/**
 * The demo: a four-node cluster on mock runtimes, told as a story. A
 * Deployment of six pods serves behind a Service; a load balancer spreads
 * requests over the ready ones; a new version rolls out; a node dies and its
 * pods come back elsewhere; a broken release stalls, is caught by its
 * progress deadline and rolled back; a load spike on another Service is
 * autoscaled out and back in; a StatefulSet's pods keep their data in
 * claims provisioned in their zones. Everything runs on virtual time and
 * lands in a file log that can be replayed.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Deployment, getCondition, Node, Pod } from '@keelson/api';
import { type Clock, createRandom, systemClock, VirtualClock } from '@keelson/clock';
import { openFileLog } from '@keelson/eventlog';
import { createTestCluster, replayLog, TEST_CLUSTER_START, type TestCluster } from '@keelson/testing';
import { createLoadBalancer, rollback, rolloutStatus } from '@keelson/workloads';
import { type AutoscalingResult, autoscalingAct } from './autoscalingAct';
import type { Display } from './display';
import { createDemoLogger, type LogLevel } from './logging';
import { DB_IMAGE, DB_IMAGE_OPTIONS, type StatefulResult, statefulAct } from './statefulAct';

const WEB = (image: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 6
  progressDeadlineSeconds: 120
  selector: { matchLabels: { app: web } }
  strategy: { rollingUpdate: { maxSurge: 25%, maxUnavailable: 25% } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: app
          image: ${image}
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { httpGet: { path: /ready, port: http }, periodSeconds: 2 }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: http }]
`;

/** What the story saw, for its test. */
export interface StoryResult {
  spreadOverNodes: number;
  requestsPerPod: Record<string, number>;
  rollout: { minReady: number; maxPods: number; finalImage: string };
  failedNode: string;
  replacedOn: string[];
  /** Requests picked after the failed node turned Unknown, and how many went to it. */
  routedDuringFailure: { total: number; toFailedNode: number };
  badRelease: { reason: string | undefined; rolledBackTo: string };
  autoscaling: AutoscalingResult;
  stateful: StatefulResult;
  logEntries: number;
  virtualSeconds: number;
  replayedPods: number;
  logDir: string;
}

const live = (pods: Pod[]) => pods.filter((p) => !p.metadata.deletionTimestamp);
const isReady = (p: Pod) => getCondition(p.status?.conditions, 'Ready')?.status === 'True';

async function table(cluster: TestCluster, display: Display, title: string): Promise<void> {
  const nodes = await cluster.list(Node);
  const pods = await cluster.list(Pod);
  const rows = nodes.map((node) => {
    const ready = getCondition(node.status?.conditions, 'Ready')?.status === 'True';
    const here = pods
      .filter((p) => p.spec.nodeName === node.metadata.name)
      .map((p) => `${p.metadata.name.split('-').at(-1)}${p.metadata.deletionTimestamp ? '✗' : isReady(p) ? '●' : '○'}`);
    return `  ${node.metadata.name.padEnd(7)} ${ready ? 'Ready   ' : 'NotReady'} ${here.join(' ')}`;
  });
  display.status({ title, rows });
}

/** Options of {@link runStory}. */
export interface StoryOptions {
  /** Run on the wall clock instead of virtual time. */
  realtime?: boolean;
  /** Log the cluster's components at this level (default: no log); see `logging.ts`. */
  logLevel?: LogLevel;
  /** Where log lines go (default: stderr). */
  writeLog?: (line: string) => void;
}

/** Runs the story; `realtime` runs it on the wall clock instead of virtual time. */
export async function runStory(display: Display, options: StoryOptions = {}): Promise<StoryResult> {
  const wallStart = performance.now();
  const clock: Clock = options.realtime ? systemClock : new VirtualClock(TEST_CLUSTER_START);
  const t0 = clock.now();
  const at = () => `[t+${String(Math.round((clock.now() - t0) / 1000)).padStart(4)}s]`;
  const say = (text: string) => display.line(`${at()} ${text}`);
  const logDir = await mkdtemp(join(tmpdir(), 'keelson-demo-'));
  const log = await openFileLog(logDir, { fsync: 'batch', clock });
  const cluster = await createTestCluster({
    nodes: [1, 2, 3, 4].map((i) => ({ name: `node-${i}`, zone: i <= 2 ? 'zone-a' : 'zone-b' })),
    seed: 42,
    clock,
    log,
    ...(options.logLevel && { logger: createDemoLogger(options.logLevel, clock, options.writeLog) }),
    images: {
      'registry.example.com/web:1.0': { pullMs: 1_500, behaviour: { startupMs: 3_000 } },
      'registry.example.com/web:1.1': { pullMs: 1_500, behaviour: { startupMs: 3_000 } },
      'registry.example.com/web:1.2-broken': { behaviour: { startupMs: 5_000, exitAfterMs: 1_000, exitCode: 1 } },
      [DB_IMAGE]: DB_IMAGE_OPTIONS,
    },
  });
  const watchTable = (title: string) => table(cluster, display, title);
  try {
    display.line(
      '== A cluster of 4 mock nodes: the scheduler, node agents, node lifecycle and every workload controller',
    );
    say(`nodes: ${cluster.nodes.join(', ')} (zones a and b), a file log in ${logDir}`);

    display.line('\n== 1. A Deployment of 6 behind a Service, ready when its readiness probe passes');
    await cluster.apply(WEB('registry.example.com/web:1.0'));
    say('applied deployment web (6 replicas, web:1.0) and service web');
    await cluster.waitFor(
      async (c) => {
        await watchTable('nodes and pods (● ready, ○ starting, ✗ terminating)');
        return live(await c.list(Pod)).filter(isReady).length === 6;
      },
      { timeout: '2m', description: '6 ready pods' },
    );
    const pods = live(await cluster.list(Pod));
    const spreadOverNodes = new Set(pods.map((p) => p.spec.nodeName)).size;
    say(`6/6 pods ready, spread over ${spreadOverNodes} nodes by the scheduler's topology spreading`);

    display.line('\n== 2. A load balancer follows the EndpointSlices and spreads requests over the ready pods');
    const lb = createLoadBalancer(cluster.store, { service: 'web', random: createRandom(42, 'demo-lb') });
    await lb.waitForEndpoints({ timeoutMs: 5_000 });
    const requestsPerPod: Record<string, number> = {};
    for (let i = 0; i < 600; i++) {
      const target = lb.pick();
      if (target?.pod) requestsPerPod[target.pod] = (requestsPerPod[target.pod] ?? 0) + 1;
    }
    for (const [pod, count] of Object.entries(requestsPerPod).sort()) say(`  ${pod}: ${count} requests`);

    display.line('\n== 3. Rolling update to web:1.1 (maxSurge 25% → 2 extra, maxUnavailable 25% → 1 down at most)');
    await cluster.apply(WEB('registry.example.com/web:1.1'));
    let minReady = 6;
    let maxPods = 0;
    let lastMessage = '';
    await cluster.waitFor(
      async (c) => {
        const now = live(await c.list(Pod));
        minReady = Math.min(minReady, now.filter(isReady).length);
        maxPods = Math.max(maxPods, now.length);
        const status = await rolloutStatus(c.store, { name: 'web' });
        if (status.message !== lastMessage) {
          lastMessage = status.message;
          say(lastMessage);
        }
        await watchTable('rolling update to web:1.1');
        return status.done;
      },
      { timeout: '5m', description: 'the rollout to web:1.1' },
    );
    say(`never fewer than ${minReady} ready pods, never more than ${maxPods} pods (6 − 1 and 6 + 2 allowed)`);

    display.line('\n== 4. A node dies: heartbeats stop, the node turns Unknown, its pods are evicted after 300 s');
    const failedNode = pods[0]?.spec.nodeName ?? 'node-1';
    const before = new Set(live(await cluster.list(Pod)).map((p) => p.metadata.name));
    await cluster.faults.stopNode(failedNode);
    say(`${failedNode}'s agent stopped`);
    await cluster.waitFor(
      async (c) => getCondition((await c.get(Node, failedNode)).status?.conditions, 'Ready')?.status === 'Unknown',
      { timeout: '2m' },
    );
    say(`${failedNode} is Unknown after the 50 s grace period; tainted unreachable:NoExecute`);
    say(`its pods are marked not ready and leave the rotation; requests go on to the other nodes`);
    const routed = { total: 0, toFailedNode: 0 };
    await cluster.waitFor(
      async (c) => {
        await watchTable(`${failedNode} lost`);
        for (let i = 0; i < 20; i++) {
          const target = lb.pick();
          if (!target) continue;
          routed.total++;
          if (target.node === failedNode) routed.toFailedNode++;
        }
        const now = live(await c.list(Pod));
        return now.filter((p) => isReady(p) && p.spec.nodeName !== failedNode).length === 6;
      },
      { timeout: '10m', description: '6 ready pods off the failed node' },
    );
    const replacements = live(await cluster.list(Pod)).filter((p) => !before.has(p.metadata.name));
    const replacedOn = [...new Set(replacements.map((p) => p.spec.nodeName ?? ''))].sort();
    const plural = replacements.length === 1 ? 'pod' : 'pods';
    say(`${replacements.length} replacement ${plural} ready on ${replacedOn.join(', ')}; 6/6 serving again`);
    say(`${routed.total} requests while ${failedNode} was down, ${routed.toFailedNode} of them routed to it`);

    display.line('\n== 5. A broken release (web:1.2-broken crashes on start) stalls and is rolled back');
    await cluster.apply(WEB('registry.example.com/web:1.2-broken'));
    say('applied web:1.2-broken; its pods crash-loop, the old ones keep serving');
    let reason: string | undefined;
    await cluster.waitFor(
      async (c) => {
        const d = await c.get(Deployment, 'web', 'default');
        reason = getCondition(d.status?.conditions, 'Progressing')?.reason;
        await watchTable('web:1.2-broken rolling out');
        return reason === 'ProgressDeadlineExceeded';
      },
      { timeout: '10m', description: 'ProgressDeadlineExceeded' },
    );
    say(`Progressing=False reason ${reason}: ${(await rolloutStatus(cluster.store, { name: 'web' })).message}`);
    const back = await rollback(cluster.store, { name: 'web' });
    say(`rollback: ${back.message}`);
    await cluster.waitFor(async (c) => (await rolloutStatus(c.store, { name: 'web' })).done, { timeout: '5m' });
    const rolledBackTo =
      (await cluster.get(Deployment, 'web', 'default')).spec.template.spec.containers[0]?.image ?? '';
    say(`rolled back to ${rolledBackTo}; ${live(await cluster.list(Pod)).filter(isReady).length}/6 ready`);
    await watchTable('after the rollback');
    lb.close();

    display.line('\n== 6. A load spike: the autoscaler scales out as Kubernetes computes, then back in');
    const autoscaling = await autoscalingAct(cluster, say);

    display.line("\n== 7. A database keeps its data: a StatefulSet with a claim per pod, in the pod's zone");
    const stateful = await statefulAct(cluster, say);

    display.line('\n== 8. The whole run is in the log');
    const head = await cluster.log.head();
    const virtualSeconds = Math.round((clock.now() - t0) / 1000);
    const view = await replayLog(cluster.log, { until: Math.floor(head / 2) });
    const replayedPods = (await view.list(Pod)).items.length;
    await view.close();
    say(`${head} log entries, ${virtualSeconds} s of cluster time in ${Math.round(performance.now() - wallStart)} ms`);
    say(`replayed to revision ${Math.floor(head / 2)}: ${replayedPods} pods existed then`);
    say(`the log stays in ${logDir}; replay it with:`);
    display.line(`    const log = await openFileLog('${logDir}');`);
    display.line('    const view = await replayLog(log, { until: <revision> }); // read-only store at that revision');
    display.end();
    return {
      spreadOverNodes,
      requestsPerPod,
      rollout: { minReady, maxPods, finalImage: 'registry.example.com/web:1.1' },
      failedNode,
      replacedOn,
      routedDuringFailure: routed,
      badRelease: { reason, rolledBackTo },
      autoscaling,
      stateful,
      logEntries: head,
      virtualSeconds,
      replayedPods,
      logDir,
    };
  } finally {
    await cluster.close();
    await log.close();
  }
}
