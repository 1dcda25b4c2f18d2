/**
 * The GPU policy at work: first as a pure function (`schedulePod`,
 * `createClusterSnapshot`), next to Kubernetes' default profile; then the
 * same profile running in `createScheduler` against a store.
 */
import { Event, getCondition, Pod } from '@keelson/api';
import { createClusterSnapshot, type ScheduleResult, type SchedulerProfile, schedulePod } from '@keelson/scheduler';
import { inference, nodes, pod, startCluster, training, web } from './cluster';
import { gpuProfile, registry } from './policy';

const profiles: Array<[string, SchedulerProfile]> = [
  ['default profile', {}],
  ['GPU profile', gpuProfile],
];

function show(label: string, result: ScheduleResult): void {
  console.log(`  ${label.padEnd(16)}→ ${result.nodeName ?? 'unschedulable'}`);
  for (const [node, reasons] of Object.entries(result.rejected)) {
    console.log(`      rejected ${node.padEnd(6)} ${reasons.join(', ')}`);
  }
  const ranked = Object.entries(result.scores).sort(([, a], [, b]) => b.total - a.total);
  for (const [node, { total, plugins }] of ranked) {
    const parts = Object.entries(plugins).map(([plugin, score]) => `${plugin} ${score}`);
    console.log(`      score    ${node.padEnd(6)} ${String(total).padStart(4)} = ${parts.join(' + ')}`);
  }
  if (result.message) console.log(`      ${result.message}`);
}

console.log('1. An inference pod (1 GPU); gpu-1 already runs a 2-GPU model server');
const running = [pod('llm', { cpu: '4', memory: '16Gi', gpus: 2, nodeName: 'gpu-1' })];
for (const [label, profile] of profiles) {
  show(label, schedulePod(inference('infer'), nodes, { pods: running, profile, registry }));
}

console.log('\n2. A web pod (no GPU): the big GPU nodes look the emptiest');
for (const [label, profile] of profiles) {
  show(label, schedulePod(web('web'), nodes, { pods: running, profile, registry }));
}

console.log('\n3. Four inference pods one after another, then a 4-GPU training job');
for (const [label, profile] of profiles) {
  const snapshot = createClusterSnapshot(nodes, [], { registry, seed: 1 });
  const placed = [0, 1, 2, 3].map((i) => snapshot.schedule(inference(`infer-${i}`), { profile, assume: true }));
  console.log(`  ${label.padEnd(16)}inference on ${placed.map((r) => r.nodeName).join(', ')}`);
  const job = snapshot.schedule(training('train'), { profile });
  console.log(`  ${''.padEnd(16)}training → ${job.nodeName ?? `unschedulable: ${job.message}`}`);
}

console.log('\n4. The GPU profile in createScheduler, on a store on virtual time');
const { store, scheduler, settle } = await startCluster();
const pods = [
  ...[0, 1, 2, 3].map((i) => inference(`infer-${i}`)),
  training('train'),
  web('web-0'),
  web('web-1'),
  pod('gpu-exporter', {
    cpu: '100m',
    memory: '64Mi',
    namespace: 'monitoring',
    nodeSelector: { 'kubernetes.io/hostname': 'gpu-1' },
  }),
  pod('batch', { cpu: '20', memory: '8Gi' }), // larger than a CPU node, and GPU nodes are reserved
];
for (const manifest of pods) await store.create(Pod, manifest);
await settle();
for (const p of (await store.list(Pod)).items) {
  const key = `${p.metadata.namespace}/${p.metadata.name}`.padEnd(24);
  const condition = getCondition(p.status?.conditions, 'PodScheduled');
  console.log(`  ${key} ${p.spec.nodeName ?? `pending (PodScheduled=${condition?.status}: ${condition?.message})`}`);
}
const failed = (await store.list(Event)).items.filter((e) => e.reason === 'FailedScheduling');
console.log(`  events: ${failed.length} FailedScheduling; stats ${JSON.stringify(scheduler.stats)}`);
await scheduler.stop();
