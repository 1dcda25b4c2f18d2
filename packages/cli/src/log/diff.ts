/** `keelson log diff`: where two logs of the same scenario first part. */
import { diffJson } from '@keelson/core';
import type { EventLog, LogEntry } from '@keelson/eventlog';
import { diffRuns, type RunDifference } from '@keelson/testing';
import { formatPatch } from './formatPatch';

/** What `log diff` found; also its `--json` output. */
export type LogComparison =
  | { identical: true; entries: number }
  | { identical: false; index: number; path: string; message: string; a: LogEntry | null; b: LogEntry | null };

async function countEntries(log: EventLog): Promise<number> {
  let count = 0;
  for await (const _ of log.read()) count++;
  return count;
}

/** Compares `a` and `b` entry by entry (revision, key, type, time, data, tombstone and, unless `ignoreMeta`, meta). */
export async function compareLogs(a: EventLog, b: EventLog, options: { ignoreMeta?: boolean }): Promise<LogComparison> {
  const difference: RunDifference | undefined = await diffRuns(a, b, { ignoreMeta: options.ignoreMeta ?? false });
  if (difference === undefined) return { identical: true, entries: await countEntries(a) };
  const { index, path, message } = difference;
  return { identical: false, index, path, message, a: difference.a ?? null, b: difference.b ?? null };
}

function summarizeEntry(entry: LogEntry | null, side: string): string {
  if (entry === null) return `${side}: (the log ended)`;
  const what = entry.tombstone ? 'tombstone' : 'put';
  const meta = Object.entries(entry.meta ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  const time = new Date(entry.time).toISOString();
  return `${side}: revision ${entry.revision}  ${what}  ${entry.key}  ${time}${meta === '' ? '' : `  ${meta}`}`;
}

/** The comparison as `log diff` prints it: the first divergence, both entries, and how the value changed. */
export function formatComparison(comparison: LogComparison): string[] {
  if (comparison.identical) return [`identical: ${comparison.entries} entries`];
  const { a, b } = comparison;
  const lines = [
    `logs differ at entry #${comparison.index}${comparison.path === '' ? '' : ` (first at ${comparison.path})`}`,
    `  ${summarizeEntry(a, 'A')}`,
    `  ${summarizeEntry(b, 'B')}`,
  ];
  if (a !== null && b !== null) {
    const patch = diffJson(a.data, b.data);
    if (patch.length > 0) {
      lines.push('  value, A → B:');
      for (const line of formatPatch(patch, a.data)) lines.push(`    ${line}`);
    }
  }
  lines.push(`  ${comparison.message}`);
  return lines;
}
