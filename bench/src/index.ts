import { ENTRY_DATA_BYTES, eventlogBenchmarks } from './eventlog.bench';
import { describeMachine, formatTable, progress, RUNS } from './measure';

const started = performance.now();
const header = describeMachine();
progress(header.join('\n'));
const rows = await eventlogBenchmarks();
const seconds = (performance.now() - started) / 1000;

console.log('\n# @keelson/eventlog benchmarks\n');
for (const line of header) console.log(line);
console.log(`entry:   ${ENTRY_DATA_BYTES} bytes of JSON data (a fixed pod), keys pods/default/pod-<i % 1000>`);
console.log(`runs:    median of ${RUNS} timed runs per figure, after a warm-up`);
console.log(`total:   ${seconds.toFixed(1)} s\n`);
console.log(formatTable(rows));
