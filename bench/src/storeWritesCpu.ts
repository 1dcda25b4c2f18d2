/**
 * The store-writes benchmark measured per CPU-second of the process as well
 * as per second of wall time, for a shared, loaded machine where wall time
 * varies from run to run: `pnpm --filter @keelson/bench exec tsx src/storeWritesCpu.ts [runs]`.
 * Same inputs as the `store` suite: 20,000 pods created, then each updated with a new image.
 */
import { Pod } from '@keelson/api';
import { openBenchStore, podInput } from './store.bench';

async function once(count: number) {
  const store = await openBenchStore();
  const startCpu = process.cpuUsage();
  const start = performance.now();
  const created: Pod[] = [];
  for (let i = 0; i < count; i++) created.push(await store.create(Pod, podInput(i)));
  const createCpu = process.cpuUsage(startCpu);
  for (const pod of created) {
    const [web, ...rest] = pod.spec.containers;
    await store.update({
      ...pod,
      spec: { ...pod.spec, containers: [{ ...web, image: 'registry.example.com/web:1.25.0' }, ...rest] },
    } as Pod);
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(startCpu);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const createSeconds = (createCpu.user + createCpu.system) / 1e6;
  return {
    wall: (2 * count) / seconds,
    cpu: (2 * count) / cpuSeconds,
    creates: count / createSeconds,
    updates: count / (cpuSeconds - createSeconds),
  };
}

const runs = Number(process.argv[2] ?? 5);
await once(2_000);
await once(20_000);
const rate = (value: number) => Math.round(value).toLocaleString('en-US');
for (let run = 0; run < runs; run++) {
  const r = await once(20_000);
  console.log(
    `writes/s wall ${rate(r.wall)}, per CPU-second ${rate(r.cpu)} (creates ${rate(r.creates)}, updates ${rate(r.updates)})`,
  );
}
