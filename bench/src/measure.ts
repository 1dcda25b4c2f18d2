import { cpus } from 'node:os';

/** One timed run: how many operations took how long. */
export interface Timing {
  count: number;
  ms: number;
}

/** Operations per second of a timing. */
export function perSecond(timing: Timing): number {
  return timing.count / (timing.ms / 1000);
}

/** Runs `task` once and times it with `performance.now()`; `count` is how many operations it performs. */
export async function time(count: number, task: () => unknown): Promise<Timing> {
  const start = performance.now();
  await task();
  return { count, ms: performance.now() - start };
}

/** Waits (yielding real macrotasks, since reconciles are promise chains) until `done()` holds. */
export async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}

/** How many timed runs each figure takes the median of (after a warm-up). */
export const RUNS = 3;

/** Runs `once` {@link RUNS} times and returns the run with the median rate. */
export async function median<T extends Timing>(once: (run: number) => Promise<T>): Promise<T> {
  const timings: T[] = [];
  for (let run = 0; run < RUNS; run++) timings.push(await once(run));
  timings.sort((a, b) => perSecond(a) - perSecond(b));
  return timings[Math.floor(timings.length / 2)] as T;
}

/** A figure beside its bare baseline, both measured in the same run. */
export interface Row {
  name: string;
  /** The input, e.g. "200,000 appends". */
  input: string;
  value: number;
  unit: string;
  baselineName: string;
  baselineValue: number;
  /** Anything the figure needs beside it, e.g. CPU seconds on a loaded machine. */
  note?: string;
}

export function formatNumber(value: number, unit: string): string {
  const digits = unit === 'MB/s' ? 1 : unit.startsWith('µs') || unit === 'ms' ? 2 : 0;
  const rounded = value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${rounded} ${unit}`;
}

export function formatRatio(value: number, baseline: number): string {
  const ratio = value / baseline;
  return `${ratio >= 1 ? ratio.toFixed(2) : ratio.toPrecision(2)}× of baseline`;
}

/** Machine and date, printed above the table. */
export function describeMachine(): string[] {
  const cpu = cpus();
  return [
    `date:    ${new Date().toISOString()}`,
    `machine: ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, Node ${process.version} (${process.platform} ${process.arch})`,
  ];
}

/** The rows as a Markdown table, padded so it also reads well in a terminal. */
export function formatTable(rows: readonly Row[]): string {
  const notes = rows.some((row) => row.note !== undefined);
  const header = ['Benchmark', 'Input', 'Figure', 'Baseline', 'Baseline figure', 'Ratio', ...(notes ? ['Note'] : [])];
  const cells = rows.map((row) => [
    row.name,
    row.input,
    formatNumber(row.value, row.unit),
    row.baselineName,
    formatNumber(row.baselineValue, row.unit),
    formatRatio(row.value, row.baselineValue),
    ...(notes ? [row.note ?? ''] : []),
  ]);
  const right = [false, false, true, false, true, true, false];
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((line) => (line[i] ?? '').length)));
  const line = (values: readonly string[]) =>
    `| ${values
      .map((value, i) => {
        const width = widths[i] ?? 0;
        return right[i] ? value.padStart(width) : value.padEnd(width);
      })
      .join(' | ')} |`;
  const rule = `|${widths.map((width, i) => (right[i] ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [line(header), rule, ...cells.map(line)].join('\n');
}

/** Progress goes to stderr so stdout holds only the report. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}
