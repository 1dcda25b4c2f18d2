import { controllerBenchmarks } from './controller.bench';
import { etcdBenchmarks } from './etcd.bench';
import { ENTRY_DATA_BYTES, eventlogBenchmarks } from './eventlog.bench';
import { describeMachine, formatTable, progress, type Row, RUNS } from './measure';
import { eventlogMemoryBenchmarks, storeMemoryBenchmarks } from './memory.bench';
import { scaleBenchmarks } from './scale.bench';
import { schedulerBenchmarks } from './scheduler.bench';
import { storeBenchmarks } from './store.bench';

// `pnpm bench` runs every suite; `pnpm --filter @keelson/bench run bench store` runs one.
const suites: Record<string, () => Promise<Row[]>> = {
  eventlog: async () => [...(await eventlogBenchmarks()), ...(await eventlogMemoryBenchmarks())],
  store: async () => [...(await storeBenchmarks()), ...(await storeMemoryBenchmarks())],
  'eventlog-memory': eventlogMemoryBenchmarks,
  'store-memory': storeMemoryBenchmarks,
  controller: controllerBenchmarks,
  scheduler: schedulerBenchmarks,
  etcd: etcdBenchmarks,
  scale: scaleBenchmarks,
};
// The scale suite takes minutes at its largest size: it runs only when named. The memory suites run
// inside eventlog and store, and alone when named.
const ON_REQUEST = new Set(['scale', 'eventlog-memory', 'store-memory']);
const chosen = process.argv.slice(2).filter((name) => name in suites);
const names = chosen.length > 0 ? chosen : Object.keys(suites).filter((name) => !ON_REQUEST.has(name));

const started = performance.now();
const header = describeMachine();
progress(header.join('\n'));
const results: Array<[string, Row[]]> = [];
for (const name of names) results.push([name, await (suites[name] as () => Promise<Row[]>)()]);
const seconds = (performance.now() - started) / 1000;

for (const line of header) console.log(line);
console.log(`entry:   ${ENTRY_DATA_BYTES} bytes of JSON data (a fixed pod) in the event log suite`);
console.log(`runs:    median of ${RUNS} timed runs per figure, after a warm-up`);
console.log(`total:   ${seconds.toFixed(1)} s`);
for (const [name, rows] of results) {
  console.log(`\n# ${name}\n`);
  console.log(formatTable(rows));
}
