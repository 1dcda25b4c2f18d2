/** `keelson log inspect`: what a log holds, counted from its entries and its files. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type CompactedError, type EventLog, isKeelsonError, type LogEntry } from '@keelson/eventlog';
import { formatBytes, formatFields, formatTable } from '../format/table';
import { entryType, knownTypes } from './kinds';

/** The entries and live objects of one entry `type`. */
export interface KindSummary {
  /** The log entry type, `<group or "core">/<plural>`. */
  type: string;
  /** The built-in kind it holds, or `null` for a kind the command does not know (a custom resource). */
  kind: string | null;
  entries: number;
  /** Keys whose last entry is not a tombstone. */
  live: number;
}

/** What `log inspect` reports; also its `--json` output. */
export interface LogSummary {
  dir: string;
  entries: number;
  /** The first entry's revision, `null` for an empty log. */
  firstRevision: number | null;
  head: number;
  /** Entries older than this were compacted away (each key's last one kept), `null` when never compacted. */
  compactedBefore: number | null;
  /** Time of the first and last entries (ms since the epoch), `null` for an empty log. */
  firstTime: number | null;
  lastTime: number | null;
  sizeBytes: number;
  kinds: KindSummary[];
}

/** The revision compaction cut at: reading from 1 fails with `CompactedError` once entries have been dropped. */
export async function compactedBefore(log: EventLog): Promise<number | null> {
  try {
    for await (const _ of log.read({ from: 1, limit: 1 })) break;
    return null;
  } catch (error) {
    if (isKeelsonError(error, 'Compacted')) return (error as CompactedError).compactedBefore;
    throw error;
  }
}

async function sizeOnDisk(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) {
    const info = await stat(join(dir, name));
    if (info.isFile()) total += info.size;
  }
  return total;
}

/** Counts the entries of `log` (in `dir`) by type, and which keys are still live. */
export async function summarizeLog(dir: string, log: EventLog): Promise<LogSummary> {
  const kindOf = new Map(knownTypes.map((t) => [entryType(t), t.kind]));
  const counts = new Map<string, { entries: number; live: Set<string> }>();
  let entries = 0;
  let first: LogEntry | undefined;
  let last: LogEntry | undefined;
  for await (const entry of log.read()) {
    entries++;
    first ??= entry;
    last = entry;
    let count = counts.get(entry.type);
    if (!count) {
      count = { entries: 0, live: new Set() };
      counts.set(entry.type, count);
    }
    count.entries++;
    if (entry.tombstone) count.live.delete(entry.key);
    else count.live.add(entry.key);
  }
  const kinds = [...counts]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([type, count]) => ({ type, kind: kindOf.get(type) ?? null, entries: count.entries, live: count.live.size }));
  return {
    dir,
    entries,
    firstRevision: first?.revision ?? null,
    head: await log.head(),
    compactedBefore: await compactedBefore(log),
    firstTime: first?.time ?? null,
    lastTime: last?.time ?? null,
    sizeBytes: await sizeOnDisk(dir),
    kinds,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The summary as `log inspect` prints it: fields, then a table of kinds. */
export function formatSummary(summary: LogSummary): string[] {
  const fields: [string, string][] = [
    ['log', summary.dir],
    ['entries', String(summary.entries)],
    [
      'revisions',
      summary.firstRevision === null ? 'none (empty log)' : `${summary.firstRevision} … ${summary.head} (head)`,
    ],
    ['compacted', summary.compactedBefore === null ? 'no' : `before revision ${summary.compactedBefore}`],
  ];
  if (summary.firstTime !== null && summary.lastTime !== null) {
    fields.push(['time', `${iso(summary.firstTime)} … ${iso(summary.lastTime)}`]);
  }
  fields.push(['size on disk', `${formatBytes(summary.sizeBytes)} (${summary.sizeBytes} bytes)`]);
  const lines = formatFields(fields);
  if (summary.kinds.length === 0) return lines;
  const rows = summary.kinds.map((k) => [k.type, k.kind ?? '-', String(k.entries), String(k.live)]);
  const table = formatTable(
    [{ header: 'TYPE' }, { header: 'KIND' }, { header: 'ENTRIES', align: 'right' }, { header: 'LIVE', align: 'right' }],
    rows,
  );
  return [...lines, '', ...table];
}
