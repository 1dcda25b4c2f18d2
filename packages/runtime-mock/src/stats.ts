import type { ContainerStats, PodSandboxStats } from '@keelson/cri';
import { cpuUsageCoreNanos, valueAt } from './behaviour';
import { type ContainerRecord, copy, elapsedMs, nowNanos, type RuntimeContext, type SandboxRecord } from './context';
import { servedCpuCoreNanos, servedNow } from './servedLoad';

const WRITABLE_LAYER_MOUNTPOINT = '/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs';

/** Resource use of a container now: its image's scripted `cpuNanoCores` and `memoryBytes`, plus the CPU of the load it serves. */
export function containerStatsOf(ctx: RuntimeContext, record: ContainerRecord): ContainerStats {
  const timestamp = nowNanos(ctx.clock);
  const running = record.state === 'CONTAINER_RUNNING';
  const elapsed = elapsedMs(ctx, record);
  const { cpuNanoCores, memoryBytes } = record.behaviour;
  const memory = running ? Math.max(0, Math.round(valueAt(memoryBytes, elapsed))) : 0;
  const limit = record.resources?.memoryLimitInBytes ?? 0;
  return {
    attributes: {
      id: record.id,
      metadata: copy(record.metadata),
      labels: { ...record.config.labels },
      annotations: { ...record.config.annotations },
    },
    cpu: {
      timestamp,
      usageCoreNanoSeconds: running ? containerCpuCoreNanos(ctx, record) : record.cpuAtExit,
      usageNanoCores: running
        ? Math.max(0, Math.round(valueAt(cpuNanoCores, elapsed) + servedNow(ctx, record).nanoCores))
        : 0,
    },
    memory: {
      timestamp,
      workingSetBytes: memory,
      usageBytes: memory,
      rssBytes: memory,
      pageFaults: 0,
      majorPageFaults: 0,
      ...(limit > 0 ? { availableBytes: Math.max(0, limit - memory) } : {}),
    },
    writableLayer: { timestamp, fsId: { mountpoint: WRITABLE_LAYER_MOUNTPOINT }, usedBytes: 0, inodesUsed: 0 },
  };
}

/** CPU time a running container has used so far: scripted and served. */
export function containerCpuCoreNanos(ctx: RuntimeContext, record: ContainerRecord): bigint {
  const scripted = cpuUsageCoreNanos(record.behaviour.cpuNanoCores, elapsedMs(ctx, record), record.cpu);
  return scripted + BigInt(Math.round(servedCpuCoreNanos(ctx, record, ctx.clock.now())));
}

/** Resource use of a sandbox: the sum of its containers', each listed too. */
export function sandboxStatsOf(ctx: RuntimeContext, sandbox: SandboxRecord): PodSandboxStats {
  const timestamp = nowNanos(ctx.clock);
  const containers: ContainerStats[] = [];
  let cpuTotal = 0n;
  let nanoCores = 0;
  let memory = 0;
  let processes = 0;
  for (const id of sandbox.containers) {
    const record = ctx.containers.get(id);
    if (record === undefined) continue;
    const stats = containerStatsOf(ctx, record);
    containers.push(stats);
    cpuTotal += stats.cpu?.usageCoreNanoSeconds ?? 0n;
    nanoCores += stats.cpu?.usageNanoCores ?? 0;
    memory += stats.memory?.workingSetBytes ?? 0;
    if (record.state === 'CONTAINER_RUNNING') processes++;
  }
  const eth0 = { name: 'eth0', rxBytes: 0, rxErrors: 0, txBytes: 0, txErrors: 0 };
  return {
    attributes: {
      id: sandbox.id,
      metadata: copy(sandbox.metadata),
      labels: { ...sandbox.config.labels },
      annotations: { ...sandbox.config.annotations },
    },
    linux: {
      cpu: { timestamp, usageCoreNanoSeconds: cpuTotal, usageNanoCores: nanoCores },
      memory: { timestamp, workingSetBytes: memory, usageBytes: memory, rssBytes: memory },
      network: { timestamp, defaultInterface: eth0, interfaces: [{ ...eth0 }] },
      process: { timestamp, processCount: processes },
      containers,
    },
  };
}
